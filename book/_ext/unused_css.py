"""Sphinx extension: the stylesheets keep only rules that something in the book can match.

pydata-sphinx-theme's stylesheet (0.40 MB) carries all of Bootstrap and Font Awesome's rule
for every icon; sphinx-design's and myst-nb's carry components the book does not use. Once the
HTML build has finished, each ``.css`` under ``_static`` is parsed with tinycss2 and a style
rule is kept when at least one of its selectors could match: every class and id name the
selector requires (outside functional pseudo-classes such as ``:not()``, which may match
without them) is a *known name*. A name is known when it occurs as a word in a built HTML page
or in a JavaScript file the book serves (scripts add classes such as ``show``, ``collapsing``
and ``modal-open`` at run time), or when it starts with a prefix that a script joins to a
value at run time (```bs-${name}-auto```, ``"mark-" + type``). Kept as they are: element and
attribute selectors, ``:root`` and its custom properties, ``@font-face``, ``@import``,
``@page`` and the like, and ``@keyframes`` whose name a kept rule or a script uses;
``@media``, ``@supports``, ``@container`` and ``@layer`` blocks are pruned inside and dropped
when nothing is left. Licence comments (``/*! ... */``) stay; other comments go.

Reference: the approach of PurgeCSS (https://purgecss.com), with a CSS parser
(tinycss2, https://doc.courtbouillon.org/tinycss2/) instead of regular expressions.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from sphinx.application import Sphinx
from sphinx.util import logging

WORD = re.compile(r"[\w-]+")
"""A class or id name as it can occur in HTML or JavaScript."""
CLASS_ATTRIBUTE = re.compile(r"""\b(?:class|id)\s*=\s*["']([^"']*)["']""")
"""Class and id attributes, whose values may hold names with other characters."""
RUNTIME_PREFIX = re.compile(r"""["'`]([A-Za-z_][\w-]*-)(?:["'`]\s*\+|\$\{)""")
"""A string a script ends with a hyphen and joins to a value: `bs-${x}` or "mark-" + x."""
NESTED_BLOCKS = frozenset({"media", "supports", "container", "layer", "document", "-moz-document"})
"""At-rules whose block holds style rules, pruned inside."""
KEYFRAMES = frozenset({"keyframes", "-webkit-keyframes", "-moz-keyframes"})
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnownNames:
    """The class and id names that the book's pages or scripts can put on an element."""

    words: frozenset[str]
    runtime_prefixes: tuple[str, ...]

    def knows(self, name: str) -> bool:
        """Whether an element of the book can carry the class or id ``name``."""
        return name in self.words or name.startswith(self.runtime_prefixes)


@dataclass(frozen=True)
class PrunedStylesheet:
    """One stylesheet before and after its unmatchable rules were removed."""

    path: Path
    bytes_before: int
    bytes_after: int


def known_names(pages: Iterable[str], scripts: Iterable[str]) -> KnownNames:
    """Collect the names that the built pages and the scripts they load can use.

    Parameters
    ----------
    pages
        The text of every built HTML page (their inline scripts included).
    scripts
        The text of every JavaScript file the book serves.

    Returns
    -------
    KnownNames
        Every word of the pages and scripts, and the run-time class prefixes of the scripts.
    """
    words: set[str] = set()
    prefixes: set[str] = set()
    for text in [*pages, *scripts]:
        words.update(WORD.findall(text))
        for value in CLASS_ATTRIBUTE.findall(text):
            words.update(value.split())
        prefixes.update(RUNTIME_PREFIX.findall(text))
    return KnownNames(frozenset(words), tuple(sorted(prefixes)))


def _selectors(prelude: list) -> list[list]:
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _required_names(selector: list) -> list[str]:
    """The class and id names an element must carry for the selector to match it.

    Names inside a function (``:not(.x)``, ``:is(.x, .y)``, ``:has(.x)``) are not counted: the
    selector may match without them, so the rule is kept.
    """
    names = []
    for index, token in enumerate(selector):
        if token.type == "hash" and token.is_identifier:
            names.append(token.value)
        elif (
            token.type == "literal"
            and token.value == "."
            and index + 1 < len(selector)
            and selector[index + 1].type == "ident"
        ):
            names.append(selector[index + 1].value)
    return names


def can_match(prelude: list, known: KnownNames) -> bool:
    """Whether any selector of a style rule's prelude can match an element of the book."""
    return any(
        all(known.knows(name) for name in _required_names(selector))
        for selector in _selectors(prelude)
    )


def _serialize_rule(rule, inner: str | None = None) -> str:
    prelude = tinycss2.serialize(rule.prelude).strip()
    if rule.type == "qualified-rule":
        return f"{prelude}{{{tinycss2.serialize(rule.content)}}}"
    head = f"@{rule.at_keyword}{' ' if prelude else ''}{prelude}"
    if rule.content is None:
        return f"{head};"
    body = tinycss2.serialize(rule.content) if inner is None else inner
    return f"{head}{{{body}}}"


def _prune_rules(rules: list, known: KnownNames, animations: frozenset[str]) -> str:
    kept = []
    for rule in rules:
        if rule.type == "comment":
            if rule.value.startswith("!"):
                kept.append(f"/*{rule.value}*/")
        elif rule.type == "qualified-rule":
            if can_match(rule.prelude, known):
                kept.append(_serialize_rule(rule))
        elif rule.type == "at-rule":
            keyword = rule.at_keyword.lower()
            if keyword in NESTED_BLOCKS and rule.content is not None:
                inner_rules = tinycss2.parse_rule_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                inner = _prune_rules(inner_rules, known, animations)
                if inner:
                    kept.append(_serialize_rule(rule, inner))
            elif keyword in KEYFRAMES:
                name = tinycss2.serialize(rule.prelude).strip()
                if name in animations or known.knows(name):
                    kept.append(_serialize_rule(rule))
            else:
                kept.append(_serialize_rule(rule))
        # Parse errors (the parser's "error" nodes) are rules a browser ignores too.
    return "".join(kept)


def _animation_names(rules: list, known: KnownNames) -> set[str]:
    """Identifiers in the declarations of the rules that are kept (animation names among them)."""
    names: set[str] = set()
    for rule in rules:
        if rule.type == "qualified-rule" and can_match(rule.prelude, known):
            names.update(token.value for token in rule.content if token.type == "ident")
        elif rule.type == "at-rule" and rule.at_keyword.lower() in NESTED_BLOCKS and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True)
            names |= _animation_names(inner, known)
    return names


def prune_stylesheets(paths: list[Path], known: KnownNames) -> list[PrunedStylesheet]:
    """Rewrite each stylesheet with only the rules that can match something in the book.

    Parameters
    ----------
    paths
        The stylesheets to prune, rewritten in place.
    known
        The names the book's pages and scripts can use (:func:`known_names`).

    Returns
    -------
    list of PrunedStylesheet
        Each stylesheet's size before and after.
    """
    parsed = {
        path: tinycss2.parse_stylesheet(
            path.read_text(encoding="utf-8"), skip_comments=False, skip_whitespace=True
        )
        for path in paths
    }
    animations = frozenset().union(*(_animation_names(rules, known) for rules in parsed.values()))
    results = []
    for path, rules in parsed.items():
        before = path.stat().st_size
        path.write_text(_prune_rules(rules, known, animations) + "\n", encoding="utf-8")
        results.append(PrunedStylesheet(path, before, path.stat().st_size))
    return results


def _prune_static_css(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    known = known_names(
        (page.read_text(encoding="utf-8") for page in outdir.rglob("*.html")),
        (script.read_text(encoding="utf-8") for script in outdir.rglob("*.js")),
    )
    results = prune_stylesheets(sorted((outdir / "_static").rglob("*.css")), known)
    before = sum(result.bytes_before for result in results)
    after = sum(result.bytes_after for result in results)
    logger.info("unused_css: stylesheets from %d to %d bytes", before, after)


def setup(app: Sphinx) -> dict:
    # After page_weight (900) and lean_search (905); before icon_font (920), which reads the
    # pruned stylesheets to find the icons still drawn.
    app.connect("build-finished", _prune_static_css, priority=910)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
