"""The data check: every file against its schema and the domain's rules, then the rules between
files (``python -m analysis.paper``, run before every build).

It sits above `analysis.paper.data` (which reads and checks one file) and the modules that read
the side-effect vocabulary and the flow chart, so that none of them imports another in a circle.
"""

import sys
from collections.abc import Iterator

from analysis.paper.adverse_effects import side_effect_mentions
from analysis.paper.data import (
    DataFileError,
    datapackage,
    load_studies,
    load_table,
)
from analysis.paper.flow import load_flow, reporting_table


def check_data() -> Iterator[str]:
    """Check every data file, then the rules between files; yield one line per check passed.

    The rules between files: every correction of ``corrections.csv`` still finds its printed
    value in ``studies.csv``; every side effect of ``studies.csv`` matches a phrase of
    ``side_effect_terms.csv``; the flow chart's boxes form a flow. These would otherwise stop a
    chapter.

    Raises
    ------
    DataFileError
        At the first problem, with one line naming the file, row, column and value.
    """
    for resource in datapackage()["resources"]:
        frame = load_table(resource["name"])
        yield f"ok: {resource['name']} ({len(frame)} rows)"
    studies = load_studies()
    yield "ok: every correction in data/corrections.csv finds its printed value"
    side_effect_mentions(studies)
    yield "ok: every side effect in data/studies.csv matches data/side_effect_terms.csv"
    reporting_table(flow=load_flow())
    yield "ok: the boxes of data/prisma_flow.csv form a flow"


def _check_one(name: str, path: str | None) -> Iterator[str]:
    yield f"ok: {name} ({len(load_table(name, path))} rows)"


def main(argv: list[str] | None = None) -> int:
    """Check every data file (or ``--resource NAME [PATH]``); stop at the first problem."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--resource"] and len(args) in (2, 3):
        checks = _check_one(args[1], args[2] if len(args) == 3 else None)
    elif not args:
        checks = check_data()
    else:
        print("usage: python -m analysis.paper [--resource NAME [PATH]]", file=sys.stderr)
        return 2
    try:
        for line in checks:
            print(line)
    except DataFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
