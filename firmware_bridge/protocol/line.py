"""The ASCII line protocol any hobbyist sketch can print: ``t_ms,force`` or ``force`` per line.

Pure codec. Lines end in LF (CR is ignored); the two fields may also be separated by a tab, a
semicolon or spaces (the Arduino serial plotter's habit). A first line that is not numeric is a
header and is skipped; any other unreadable line (including NaN/inf) is counted in
``bad_lines``. A line of over 256 bytes is garbage: all of it is dropped, counted once, and
decoding resumes after its newline, however the bytes were cut. ``lines`` counts the non-empty
lines seen, and ``row_lines`` gives the line number (from 1) of each row the last ``feed``
returned, so a caller can name the line where something happened.
"""

from __future__ import annotations

import math
import re

MAX_LINE = 256
_SEP = re.compile(rb"\s*[,;\t ]\s*")


class LineDecoder:
    """Feed bytes in pieces of any size; returns ``(t_ms or None, force)`` rows completed so far."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.bad_lines = 0
        self.lines = 0              # non-empty lines seen (an over-long one counts once)
        self.row_lines: list[int] = []   # line number of each row the last feed() returned
        self._seen_data = False
        self._skipping = False      # inside an over-long line, until its newline

    def feed(self, data: bytes) -> list[tuple[float | None, float]]:
        self._buf += data
        out: list[tuple[float | None, float]] = []
        self.row_lines = []
        while True:
            i = self._buf.find(b"\n")
            if i < 0:
                if len(self._buf) > MAX_LINE:
                    self._drop_long()
                    self._buf.clear()
                return out
            if self._skipping or i > MAX_LINE:
                self._drop_long()
                self._skipping = False
                del self._buf[:i + 1]
                continue
            line = bytes(self._buf[:i]).strip(b"\r \t")
            del self._buf[:i + 1]
            if not line:
                continue
            self.lines += 1
            row = self._parse(line)
            if row is None:
                if self._seen_data or not any(c.isalpha() for c in line.decode("latin-1")):
                    self.bad_lines += 1
                self._seen_data = True
                continue
            self._seen_data = True
            out.append(row)
            self.row_lines.append(self.lines)

    def _drop_long(self) -> None:
        if not self._skipping:
            self.bad_lines += 1
            self.lines += 1
            self._seen_data = True
        self._skipping = True

    @staticmethod
    def _parse(line: bytes) -> tuple[float | None, float] | None:
        parts = _SEP.split(line)
        try:
            vals = [float(p) for p in parts]
        except ValueError:
            return None
        if not all(math.isfinite(v) for v in vals):
            return None
        if len(vals) == 1:
            return None, vals[0]
        if len(vals) == 2:
            return vals[0], vals[1]
        return None
