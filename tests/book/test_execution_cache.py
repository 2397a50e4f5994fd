"""A prose edit rebuilds without executing; a data edit executes again and shows the change.

A small book with the same execution settings as ours (myst-nb's cache and
book/_ext/execution_cache.py) and one chapter that prints a value read from ``data/`` is built
three times by Sphinx: afresh, after a prose edit, after a data edit. The build log says
whether the chapter ran; the page says what it printed.
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

CONF = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT / "book" / "_ext")!r})
extensions = ["myst_nb", "execution_cache"]
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
exclude_patterns = ["_build"]
"""
CHAPTER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---
# A chapter

{prose}

```{{code-cell}} python3
from pathlib import Path
print("value", Path("../data/value.csv").read_text().strip())
```
"""
RAN = "Executing notebook"


def _build(book: Path) -> tuple[bool, str]:
    """Build ``book``; return whether its chapter was executed and the chapter's page."""
    settings = {k: v for k, v in os.environ.items() if not k.startswith("KETAMINE_")}
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", str(book), str(book / "_build" / "html")],
        capture_output=True,
        text=True,
        env=settings,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    page = (book / "_build" / "html" / "book" / "01-chapter.html").read_text(encoding="utf-8")
    return RAN in done.stdout, page


def test_only_a_change_of_what_the_chapter_reads_executes_it_again(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "index.md").write_text("# Book\n\n```{toctree}\nbook/01-chapter\n```\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "book").mkdir()
    chapter, data = tmp_path / "book" / "01-chapter.md", tmp_path / "data" / "value.csv"
    chapter.write_text(CHAPTER.format(prose="First words."), encoding="utf-8")
    data.write_text("10\n", encoding="utf-8")

    ran, page = _build(tmp_path)
    assert ran and "value 10" in page

    chapter.write_text(CHAPTER.format(prose="Other words."), encoding="utf-8")
    ran, page = _build(tmp_path)
    assert not ran, "a prose edit executed the chapter again"
    assert "Other words." in page and "value 10" in page

    data.write_text("11\n", encoding="utf-8")
    ran, page = _build(tmp_path)
    assert ran, "a data edit did not execute the chapter again"
    assert "value 11" in page and "value 10" not in page
