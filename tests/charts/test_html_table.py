"""html_table (analysis.charts.tables): escaped HTML; links with escaped text and address."""

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


def test_html_table_without_links_is_unchanged() -> None:
    frame = pd.DataFrame({"Study <i>": ["A & <b>"], "n": [3]})
    expected = frame.astype(str).to_html(
        index=False, escape=True, border=0, classes=["book-table"]
    )
    assert html_table(frame).data == expected


def test_html_table_refuses_unknown_link_columns_and_scripts() -> None:
    frame = pd.DataFrame({"a": ["x"], "url": ["javascript:alert(1)"]})
    with pytest.raises(InputError, match=r"^html_table: links names 'b'"):
        html_table(frame, links={"b": "url"})
    with pytest.raises(InputError, match=r"^html_table: link 'javascript:alert\(1\)'"):
        html_table(frame, links={"a": "url"})
