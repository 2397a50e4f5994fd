"""``python -m analysis.paper [--resource NAME [PATH]]``: check the data files of the paper.

Each file in ``data/`` is read against its schema in ``data/datapackage.json`` and the rules
the check knows from the domain; then the rules between files (the corrections, the side-effect
vocabulary, the flow chart). The first problem is printed as one line naming the file, row,
column and value (exit status 1). With ``--resource``, only that file (or PATH read as it) is
checked. See `analysis.paper.data_check.check_data`.
"""

from analysis.paper.data_check import main

raise SystemExit(main())
