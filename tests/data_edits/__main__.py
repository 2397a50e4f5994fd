"""``python -m tests.data_edits [EDIT ...]``: run the data-edit corpus (``make data-edits``)."""

import sys

from tests.data_edits.runner import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
