"""The fields of the book's BibTeX bibliography (``book/references.bib``) that the analyses read.

The bibliography is written by hand in one layout: ``@type{key,``, one ``field = {value},`` per
line, and a closing ``}`` on its own line. These helpers read that layout only; they are no
general BibTeX parser.
"""

import re

_ENTRY = re.compile(r"^@\w+\{([^,\s]+),(.*?)\n\}", re.S | re.M)


def bib_entries(bibliography: str) -> dict[str, str]:
    """Each entry's body by its key, in the order of the file.

    Examples
    --------
    >>> list(bib_entries("@article{a2001,\\n  title = {A},\\n}\\n@book{b2002,\\n}"))
    ['a2001', 'b2002']
    """
    return {key: body for key, body in _ENTRY.findall(bibliography)}


def bib_field(bibliography: str, field: str) -> dict[str, str]:
    """The value of ``field`` of every entry that has it, by key.

    A field is matched by its whole name: ``title`` does not read ``booktitle``.

    Examples
    --------
    >>> bib = ("@inproceedings{a2001,\\n  booktitle = {Proc.},\\n  title = {A trial},\\n}\\n"
    ...        "@article{b2002,\\n  author = {Kiefer, R.},\\n}")
    >>> bib_field(bib, "title")
    {'a2001': 'A trial'}
    """
    pattern = re.compile(rf"(?<![A-Za-z]){re.escape(field)}\s*=\s*\{{(.*?)\}},\s*\n", re.S)
    values = {}
    for key, body in bib_entries(bibliography).items():
        found = pattern.search(body + "\n")
        if found:
            values[key] = found.group(1)
    return values
