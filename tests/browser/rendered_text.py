"""What a reader sees on a page, and the words and numbers that say something is broken.

The text of the page's article, the text every chart has drawn (axis labels, study names, the
numbers beside a forest plot), and the tooltip each chart mark would show, read from the
scenegraph item Vega binds to the mark's SVG element (``element.__data__.tooltip``), so every
mark's tooltip is checked without hovering each one.

A field a chart reads that its data lack is drawn as "undefined"; a division by zero as "NaN"
or "Infinity"; a missing value as "null"; an object put into a string as "[object Object]". A
share or an I² printed above 100% or below 0% is impossible unless the page says so; a run time
in the prose changes on every build and tells a reader nothing about the analysis.
"""

import re

RENDERED_TEXT = """() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  const charts = [...document.querySelectorAll('.vega-chart')].map(chart => {
    const texts = [...chart.querySelectorAll('svg text')].map(t => t.textContent);
    const tooltips = [];
    for (const mark of chart.querySelectorAll('svg .role-mark *')) {
      const item = mark.__data__;
      if (!item || item.tooltip === undefined || item.tooltip === null) continue;
      const tip = item.tooltip;
      tooltips.push(typeof tip === 'object'
        ? Object.entries(tip).map(([k, v]) => k + ': ' + String(v)).join('; ')
        : String(tip));
    }
    return {id: chart.id, texts: texts, tooltips: tooltips};
  });
  // The prose: every visible text node of the article outside the charts.
  const words = [];
  if (article) {
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('.vega-chart, script, style')) continue;
      if (!parent.getClientRects().length) continue;  // hidden (display: none)
      words.push(node.textContent);
    }
  }
  return {prose: words.join(' '), charts: charts};
}"""

BROKEN_WORDS = re.compile(
    r"\bundefined\b|\bNaN\b|\bnull\b(?! (?:value|hypothes[ie]s|model|effect))|-?\bInfinity\b"
    r"|\[object "
)
"""Words a page shows only when a value is missing or not a number ("null" also names the
value a test compares with: "the null value", "the null hypothesis")."""

PERCENT = re.compile(r"(?<![\w.\-\u2212])([-\u2212]?\d+(?:\.\d+)?)\s?%")
"""A percentage; a sign counts only after a space or bracket ("pseudo-95%" is 95%)."""
IMPOSSIBLE_SAID = re.compile(r"impossible|outside the possible range", re.IGNORECASE)
ABOVE_ALL = re.compile(r"\b(?:above|over|more than|exceeds?|beyond)\s+100(?:\.0+)?\s?%")
"""A share or I² said to exceed 100% ("I² stays above 100%", from 99.6 rounded)."""
LIMIT_BEFORE = re.compile(r"\blimits?\b|\bintervals?\b", re.IGNORECASE)
"""Only an interval's limit can lie above 100% (and the text then says it is impossible)."""
PERCENT_CONTEXT = 60
"""Characters after an out-of-range percentage in which the page must call it impossible."""

TIMING = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:seconds?|secs?|ms|milliseconds?|minutes?)\b", re.IGNORECASE
)


def broken_words(text: str) -> list[str]:
    """Each place in ``text`` that shows a missing or non-numeric value, with its context.

    >>> broken_words("Study: undefined; I2: 40%")
    ['undefined in ...Study: undefined; I2: 40%...']
    >>> broken_words("Nullity, NaNa and undefinedness are words")
    []
    """
    return [
        f"{m.group(0).strip()} in ...{_around(text, m)}..." for m in BROKEN_WORDS.finditer(text)
    ]


def impossible_percentages(text: str) -> list[str]:
    """Each percentage in ``text`` above 100 or below 0 that the text does not call impossible.

    Every percentage in the book is a share of patients, an I², an R² or a confidence level,
    none of which can leave 0–100%; the paper's own intervals that do are printed with the
    word "impossible" right after them.

    >>> impossible_percentages("17% to 121%; I2 99.6%")
    ['121% in ...17% to 121%; I2 99.6%...']
    >>> impossible_percentages("17% to 121% (impossible)")
    []
    >>> impossible_percentages("I2 stays above 100% for points")
    ['above 100% in ...I2 stays above 100% for points...']
    >>> impossible_percentages("Wald intervals give limits above 100%, which is impossible")
    []
    """
    problems = [
        f"{m.group(0)} in ...{_around(text, m)}..."
        for m in ABOVE_ALL.finditer(text)
        if not LIMIT_BEFORE.search(text[max(0, m.start() - PERCENT_CONTEXT) : m.start()])
    ]
    for m in PERCENT.finditer(text):
        value = float(m.group(1).replace("\u2212", "-"))
        if 0 <= value <= 100:
            continue
        if IMPOSSIBLE_SAID.search(text[m.end() : m.end() + PERCENT_CONTEXT]):
            continue
        problems.append(f"{m.group(0)} in ...{_around(text, m)}...")
    return problems


def timings(text: str) -> list[str]:
    """Each run time stated in ``text`` ("took 12.3 seconds").

    >>> timings("All 360 analyses took 4.2 seconds.")
    ['4.2 seconds in ...All 360 analyses took 4.2 seconds....']
    >>> timings("a 5-day infusion at 1-3 months")
    []
    """
    return [f"{m.group(0)} in ...{_around(text, m)}..." for m in TIMING.finditer(text)]


def _around(text: str, match: re.Match, width: int = 40) -> str:
    start, end = max(0, match.start() - width), match.end() + width
    return " ".join(text[start:end].split())


def page_text_problems(rendered: dict) -> list[str]:
    """Everything wrong in a page's `RENDERED_TEXT`, one line each, naming where it is."""
    prose = rendered["prose"]
    problems = [f"prose: {p}" for p in broken_words(prose) + impossible_percentages(prose)]
    problems += [f"prose: run time {p}" for p in timings(prose)]
    for chart in rendered["charts"]:
        # A chart whose axis runs past 100% (to show the paper's raw-scale limits) must mark
        # that region as impossible, in a label or a tooltip.
        marked = IMPOSSIBLE_SAID.search(" ".join(chart["texts"] + chart["tooltips"]))
        for where, texts in (("text", chart["texts"]), ("tooltip", chart["tooltips"])):
            joined = " | ".join(texts)
            found = broken_words(joined) + ([] if marked else impossible_percentages(joined))
            problems += [f"chart {chart['id']} {where}: {p}" for p in found]
    return problems
