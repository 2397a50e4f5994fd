"""Vega-Lite specifications compiled to Vega at build time, by the Vega-Lite of the bundle.

The book's pages load Vega alone (``book/_ext/offline_assets.py`` writes the bundle); each
chart's Vega-Lite specification is compiled to Vega here, in Python, by vl-convert, with the
Vega-Lite version that matches the installed Altair. `vega_lite_version` is the one place that
version is read, for the compiler and for the bundle.

References
----------
Satyanarayan A, Moritz D, Wongsuphasawat K, Heer J. Vega-Lite: a grammar of interactive
graphics. IEEE Trans Vis Comput Graph 2017;23(1):341-350. doi:10.1109/TVCG.2016.2599030
"""

import altair as alt
import vl_convert

UNNEEDED_KEYS = ("$schema", "usermeta")
"""Top-level keys of a compiled specification that the view never reads."""


def vega_lite_version() -> str:
    """The Vega-Lite version of the installed Altair, as vl-convert names it (``"6.4"``)."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def compiled_vega(spec: dict) -> dict:
    """``spec`` compiled to a Vega specification, without what the view does not read.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification (``chart.to_dict()``).

    Returns
    -------
    dict
        The Vega specification, without ``$schema`` and ``usermeta`` (see `UNNEEDED_KEYS`).

    Examples
    --------
    >>> vega = compiled_vega({"data": {"values": [{"x": 1}]}, "mark": "point",
    ...                       "encoding": {"x": {"field": "x", "type": "quantitative"}}})
    >>> vega["marks"][0]["type"], "$schema" in vega
    ('symbol', False)
    """
    vega = vl_convert.vegalite_to_vega(spec, vl_version=vega_lite_version())
    return {key: value for key, value in vega.items() if key not in UNNEEDED_KEYS}
