"""Which stylesheet rules book/_ext/unused_css.py keeps, on small hand-written stylesheets.

A rule stays when one of its selectors needs only names the book's pages or scripts use (or
names a script builds at run time from a prefix); at-rules are kept, pruned inside or dropped
as the module's docstring says. The browser screenshots compare the whole book; these tests
pin each kind of rule.
"""

import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "book" / "_ext"))
from unused_css import known_names, prune_stylesheets

PAGE = '<div class="bd-main show-me" id="main-content"><p>text</p></div>'
SCRIPT = 'el.classList.add("collapsing"); tip.classList.add(`bs-${name}-auto`);'


def _pruned(css: str, tmp_path: Path) -> str:
    sheet = tmp_path / "sheet.css"
    sheet.write_text(css, encoding="utf-8")
    prune_stylesheets([sheet], known_names([PAGE], [SCRIPT]))
    return sheet.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        (".bd-main{color:red}", True),
        (".absent{color:red}", False),
        (".absent,.bd-main{color:red}", True),  # one selector that can match is enough
        (".bd-main .absent{color:red}", False),  # every name of the selector is needed
        ("#main-content{color:red}", True),
        ("#absent{color:red}", False),
        (".collapsing{height:0}", True),  # a class a script adds
        (".bs-tooltip-auto{margin:0}", True),  # built at run time from "bs-"
        (".bd-main:not(.absent){color:red}", True),  # :not() matches without the name
        ("p{margin:0}", True),  # element selectors
        ("html[data-theme=dark]{color:#fff}", True),
        (":root{--pst-icon:'\\f0c9'}", True),
    ],
)
def test_style_rule_is_kept_when_a_selector_can_match(css, kept, tmp_path) -> None:
    assert bool(_pruned(css, tmp_path)) is kept


def test_media_block_keeps_its_matching_rules_and_goes_when_empty(tmp_path) -> None:
    pruned = _pruned(
        "@media (max-width:600px){.bd-main{color:red}.absent{color:blue}}"
        "@media print{.absent{color:blue}}",
        tmp_path,
    )
    assert pruned == "@media (max-width:600px){.bd-main{color:red}}"


def test_font_faces_and_used_keyframes_stay_unused_keyframes_go(tmp_path) -> None:
    pruned = _pruned(
        "@font-face{font-family:Icons;src:url(icons.woff2)}"
        "@keyframes spin{to{transform:rotate(1turn)}}"
        "@keyframes fade{to{opacity:0}}"
        ".bd-main{animation:spin 1s}",
        tmp_path,
    )
    assert "@font-face" in pruned
    assert "@keyframes spin" in pruned
    assert "fade" not in pruned


def test_licence_comments_stay_other_comments_go(tmp_path) -> None:
    pruned = _pruned("/*! Licence: MIT */ /* a note */ .bd-main{color:red}", tmp_path)
    assert pruned == "/*! Licence: MIT */.bd-main{color:red}"
