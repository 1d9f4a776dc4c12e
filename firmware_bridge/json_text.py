"""JSON read from files and devices: an integer too long for Python to read is a number like any
other too large to use.

Python refuses to turn a run of more than 4300 digits into an integer (a ``ValueError`` that is
not a ``JSONDecodeError``, so the readers' handling of bad JSON let it through as a traceback).
Read here, such a run becomes a float (``inf`` beyond a float's range), which every reader
already judges as a value out of range, in time linear in its length.
"""

from __future__ import annotations

import json

LONGEST_INT_DIGITS = 4000       # (under Python's own limit of 4300)


def _int(text: str) -> int | float:
    return int(text) if len(text) <= LONGEST_INT_DIGITS else float(text)


def loads(text: str | bytes):
    """``json.loads(text)``, an integer of more than :data:`LONGEST_INT_DIGITS` digits read as a float."""
    return json.loads(text, parse_int=_int)
