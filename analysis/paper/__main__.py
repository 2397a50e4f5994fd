"""``python -m analysis.paper [--resource NAME [PATH]]``: check the data files of the paper.

Each file in ``data/`` is read against its schema in ``data/datapackage.json``; the first
problem is printed as one line naming the file, row, column and value (exit status 1).
"""

from analysis.paper.data import main

raise SystemExit(main())
