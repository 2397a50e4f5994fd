"""Checksums of the data files, recorded in ``data/datapackage.json``.

Each resource carries ``"hash": "sha256:<hex>"`` and ``"bytes"`` (Frictionless Data Package
fields). The test suite compares them with the files, so a data file changed by accident is
noticed. After an intended change, ``make data-checksums`` (``python -m analysis.paper.checksums
--write``) records the new values; it rewrites only those two fields. Only files inside
``data/`` are read (see `analysis.paper.data.datapackage`).
"""

import hashlib
import json
import sys

from analysis.paper import data
from analysis.paper.data import DataFileError


def file_checksum(name: str) -> tuple[str, int]:
    """``("sha256:<hex>", size in bytes)`` of the file of resource ``name``.

    Raises
    ------
    DataFileError
        If the file cannot be read, or is a link to a file outside ``data/``.
    """
    return _sha256(data.resource_path(name))


def _sha256(path) -> tuple[str, int]:
    shown = data._display_path(path)
    data._check_inside(path, data.DATA_DIR, shown)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"{shown}: cannot be read ({error.strerror})") from None
    return f"sha256:{hashlib.sha256(raw).hexdigest()}", len(raw)


def package_checksum() -> str:
    """``"sha256:<hex>"`` of ``datapackage.json``: the checksum of the whole data package.

    ``datapackage.json`` records the SHA-256 and size of every data file (`write_checksums`),
    and the tests check that those match the files (`stale_checksums`), so the hash of that one
    file names the exact state of every file of the package. Every page of the built book
    shows it in its footer (``book/_ext/build_stamp.py``).

    Raises
    ------
    DataFileError
        If ``datapackage.json`` cannot be read.
    """
    return _sha256(data.DATAPACKAGE)[0]


def stale_checksums() -> list[str]:
    """One line per resource whose recorded hash or size no longer matches its file."""
    problems = []
    for resource in data.datapackage()["resources"]:
        digest, size = file_checksum(resource["name"])
        if resource.get("hash") != digest or resource.get("bytes") != size:
            problems.append(
                f"data/{resource['path']} does not match the hash recorded in "
                f"data/datapackage.json (resource {resource['name']!r}); if the change is "
                "intended, run 'make data-checksums'"
            )
    return problems


def write_checksums() -> None:
    """Record the current hash and size of every data file in ``data/datapackage.json``."""
    package = json.loads(json.dumps(data.datapackage()))
    for resource in package["resources"]:
        resource["hash"], resource["bytes"] = file_checksum(resource["name"])
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    data.DATAPACKAGE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``--write`` records the checksums; without it, report stale ones (exit 1 if any)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        if args == ["--write"]:
            write_checksums()
            print("recorded the checksums of the data files in data/datapackage.json")
            return 0
        problems = stale_checksums()
    except DataFileError as error:
        problems = [str(error)]
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
