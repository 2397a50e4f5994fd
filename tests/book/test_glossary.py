"""The glossary defines the terms a clinician meets, and every chapter opens with "In short".

Sources: issue 13, item 7 (the terms it lists, the box at the top of each chapter); the
glossary is ``book/glossary.md`` (MyST ``{glossary}`` directives), the chapters are
``book/NN-*.md``; the box is checked in the built HTML (``_build/html/book/NN-*.html``).

A chapter "uses" a term when its prose mentions it (`MENTIONS`): the text outside code cells,
figure captions, headings, inline code and the targets of other roles. Its first use must be
linked with ``{term}``: the first ``{term}`` role for it stands in the paragraph of the first
mention, or earlier. Sphinx itself fails the (strict) build on a ``{term}`` that names no entry.
"""

import html
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

GLOSSARY = REPO_ROOT / "book" / "glossary.md"
CHAPTERS = sorted((REPO_ROOT / "book").glob("[0-9][0-9]-*.md"))

ISSUE_TERMS = (
    "SMD",
    "Cohen's d",
    "Hedges' g",
    "τ²",
    "I²",
    "H²",
    "Cochran's Q",
    "DerSimonian–Laird",
    "REML",
    "Hartung–Knapp",
    "Knapp–Hartung",
    "HKSJ",
    "prediction interval",
    "GLMM",
    "binomial–normal model",
    "funnel plot",
    "Egger's test",
    "trim and fill",
    "Clopper–Pearson interval",
    # Terms the chapters use beyond the issue's list.
    "Begg's test",
    "Freeman–Tukey",
    "logit",
    "Q-profile",
    "random-effects model",
    "common-effect model",
    "fixed-effect model",
    "meta-regression",
)
"""Terms that must have an entry: the issue's list, then the others its brief names."""

MENTIONS = {
    "SMD": r"\bSMDs?\b|[Ss]tandardi[sz]ed mean differences?",
    "Cohen's d": r"Cohen's \$?d\b\$?",
    "Hedges' g": r"Hedges' (?:\$?g\b\$?|correction)",
    "τ²": r"τ²|\$(?:\\hat)?\\tau\^2\$|between-study variance",
    "I²": r"I²|\$I\^2\$",
    "H²": r"H²|\$H\^2\$",
    "Cochran's Q": r"Cochran's \$?Q\b\$?|\$Q\$",
    "DerSimonian–Laird": r"DerSimonian(?:–| and )Laird",
    "REML": r"\bREML\b|[Rr]estricted maximum likelihood",
    "Paule–Mandel": r"Paule–Mandel",
    "Hartung–Knapp": r"Hartung–Knapp(?:–Sidik–Jonkman)?|Knapp–Hartung|\bHKSJ\b",
    "prediction interval": r"[Pp]rediction intervals?",
    "GLMM": r"\bGLMM\b|[Bb]inomial–normal",
    "forest plot": r"[Ff]orest plots?",
    "funnel plot": r"(?<!enhanced\s)[Ff]unnel plots?",
    "contour-enhanced funnel plot": r"[Cc]ontour-enhanced funnel(?: plots?)?",
    "Egger's test": r"Egger's",
    "Begg's test": r"Begg's|Begg and Mazumdar",
    "trim and fill": r"[Tt]rim and fill",
    "Clopper–Pearson interval": r"Clopper–Pearson",
    "Wilson interval": r"Wilson (?:score )?interval",
    "Wald interval": r"\bWald\b",
    "Freeman–Tukey": r"Freeman–Tukey",
    "logit": r"\blogit\b",
    "random-effects model": r"[Rr]andom[- ]effects?\b",
    "common-effect model": r"[Cc]ommon[- ]effect\b|[Ff]ixed[- ]effect\b",
    "meta-regression": r"[Mm]eta-regressions?",
    "Q-profile": r"Q-profile",
    "leave-one-out": r"[Ll]eave-one-out",
    "Baujat plot": r"Baujat plot",
    "cumulative meta-analysis": r"[Cc]umulative meta-analys[ie]s",
    "PRISMA": r"\bPRISMA\b",
    "kappa": r"\b[Kk]appa\b",
    "multiverse": r"\b[Mm]ultiverse\b",
    "specification curve": r"[Ss]pecification curves?",
    "Monte Carlo error": r"Monte[- ]Carlo errors?",
}
"""How the chapters' prose mentions each glossary term (keyed by the entry it links to); a space
also matches a line break."""

MATH_THAT_NAMES_A_TERM = {r"I^2", r"H^2", r"\tau^2", r"\hat\tau^2", "Q", "d", "g"}
"""Inline mathematics that is a term on its own (kept as a mention, not masked)."""

FENCE = re.compile(r"^(```+|:::+)(.*)$")
ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
INLINE_CODE = re.compile(r"`[^`\n]*`")
INLINE_MATH = re.compile(r"(?<![$\\])\$(?!\$)([^$\n]+?)\$(?!\$)")
IN_SHORT_BOX = (
    r'<div class="[^"]*admonition[^"]*">\s*<p class="admonition-title">In short</p>(.*?)</div>'
)
TERM_TARGET = re.compile(r"^(?:.*?<(?P<target>[^<>]+)>|(?P<plain>.*))$", re.S)


def masked(text: str, start: int, end: int) -> str:
    """``text`` with the characters from ``start`` to ``end`` blanked (newlines kept)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


@dataclass(frozen=True)
class Prose:
    """A chapter's prose: the text with everything but prose blanked, and its term links.

    Attributes
    ----------
    text : str
        The source with code, captions, headings, inline code, other roles' targets and
        mathematics that is not a term on its own replaced by spaces (offsets unchanged).
    links : tuple of (int, str)
        The offset and lower-cased target of each ``{term}`` role, in order.
    paragraph_starts : tuple of int
        The offset where each paragraph (text between blank lines) starts.
    """

    text: str
    links: tuple[tuple[int, str], ...]
    paragraph_starts: tuple[int, ...]

    def paragraph(self, offset: int) -> int:
        """The index of the paragraph that holds ``offset``."""
        return bisect_right(self.paragraph_starts, offset) - 1


def mention_of(pattern: str, text: str) -> re.Match[str] | None:
    """The first mention of a term in ``text``; a space of ``pattern`` matches any spacing."""
    return re.search(pattern.replace(" ", r"\s+"), text)


def term_target(content: str) -> str:
    """The entry a ``{term}`` role names: ``text <target>`` or ``target``, lower-cased."""
    found = TERM_TARGET.match(content.strip())
    return (found["target"] or found["plain"]).strip().lower()


def read_prose(source: str) -> Prose:
    """Mask what is not prose in a MyST chapter and collect its ``{term}`` links."""
    text = re.sub(r"\A---\n.*?\n---\n", lambda m: re.sub(r"[^\n]", " ", m[0]), source, flags=re.S)
    offset, lines, fence, keep = 0, text.splitlines(keepends=True), None, False
    for line in lines:
        opening = FENCE.match(line.rstrip("\n"))
        if fence is None and opening:
            fence, keep = opening[1], opening[2].startswith("{admonition} In short")
            text = masked(text, offset, offset + len(line))
        elif fence is not None and line.rstrip("\n") == fence:
            fence = None
            text = masked(text, offset, offset + len(line))
        elif (fence is not None and (not keep or line.startswith(":"))) or line.startswith("#"):
            text = masked(text, offset, offset + len(line))
        offset += len(line)
    text = re.sub(r"\$\$.*?\$\$", lambda m: re.sub(r"[^\n]", " ", m[0]), text, flags=re.S)
    links = []
    for role in ROLE.finditer(text):
        if role[1] == "term":
            links.append((role.start(), term_target(role[2])))
        text = masked(text, role.start(), role.end())
    for code in INLINE_CODE.finditer(text):
        text = masked(text, code.start(), code.end())
    for math in INLINE_MATH.finditer(text):
        if math[1].strip() not in MATH_THAT_NAMES_A_TERM:
            text = masked(text, math.start(), math.end())
    starts = [0] + [blank.end() for blank in re.finditer(r"\n[ \t]*\n", text)]
    return Prose(text, tuple(links), tuple(starts))


@cache
def glossary_entries() -> dict[str, str]:
    """Each term of the glossary (lower-cased) with the text of its definition."""
    entries: dict[str, str] = {}
    source = GLOSSARY.read_text(encoding="utf-8")
    for block in re.findall(r"```\{glossary\}\n(.*?)\n```", source, flags=re.S):
        terms: list[str] = []
        for line in block.splitlines():
            if line.strip() and not line.startswith((" ", ":")):
                if terms and terms[-1] in entries:
                    terms = []
                terms.append(line.strip().lower())
            elif line.strip():
                for term in terms:
                    entries[term] = (entries.get(term, "") + " " + line.strip()).strip()
    return entries


def sentences(text: str) -> list[str]:
    """The sentences of a text: ends are '.', '!' or '?' before a capital or the end."""
    return [s for s in re.split(r"(?<=[a-z%)0-9`][.!?])\s+(?=[A-Z{])", text.strip()) if s]


def test_every_listed_term_has_an_entry() -> None:
    assert GLOSSARY.exists(), "book/glossary.md is missing"
    missing = {term for term in ISSUE_TERMS if term.lower() not in glossary_entries()}
    assert missing == set()


def test_every_mentioned_term_has_an_entry() -> None:
    assert set(map(str.lower, MENTIONS)) <= set(glossary_entries())


def test_each_entry_has_two_to_four_sentences_and_a_reference() -> None:
    for term, definition in glossary_entries().items():
        assert 2 <= len(sentences(definition)) <= 4, (term, sentences(definition))
        assert re.search(r"\{cite:[tp]\}`", definition), f"{term}: no reference"


def test_the_glossary_types_no_number() -> None:
    """Figures of the paper are named ("Fig. 2"); no other digit is typed in the glossary."""
    text = ROLE.sub(" ", GLOSSARY.read_text(encoding="utf-8"))
    assert re.findall(r"(?<!Fig\. )\b\S*[0-9]\S*", text) == []


def test_the_glossary_is_in_the_table_of_contents_before_the_references() -> None:
    toc = (REPO_ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert toc.index("file: book/glossary") < toc.index("file: book/references")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_every_term_role_names_an_entry(chapter: Path) -> None:
    prose = read_prose(chapter.read_text(encoding="utf-8"))
    assert {target for _, target in prose.links} <= set(glossary_entries())


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_links_the_first_use_of_each_term(chapter: Path) -> None:
    prose = read_prose(chapter.read_text(encoding="utf-8"))
    unlinked = []
    for term, pattern in MENTIONS.items():
        mention = mention_of(pattern, prose.text)
        if mention is None:
            continue
        links = [offset for offset, target in prose.links if target == term.lower()]
        if not links or prose.paragraph(links[0]) > prose.paragraph(mention.start()):
            line = prose.text.count("\n", 0, mention.start()) + 1
            unlinked.append(f"{term} (line {line}: {mention[0]!r})")
    assert unlinked == []


def test_the_mention_finder_can_fail() -> None:
    """A chapter that mentions I² in prose without a link is caught; code and captions not."""
    source = (
        "# Title\n\n```{code-cell} ipython3\nprint('I²')\n```\n\n"
        "The studies disagree: $I^2$ is large.\n\nLater {term}`I² <I²>` again.\n"
    )
    prose = read_prose(source)
    mention = mention_of(MENTIONS["I²"], prose.text)
    assert mention is not None and prose.text[mention.start() :].startswith("$I^2$")
    assert prose.paragraph(prose.links[0][0]) > prose.paragraph(mention.start())


def page_text(fragment: str) -> str:
    """Visible text of an HTML fragment: tags dropped (no space for them), spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_opens_with_an_in_short_box(built_html: Path, chapter: Path) -> None:
    page = (built_html / "book" / f"{chapter.stem}.html").read_text(encoding="utf-8")
    box = re.search(IN_SHORT_BOX, page, flags=re.S)
    assert box is not None, "no 'In short' box"
    between = page[page.rindex("</h1>", 0, box.start()) : box.start()]
    assert "<p" not in between and "<h2" not in between, "the box is not just under the title"
    text = page_text(box[1])
    assert len(sentences(text)) >= 2, text
    assert not re.search(r"\{glue|glue:|\bnan\b|undefined|\?\?", text), text


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_term_links_reach_an_entry_of_the_glossary(built_html: Path, chapter: Path) -> None:
    page = (built_html / "book" / f"{chapter.stem}.html").read_text(encoding="utf-8")
    glossary = (built_html / "book" / "glossary.html").read_text(encoding="utf-8")
    anchors = re.findall(r'href="glossary\.html#([^"]+)"', page)
    if read_prose(chapter.read_text(encoding="utf-8")).links:
        assert anchors, "the chapter's term links are not in the page"
    assert {anchor for anchor in anchors if f'id="{anchor}"' not in glossary} == set()
