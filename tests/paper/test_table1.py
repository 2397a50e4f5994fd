"""Table 1 as the book shows it (analysis.paper.table1); the study charts (analysis.charts).

Source: Zhao et al. 2018, Table 1 (data/studies.csv). "Not reported" must never show as 0 or
"nan"; a real 0 (Kiefer 2008b's 0% responders) must show as 0.
"""

import pandas as pd
import pytest

from analysis.charts.study_charts import duration_chart, sample_size_chart
from analysis.charts.tables import NOT_REPORTED, html_table
from analysis.metaanalysis.errors import InputError
from analysis.paper.data import load_studies
from analysis.paper.table1 import NOT_STATED, pain_scale, table1

TABLE = table1().set_index("Study")


def test_one_row_per_study_in_table_1_order() -> None:
    studies = load_studies(corrected=False).sort_values("table1_row")
    assert TABLE.index.tolist() == studies["label"].tolist()


def test_missing_values_show_as_not_reported_and_zero_as_zero() -> None:
    markup = html_table(table1()).data
    assert "nan" not in markup.lower()
    assert pd.isna(TABLE.at["Kiefer 2002", "Age (years)"])  # Table 1 prints "-"
    assert markup.count(NOT_REPORTED) == int(table1().isna().sum().sum())
    assert TABLE.at["Kiefer 2008b", "Relief now (%)"] == "0"  # a real 0, printed as 0


def test_two_numbers_for_n_and_the_corrected_follow_up() -> None:
    """Table 1: Schwartzman 2009 N '19(26)' and follow-up 'Effective'; Goldberg 2010's 0.6."""
    assert TABLE.at["Schwartzman 2009", "N"] == "19 (26)"
    assert TABLE.at["Schwartzman 2009", "Relief at 1–3 months (%)"] == "Effective"
    assert TABLE.at["Goldberg 2010", "Relief at 1–3 months (%)"] == "0.6 as printed (60 used)"


def test_design_only_where_the_paper_states_it() -> None:
    """Discussion: Correll's retrospective study and the open-label trial of Kiefer et al."""
    assert TABLE.at["Correll 2004", "Design"] == "retrospective study"
    assert TABLE.at["Kiefer 2008a", "Design"] == "open-label trial"
    assert (TABLE["Design"] == NOT_STATED).sum() == len(TABLE) - 2


def test_pain_scale_is_read_from_the_scores() -> None:
    wide = TABLE.index[TABLE["Pain scale"] == "0–100"].tolist()
    assert wide == ["Kiefer 2008b", "Koffler 2007"]
    assert pd.isna(TABLE.at["Correll 2004", "Pain scale"])
    assert pain_scale(10.0) == "0–10"
    assert pain_scale(10.5) == "0–100"


def test_mean_sd_as_printed() -> None:
    assert TABLE.at["Correll 2004", "Age (years)"] == "40.5 ± 13.8"
    assert TABLE.at["Patil 2012", "Pain before"] == "8.2 ± 1.7"


@pytest.mark.parametrize("make", [sample_size_chart, duration_chart])
def test_charts_draw_every_study_with_a_tooltip(make) -> None:
    spec = make(load_studies(), title="t").to_dict()
    assert spec["usermeta"]["studies_drawn"] == 15
    assert spec["width"] <= 560
    encodings = [layer["encoding"] for layer in spec["layer"]]
    assert any("tooltip" in e and "y" in e for e in encodings)


def test_duration_chart_uses_a_log_axis_and_draws_the_mean() -> None:
    spec = duration_chart(load_studies(), title="t", mean=8.41).to_dict()
    dots = spec["layer"][1]["encoding"]["x"]
    assert dots["scale"]["type"] == "log"
    assert len(spec["layer"]) == 3


def test_chart_bad_input_gives_one_line() -> None:
    studies = load_studies()
    with pytest.raises(InputError, match="sample_size_chart: studies has no column 'n_enrolled'"):
        sample_size_chart(studies.drop(columns="n_enrolled"), title="t")
    with pytest.raises(InputError, match="duration_chart: studies is empty"):
        duration_chart(studies.iloc[0:0], title="t")
    zero = studies.assign(duration_days=studies["duration_days"].where(studies.index > 0, 0.0))
    with pytest.raises(InputError, match="duration_chart: a duration of 0 days or less"):
        duration_chart(zero, title="t")
