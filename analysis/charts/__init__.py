"""Charts and tables of the book: the theme, the offline renderer, and one function a figure.

Forest, funnel, influence and specification-curve plots, the PRISMA flow diagram, the small
charts of the included studies, HTML tables and the way numbers are written. A chart function
takes results of the library (`analysis.metaanalysis`) or plain data frames and returns an
Altair chart; it reads no data file and knows no study of the paper.

Importing this package registers and enables the book's Altair theme (`THEME`, defined in
``analysis.charts.theme``), so every chart made afterwards has the book's title style.
"""

from analysis.charts.band_chart import band_chart
from analysis.charts.claims_table import claims_table
from analysis.charts.coverage_chart import coverage_chart, width_chart
from analysis.charts.forest import forest_plot
from analysis.charts.formatting import as_printed, estimate_with_ci, p_value, percent_with_ci
from analysis.charts.funnel import funnel_plot
from analysis.charts.glue import glue_result
from analysis.charts.influence_plots import baujat_plot, leave_one_out_plot
from analysis.charts.percentages import percent, percent_range
from analysis.charts.prisma_diagram import prisma_diagram
from analysis.charts.rate_chart import rate_interval_chart
from analysis.charts.regression_plots import bubble_plot, cumulative_plot
from analysis.charts.renderer import use_offline_renderer
from analysis.charts.specification_curve import specification_curve
from analysis.charts.status_chart import status_chart
from analysis.charts.study_charts import duration_chart, sample_size_chart
from analysis.charts.tables import html_table
from analysis.charts.theme import THEME
from analysis.charts.what_if import what_if_forest

__all__ = [
    "THEME",
    "as_printed",
    "band_chart",
    "baujat_plot",
    "bubble_plot",
    "claims_table",
    "coverage_chart",
    "cumulative_plot",
    "duration_chart",
    "estimate_with_ci",
    "forest_plot",
    "funnel_plot",
    "glue_result",
    "html_table",
    "leave_one_out_plot",
    "p_value",
    "percent",
    "percent_range",
    "percent_with_ci",
    "prisma_diagram",
    "rate_interval_chart",
    "sample_size_chart",
    "specification_curve",
    "status_chart",
    "use_offline_renderer",
    "what_if_forest",
    "width_chart",
]
