"""Fixtures of the browser suite: the built book on a loopback port, and Debian's Chromium.

Chromium is Debian's (``apt-get install chromium``), driven by Playwright with
``executable_path``; Playwright's own browser download is never used (it needs the internet).
Without Chromium the suite is skipped with a message that says so, except in CI (``CI=true``),
where a missing browser is a failure.
"""

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
MISSING_BROWSER = (
    f"Chromium not found at {CHROMIUM}: the browser tests did not run "
    "(install it with 'apt-get install chromium', or set CHROMIUM to its path)"
)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on 127.0.0.1 (a free port); return the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def book_url(built_html: Path) -> Iterator[str]:
    server, url = serve(built_html)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{MISSING_BROWSER}; in CI the browser tests must run")
        pytest.skip(MISSING_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list) -> None:
    """Run each test marked ``after_every_page`` after the other tests of its module (pytest
    has already grouped those by the page they load): it reads what all their loads saw."""
    last = [item for item in items if item.get_closest_marker("after_every_page")]
    for item in last:
        items.remove(item)
        module = getattr(item, "module", None)
        module_items = [
            i for i, other in enumerate(items) if getattr(other, "module", 0) is module
        ]
        items.insert(module_items[-1] + 1 if module_items else len(items), item)
