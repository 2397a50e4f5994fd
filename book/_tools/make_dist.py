"""Pack the built book into one archive to read offline: ``make dist``.

Usage: ``python book/_tools/make_dist.py [HTML] [--output DIR]`` (HTML: the built book, default
``_build/html``; DIR: default ``dist``). ``make dist`` first builds the book unless the one in
``_build/html`` is current (``build_book.py --reuse``).

Writes ``DIR/ketamine-crps-<version>.zip``, every file of the built book under one folder
``ketamine-crps-<version>/`` (the built book already holds the data package and each chapter's
executed notebook in ``downloads/``: ``build_book.copy_downloads``), and ``DIR/SHA256SUMS``, the
archive's SHA-256 in ``sha256sum``'s format (``cd dist && sha256sum -c SHA256SUMS``). The
version is ``analysis.__version__``. Entries are written in a fixed order with a fixed time,
so the same book gives the same bytes. ``tests/browser/test_dist.py`` opens an archive's pages
in Chromium from a temporary folder.
"""

import argparse
import hashlib
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NAME = "ketamine-crps"
SUMS = "SHA256SUMS"
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
"""The time of every entry (the earliest a zip file can record): an archive's bytes depend on
the book alone."""


@dataclass(frozen=True)
class Distribution:
    """The archive written by `make_dist` and the file of its checksum."""

    archive: Path
    sums: Path


def archive_name(version: str) -> str:
    """The archive's file name without ``.zip`` (also its top folder).

    Examples
    --------
    >>> archive_name("0.2.0")
    'ketamine-crps-0.2.0'
    """
    return f"{NAME}-{version}"


def make_dist(html: Path, output: Path, version: str) -> Distribution:
    """Write the archive of the built book ``html`` and its ``SHA256SUMS`` into ``output``."""
    if not (html / "index.html").is_file():
        raise FileNotFoundError(f"{html} holds no built book: run 'make book' first")
    output.mkdir(parents=True, exist_ok=True)
    top = archive_name(version)
    archive = output / f"{top}.zip"
    files = sorted(path for path in html.rglob("*") if path.is_file())
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as packed:
        for path in files:
            entry = zipfile.ZipInfo(f"{top}/{path.relative_to(html).as_posix()}", ENTRY_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            packed.writestr(entry, path.read_bytes())
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    sums = output / SUMS
    sums.write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    return Distribution(archive, sums)


def main(argv: list[str]) -> int:
    from analysis import __version__

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=REPO_ROOT / "_build" / "html")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "dist")
    args = parser.parse_args(argv)
    try:
        dist = make_dist(args.html, args.output, __version__)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    size = dist.archive.stat().st_size
    print(f"Wrote {dist.archive} ({size / 1e6:.1f} MB) and {dist.sums}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
