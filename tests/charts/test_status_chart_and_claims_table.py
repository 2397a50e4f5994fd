"""status_chart and claims_table (analysis.charts): the audit chapter's chart and tables.

No reference values: each must show the rows it is given, in the given order, and refuse
malformed input with one line.
"""

import pandas as pd
import pytest

from analysis.charts import claims_table, status_chart
from analysis.metaanalysis import InputError

COUNTS = pd.DataFrame(
    {"status": ["b", "a"], "claims": [3, 1], "share": [0.75, 0.25]},
)
CLAIMS = pd.DataFrame(
    {
        "section": ["Abstract", "Abstract", "Methods"],
        "study_level": [False, True, False],
        "claim": ["pooled rate", "one study", "threshold"],
        "printed": ["69%", "0.5", "30%"],
        "ours": ["69%", None, "30%"],
        "status": ["reproduced", "reproduced", "not reproducible"],
        "note": [None, None, "no data"],
        "chapter": ["Pooling", "Pooling", "Audit"],
        "href": ["03-pooling.html#x", None, "08-audit.html#y"],
        "extra": [1, 2, 3],
    }
)


def test_status_chart_orders_and_colours_the_statuses_as_given() -> None:
    spec = status_chart(
        COUNTS, order=["a", "b"], colours=["green", "red"], title="Claims", subtitle=["s"]
    ).to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["sort"] == ["a", "b"]
    assert bars["color"]["scale"] == {"domain": ["a", "b"], "range": ["green", "red"]}
    rows = next(iter(spec["datasets"].values()))
    assert [row["share_text"] for row in rows] == ["75% of all claims", "25% of all claims"]


def test_status_chart_refuses_a_missing_column_or_a_colour_per_status_short() -> None:
    with pytest.raises(InputError, match="no column 'share'"):
        status_chart(COUNTS.drop(columns="share"), order=["a", "b"], colours=["g", "r"], title="")
    with pytest.raises(InputError, match="1 entries for 2 statuses"):
        status_chart(COUNTS, order=["a", "b"], colours=["g"], title="")


def test_claims_table_shows_the_sections_claims_with_links_and_dashes() -> None:
    markup = claims_table(CLAIMS, ["Abstract"]).data
    assert "pooled rate" in markup and "one study" not in markup and "threshold" not in markup
    assert '<a href="03-pooling.html#x">Pooling</a>' in markup
    assert "extra" not in markup
    study = claims_table(CLAIMS, ["Abstract"], study_level=True).data
    assert "one study" in study and '<td data-label="Ours">–</td>' in study  # missing "ours"


def test_claims_table_refuses_a_missing_column_or_a_bare_section_name() -> None:
    with pytest.raises(InputError, match="no column 'href'"):
        claims_table(CLAIMS.drop(columns="href"), ["Abstract"])
    with pytest.raises(InputError, match="sections='Abstract'"):
        claims_table(CLAIMS, "Abstract")
