"""Compare a regenerated reference file with the stored one.

Usage: ``python -m tests.reference.compare STORED.json REGENERATED.json``

Numbers must agree to floating-point noise (``tests.tolerances.FLOATING_POINT_NOISE``:
relative 1e-12, absolute 1e-15); everything else (names, versions, structure) exactly. Prints
one line per difference and exits 1 if there is any. CI runs it after re-running each R script
in tests/reference/ (``make check-references``).
"""

import json
import math
import sys
from pathlib import Path

from tests.tolerances import FLOATING_POINT_NOISE


def differences(stored: object, fresh: object, path: str = "") -> list[str]:
    """Every place where ``fresh`` differs from ``stored``, as ``path: stored != fresh``."""
    if isinstance(stored, dict) and isinstance(fresh, dict):
        lines = [f"{path}/{key}: only in one file" for key in stored.keys() ^ fresh.keys()]
        for key in stored.keys() & fresh.keys():
            lines += differences(stored[key], fresh[key], f"{path}/{key}")
        return lines
    if isinstance(stored, list) and isinstance(fresh, list):
        if len(stored) != len(fresh):
            return [f"{path}: {len(stored)} items stored, {len(fresh)} regenerated"]
        lines = []
        for index, (a, b) in enumerate(zip(stored, fresh, strict=True)):
            name = a.get("name", index) if isinstance(a, dict) else index
            lines += differences(a, b, f"{path}[{name}]")
        return lines
    numbers = (int, float)
    if isinstance(stored, numbers) and isinstance(fresh, numbers):
        # NaN is a value R reports (metafor's square root of a negative variance): the same.
        if FLOATING_POINT_NOISE.isclose(stored, fresh) or (
            math.isnan(stored) and math.isnan(fresh)
        ):
            return []
    elif stored == fresh:
        return []
    return [f"{path}: stored {stored!r}, regenerated {fresh!r}"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    stored, fresh = (json.loads(Path(a).read_text(encoding="utf-8")) for a in args)
    found = differences(stored, fresh)
    for line in found:
        print(f"{args[0]}: {line}", file=sys.stderr)
    print(f"{args[0]}: {'differs' if found else 'reproduced'} ({len(found)} differences)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
