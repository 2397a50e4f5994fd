"""The data-edit corpus: plausible edits of ``data/``; the package and the chapters run on each."""
