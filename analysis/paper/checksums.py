"""Checksums of the data files, recorded in ``data/datapackage.json``.

Each resource carries ``"hash": "sha256:<hex>"`` and ``"bytes"`` (Frictionless Data Package
fields). The test suite compares them with the files, so a data file changed by accident is
noticed. After an intended change, ``make data-checksums`` (``python -m analysis.paper.checksums
--write``) records the new values; it rewrites only those two fields.
"""

import hashlib
import json
import sys

from analysis.paper.paths import DATA_DIR, DATAPACKAGE


def file_checksum(name: str) -> tuple[str, int]:
    """``("sha256:<hex>", size in bytes)`` of ``data/<name>``."""
    raw = (DATA_DIR / name).read_bytes()
    return f"sha256:{hashlib.sha256(raw).hexdigest()}", len(raw)


def stale_checksums() -> list[str]:
    """One line per resource whose recorded hash or size no longer matches its file."""
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    problems = []
    for resource in package["resources"]:
        digest, size = file_checksum(resource["path"])
        if resource.get("hash") != digest or resource.get("bytes") != size:
            problems.append(
                f"data/{resource['path']} does not match the hash recorded in "
                f"data/datapackage.json (resource {resource['name']!r}); if the change is "
                "intended, run 'make data-checksums'"
            )
    return problems


def write_checksums() -> None:
    """Record the current hash and size of every data file in ``data/datapackage.json``."""
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource["hash"], resource["bytes"] = file_checksum(resource["path"])
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    DATAPACKAGE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``--write`` records the checksums; without it, report stale ones (exit 1 if any)."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["--write"]:
        write_checksums()
        print("recorded the checksums of the data files in data/datapackage.json")
        return 0
    problems = stale_checksums()
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
