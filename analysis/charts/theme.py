"""The look every chart of the book shares, so that a change of style is made in one place."""

TITLE_STYLE = {"fontSize": 13, "subtitleFontSize": 11, "subtitleColor": "#555555"}
"""Keyword arguments of ``chart.configure_title``: a 13 px title over an 11 px grey subtitle."""
