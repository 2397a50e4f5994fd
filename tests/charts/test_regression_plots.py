"""bubble_plot and cumulative_plot (analysis.charts.regression_plots), and the influence plots.

No reference values: each chart is checked against the data it is given, and every field a
tooltip or a text mark reads is a column of that layer's data (a missing one shows "undefined").
Tolerances: `DECIMAL_SUM` for percent weights summing to 100, `CLOSED_FORM_IDENTITY_NEAR_ZERO`
for the fitted line at the ends of its grid (the fit's own prediction, in another order).
"""

from analysis.charts.regression_plots import GRID_POINTS, bubble_plot, cumulative_plot
from analysis.metaanalysis.cumulative import cumulative
from analysis.metaanalysis.meta_regression import meta_regression
from tests.tolerances import CLOSED_FORM_IDENTITY_NEAR_ZERO, DECIMAL_SUM

YI = [0.5, 0.6, 0.9, 0.55, 0.95]
VI = [0.01, 0.02, 0.015, 0.03, 0.02]
X = [0.0, 0.0, 1.0, 0.0, 1.0]
LABELS = ["A 2001", "B 2003", "C 2002", "D 2005", "E 2004"]


def _layers_with_data(spec: dict):
    # Layers that share their data leave it to the chart (Altair lifts it to the top).
    for layer in spec["layer"]:
        yield layer, spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def _read_fields(layer: dict) -> set[str]:
    fields = set()
    for channel, encoding in layer.get("encoding", {}).items():
        items = encoding if isinstance(encoding, list) else [encoding]
        for item in items:
            if isinstance(item, dict) and "field" in item:
                fields.add(item["field"])
        if channel == "tooltip":
            fields |= {t["field"] for t in items}
    return fields


def _assert_every_field_is_in_the_data(spec: dict) -> None:
    for layer, rows in _layers_with_data(spec):
        missing = _read_fields(layer) - set(rows[0])
        assert not missing, (layer["mark"], missing)


def test_the_bubble_plot_draws_each_study_and_the_fitted_line() -> None:
    fit = meta_regression(YI, VI, {"anaesthetic": X}, method="REML", test="knha")
    spec = bubble_plot(
        fit, X, YI, VI, LABELS, title="T", x_title="x", y_title="y",
        category_names=("no", "yes"),
    ).to_dict()  # fmt: skip
    _assert_every_field_is_in_the_data(spec)
    (band, _), (_, line_rows), (_, point_rows) = _layers_with_data(spec)
    assert [row["label"] for row in point_rows] == LABELS
    assert DECIMAL_SUM.isclose(sum(row["weight_pct"] for row in point_rows), 100.0)
    assert len(line_rows) == GRID_POINTS
    start, end = line_rows[0], line_rows[-1]
    # The line runs through the fitted means at the two ends: the intercept and intercept + slope.
    b0, b1 = fit.coefficients.estimate
    assert CLOSED_FORM_IDENTITY_NEAR_ZERO.isclose(start["mean"], b0)
    assert CLOSED_FORM_IDENTITY_NEAR_ZERO.isclose(end["mean"], b0 + b1)
    assert all(row["low"] < row["mean"] < row["high"] for row in line_rows)
    assert "'no'" in band["encoding"]["x"]["axis"]["labelExpr"]
    assert spec["usermeta"] == {"chart": "bubble", "points": len(YI)}


def test_the_cumulative_plot_has_a_row_per_step_in_the_order_of_adding() -> None:
    years = [2001, 2003, 2002, 2005, 2004]
    result = cumulative(YI, VI, years, "REML")
    spec = cumulative_plot(result, LABELS, title="T", x_title="x").to_dict()
    _assert_every_field_is_in_the_data(spec)
    (_, rows), _ = _layers_with_data(spec)
    assert [row["step"] for row in rows] == [
        "A 2001 + C 2002", "+ B 2003", "+ E 2004", "+ D 2005",
    ]  # fmt: skip
    assert [row["k"] for row in rows] == [2, 3, 4, 5]
    assert [row["estimate"] for row in rows] == list(result.field("estimate"))


def test_the_baujat_and_leave_one_out_plots_read_only_fields_they_have() -> None:
    """The Baujat plot's labels once read a field its data did not have ("undefined" on every
    study)."""
    from analysis.charts import baujat_plot, leave_one_out_plot
    from analysis.metaanalysis import baujat, leave_one_out

    for spec in (
        baujat_plot(baujat(YI, VI, "FE"), LABELS, title="T").to_dict(),
        leave_one_out_plot(leave_one_out(YI, VI, "DL"), LABELS, title="T", x_title="x").to_dict(),
    ):
        _assert_every_field_is_in_the_data(spec)
    baujat_spec = baujat_plot(baujat(YI, VI, "FE"), LABELS, title="T").to_dict()
    text_layer = next(layer for layer in baujat_spec["layer"] if layer["mark"]["type"] == "text")
    assert text_layer["encoding"]["text"]["field"] == "label"
