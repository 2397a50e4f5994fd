"""The look every chart of the book shares, registered as an Altair theme.

Importing `analysis.charts` registers the theme ``ketamine_book`` and enables it, so every chart
made afterwards (by this package or in a chapter) gets its title style from one place; the
colours that charts give their marks are named here once. The theme keeps Altair's default
view size, so a chart's spec changes only in its ``config``.
"""

import altair as alt

THEME = "ketamine_book"
"""Name of the registered Altair theme."""

# The palette: ColorBrewer's RdBu ends for the two roles a chart needs most, and greys.
BLUE = "#2166ac"
"""Studies and their estimates (the data)."""
LIGHT_BLUE = "#c6dbef"
"""A pale background for blue marks (ranges, tracks)."""
RED = "#b2182b"
"""What a chart points out: the pooled estimate, the paper's value, imputed studies."""
INK = "#333333"
"""Lines that carry data but no emphasis: confidence intervals, labels."""
GREY = "#555555"
"""Reference lines and subtitles."""
MID_GREY = "#777777"
"""Secondary points."""
LIGHT_GREY = "#999999"
"""Bands and null lines."""
WHITE = "#ffffff"
CONTOUR_GREYS = ("#9e9e9e", "#c8c8c8", "#ececec")
"""Bands of significance in a contour-enhanced funnel, darker for smaller p-values."""

TITLE_CONFIG = {"fontSize": 13, "subtitleFontSize": 11, "subtitleColor": GREY}
"""The title style: a 13 px title over an 11 px grey subtitle (the theme's ``config.title``)."""

STATUS_COLOURS = ("#1a9850", "#91cf60", "#d73027", "#fc8d59")
"""Four grades of a check, best first: green for the two kinds of agreement, red for a
contradiction, orange for what cannot be checked (the audit's statuses in their order)."""

_DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}
"""Altair's default theme's view size, kept so that no chart changes size."""


@alt.theme.register(THEME, enable=True)
def book_theme() -> alt.theme.ThemeConfig:
    """The theme's configuration: Altair's default view size and the book's title style."""
    return {"config": {"view": dict(_DEFAULT_VIEW), "title": dict(TITLE_CONFIG)}}
