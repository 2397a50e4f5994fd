"""Sphinx extension: mathematics written as MathML when the book is built, with no script.

The book's formulas are short (an SMD, a weight, I² from τ²). MathJax, which Sphinx uses by
default, typesets them in the reader's browser with a 1.2 MB script loaded by every page that
has a formula, and its fonts. Browsers draw MathML themselves (MathML Core: Chromium 109,
Firefox and Safari), so this extension converts each formula's LaTeX to MathML once, at build
time, with latex2mathml, and the pages load nothing for their mathematics.

A formula latex2mathml cannot read stops the build with the formula and the page named (the
book builds with -W), rather than showing raw LaTeX to a reader.

References
----------
W3C (2023). MathML Core. https://www.w3.org/TR/mathml-core/
"""

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.math import get_node_equation_number

RENDERER = "mathml"


HAT_ASCII = "<mo>&#x0005E;</mo></mover>"
HAT_ACCENT = "<mo>&#x00302;</mo></mover>"
"""latex2mathml writes ``\\hat`` as the ASCII caret, which browsers set beside the letter;
the combining circumflex sits over it, as TeX draws it."""


def _mathml(self, latex: str, display: str) -> str:
    try:
        return convert(latex.strip(), display=display).replace(HAT_ASCII, HAT_ACCENT)
    except Exception as error:  # latex2mathml raises many kinds; name the formula instead
        where = getattr(self.builder, "current_docname", "?")
        raise ExtensionError(
            f"mathml: cannot convert ${latex}$ on page {where}: {error}"
        ) from None


def _inline(self, node: nodes.math) -> None:
    self.body.append(
        f'<span class="math notranslate">{_mathml(self, node.astext(), "inline")}</span>'
    )
    raise nodes.SkipNode


def _block(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})</span>')
    self.body.append(_mathml(self, node.astext(), "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    # _config.yml selects it: html_math_renderer: mathml.
    app.add_html_math_renderer(RENDERER, (_inline, None), (_block, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
