"""Each outcome has one answer, with the same digits on every page that states it (issue 12).

Source of the expected text: `analysis.paper.primary_answer`, computed here in-process from the
same data and code as the book. A page states an outcome's answer when its chapter glues one of
the ``primary_<outcome>_*`` keys; each such page must show the answer, its prediction interval
and the name of its model, exactly as the package writes them. And no page may write a fall in
pain "points (95% CI ...)" with other digits: that format belongs to the primary answer alone.
Seen failing: with the Pooling page's answer replaced by the digits of the every-report fit
("3.8 points (95% CI 2.2 to 5.3)"), two tests failed, each naming the page and the text.
"""

import html
import re
from functools import cache
from pathlib import Path

import pytest

from analysis.paper import PRIMARY_MODELS, primary_answer

CHAPTERS = Path("book")
OUTCOMES = tuple(PRIMARY_MODELS)
PRIMARY_KEY = re.compile(r"\{glue:text\}`primary_(" + "|".join(OUTCOMES) + r")_")
POINTS_WITH_CI = re.compile(r"-?\d+\.\d points \(95% CI -?\d+\.\d to -?\d+\.\d\)")
PAGES_THAT_MUST_STATE_EVERY_ANSWER = ("00-introduction", "03-pooling", "07-robustness")


def page_text(page: Path) -> str:
    """The visible text of a built page: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@cache
def stating_pages() -> dict[str, tuple[str, ...]]:
    """For each outcome, the chapters (file stems) that glue one of its primary keys."""
    pages: dict[str, list[str]] = {outcome: [] for outcome in OUTCOMES}
    for chapter in sorted(CHAPTERS.glob("[0-9]*.md")):
        for outcome in set(PRIMARY_KEY.findall(chapter.read_text(encoding="utf-8"))):
            pages[outcome].append(chapter.stem)
    return {outcome: tuple(stems) for outcome, stems in pages.items()}


def test_the_main_chapters_state_every_answer() -> None:
    for outcome, stems in stating_pages().items():
        assert set(PAGES_THAT_MUST_STATE_EVERY_ANSWER) <= set(stems), outcome


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_page_stating_an_answer_shows_the_same_digits_and_the_model(
    built_html: Path, outcome: str
) -> None:
    answer = primary_answer(outcome)
    for stem in stating_pages()[outcome]:
        text = page_text(built_html / "book" / f"{stem}.html")
        assert answer.answer in text, f"{stem}: {answer.answer!r} missing"
        assert answer.prediction in text, f"{stem}: {answer.prediction!r} missing"
        assert answer.model in text, f"{stem}: the model {answer.model!r} is not named"


def test_no_page_writes_a_fall_in_points_with_other_digits(built_html: Path) -> None:
    expected = primary_answer("pain").answer
    for page in sorted((built_html / "book").glob("[0-9]*.html")):
        found = set(POINTS_WITH_CI.findall(page_text(page)))
        assert found <= {expected}, f"{page.name}: {sorted(found - {expected})}"


def test_the_introduction_s_verdict_names_its_models(built_html: Path) -> None:
    text = page_text(built_html / "book" / "00-introduction.html")
    verdict = text[text.index("Our verdict.") :]
    assert PRIMARY_MODELS["immediate"].model in verdict
    assert primary_answer("immediate").answer in verdict
    assert primary_answer("followup").prediction in verdict
