"""`forest_plot`: what metafor's and meta's forest plots show beyond the studies.

The chart specification is checked, not its pixels (the browser suite draws it): a line of no
effect exactly when the measure has one, a heterogeneity line whose numbers are the fit's, and a
prediction-interval bar whose ends are the fit's prediction interval. Both layouts (the wide
one and the phone one in ``usermeta["phone"]``) are checked.
"""

import re

import pandas as pd
import pytest

from analysis.charts.forest import forest_plot
from analysis.charts.phone import PHONE_WIDTH, drawn_width
from analysis.metaanalysis.pooling import pool

STUDIES = pd.DataFrame(
    {
        "label": ["A", "B", "C", "D", "E"],
        "yi": [0.2, 0.5, 0.9, 0.4, -0.1],
        "vi": [0.01, 0.04, 0.09, 0.0025, 0.02],
    }
)
FIT = pool(STUDIES["yi"], STUDIES["vi"], method="DL")


def _table() -> pd.DataFrame:
    half = 1.959963984540054 * STUDIES["vi"] ** 0.5
    return STUDIES.assign(
        ci_low=STUDIES["yi"] - half, ci_high=STUDIES["yi"] + half, weight_pct=FIT.weights
    )


def _specs(**options) -> list[dict]:
    wide = forest_plot(_table(), FIT, title="t", x_title="x", **options).to_dict()
    phone = wide["usermeta"].get("phone")
    return [wide, phone["spec"]] if phone else [wide]


def test_a_forest_plot_carries_a_narrower_layout_for_phones() -> None:
    wide = forest_plot(_table(), FIT, title="t", x_title="x").to_dict()
    phone = wide["usermeta"].get("phone")
    assert phone, "no phone layout in usermeta"
    assert phone["below"] > PHONE_WIDTH
    assert drawn_width(phone["spec"]) <= PHONE_WIDTH < drawn_width(wide)


def _rows(spec: dict, field: str) -> list[dict]:
    """The rows of every dataset of ``spec`` that has ``field``."""
    return [row for rows in spec["datasets"].values() for row in rows if field in row]


@pytest.mark.parametrize(("null_value", "drawn"), [(0.0, [0.0]), (None, [])])
def test_the_line_of_no_effect_is_drawn_exactly_when_the_measure_has_one(
    null_value, drawn
) -> None:
    for spec in _specs(null_value=null_value):
        assert [row["no_effect"] for row in _rows(spec, "no_effect")] == drawn


def test_the_heterogeneity_line_prints_the_fits_numbers() -> None:
    for spec in _specs():
        (row,) = _rows(spec, "heterogeneity")[:1]
        text = row["heterogeneity"].replace("\n", " ")
        numbers = dict(re.findall(r"(I²|τ²|Q|df) = (-?[\d.]+)", text))
        assert numbers == {
            "I²": f"{FIT.i2:.1f}",
            "τ²": f"{FIT.tau2:.4f}",
            "Q": f"{FIT.q:.2f}",
            "df": str(FIT.df),
        }
        assert re.search(r"p (<|=) [\d.]+", text).group(0) == (
            "p < 0.001" if FIT.p_q < 0.001 else f"p = {FIT.p_q:.3f}"
        )


def test_the_prediction_bar_ends_at_the_fits_prediction_interval() -> None:
    assert FIT.pi_low < FIT.ci_low and FIT.pi_high > FIT.ci_high  # heterogeneous data
    for spec in _specs():
        (row,) = _rows(spec, "pi_low")
        assert (row["pi_low"], row["pi_high"]) == (FIT.pi_low, FIT.pi_high)
