"""html_table (analysis.charts.tables): escaped HTML; links with escaped text and address;
numbers right-aligned with their header; columns put first; cards for a phone."""

import pandas as pd
import pytest

from analysis.charts.tables import html_table
from analysis.metaanalysis.errors import InputError


def test_html_table_links_escape_text_and_address() -> None:
    frame = pd.DataFrame(
        {
            "Claim": ["<script>x</script>", "plain"],
            "Shown in": ["A & B", "no link"],
            "href": ['03-pooling.html#a"b', None],
        }
    )
    markup = html_table(frame, links={"Shown in": "href"}).data
    assert '<a href="03-pooling.html#a&quot;b">A &amp; B</a>' in markup
    assert "&lt;script&gt;x&lt;/script&gt;" in markup
    assert "<script>" not in markup
    assert "<td>no link</td>" in markup
    assert "href</th>" not in markup  # the address column is not shown


def test_html_table_escapes_headers_and_cells_and_sits_in_a_scrolling_box() -> None:
    frame = pd.DataFrame({"Study <i>": ["A & <b>"], "n": [3]})
    markup = html_table(frame).data
    assert markup.startswith('<div class="book-table-scroll" tabindex="0">')
    assert '<th scope="col">Study &lt;i&gt;</th>' in markup
    assert "<td>A &amp; &lt;b&gt;</td>" in markup
    assert html_table(frame).data == markup  # no random ids


def test_html_table_aligns_number_columns_right_with_their_header() -> None:
    frame = pd.DataFrame(
        {"Study": ["Kiefer 2008b", "Sigtermans 2009"], "Pooled": ["0.53 (0.21 to 0.86)", None]}
    )
    markup = html_table(frame).data
    assert '<th scope="col" class="num">Pooled</th>' in markup
    assert '<td class="num">0.53 (0.21 to 0.86)</td>' in markup
    assert '<td class="num">not reported</td>' in markup
    assert '<th scope="col">Study</th>' in markup
    forced = html_table(frame, align={"Pooled": "left"}).data
    assert 'class="num"' not in forced


def test_html_table_puts_named_columns_first_and_labels_cards() -> None:
    frame = pd.DataFrame({"a": ["x"], "b": ["y"], "c": [1]})
    markup = html_table(frame, first=["c", "a"], cards=True).data
    assert markup.index(">c</th>") < markup.index(">a</th>") < markup.index(">b</th>")
    assert 'class="book-table book-table-cards"' in markup
    assert '<td class="num" data-label="c">1</td>' in markup


def test_html_table_refuses_unknown_link_columns_and_scripts() -> None:
    frame = pd.DataFrame({"a": ["x"], "url": ["javascript:alert(1)"]})
    with pytest.raises(InputError, match=r"^html_table: 'b' is named but is not a column"):
        html_table(frame, links={"b": "url"})
    with pytest.raises(InputError, match=r"^html_table: 'z' is named but is not a column"):
        html_table(frame, first=["z"])
    with pytest.raises(InputError, match=r"^html_table: align 'a' is 'centre'"):
        html_table(frame, align={"a": "centre"})
    with pytest.raises(InputError, match=r"^html_table: link 'javascript:alert\(1\)'"):
        html_table(frame, links={"a": "url"})
