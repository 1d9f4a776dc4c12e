"""The ASCII line protocol any hobbyist sketch can print: ``t_ms,force`` or ``force`` per line,
or a load-cell library example's labelled line (``Reading: 1.2 lbs``, ``one reading:\\t12.3\\t| …``).

Pure codec. Lines end in LF (CR is ignored); the two fields may also be separated by a tab, a
semicolon or spaces (the Arduino serial plotter's habit). A line with letters in it is read as a
label and the first number after it, with the unit that follows it when it names one (N, kg, g,
lb…, see ``UNIT_TO_N``: converted to newtons; none, or ``units``, is taken as it comes, as a bare
``force``); a label ends at its first ``:`` or ``=``, so a number in it is not the value. Lines
of text alone (a sketch's banner, ``Tare done...``) before the first data are skipped; any other
unreadable line (NaN/inf, an unknown unit, text after the data) is counted in ``bad_lines``; of
them, lines of words after the data (``battery low``) in ``text_lines`` too (the first in
``first_text``), so that a caller can say them apart from lines that were garbled.
Lines labelled as raw ADC readings (``Read 12345``, ``raw: …``, or the setup report of the HX711
library's full example) are no forces: they are counted in ``raw_lines`` (``raw_run`` since the
last row), the first kept in ``first_raw`` for the caller to name, and give no row. So is a
labelled integer with no unit of an ADC's size (``Reading: 25776``, SparkFun's Qwiic Scale
example: ``RAW_COUNT_MIN`` or more), and every unitless integer under its label from then on (a
count near zero is no force either); a decimal (``Reading: 1.23``, how a sketch prints a
calibrated float) or a small integer before it is taken as it comes. A count followed by a
labelled value (``Reading: 25776\\tWeight: 12.34``) gives that value. A line of text whose
number is one field of several (``$GPGGA,123519,4807.038,N,…``, a GPS's NMEA sentence) is no
labelled reading either: it is text, counted in ``record_lines`` (the first in ``first_record``). A line of over 256 bytes
is garbage: all of it is dropped, counted once, and decoding resumes after its newline, however
the bytes were cut. ``lines`` counts the non-empty lines seen, and ``row_lines`` gives the line number (from 1)
of each row the last ``feed`` returned, so a caller can name the line where something happened.
"""

from __future__ import annotations

import math
import re

from firmware_bridge.session import KNOWN_FORCE_UNITS

MAX_LINE = 256
_SEP = re.compile(rb"\s*[,;\t ]\s*")

# the unit a sketch prints after its number → newtons per that unit (lower case; None: not a
# unit, the value is taken as it comes). ``g`` and ``lb`` are the library examples' own words.
UNIT_TO_N: dict[str, float | None] = {
    "n": KNOWN_FORCE_UNITS["N"], "newton": KNOWN_FORCE_UNITS["N"], "newtons": KNOWN_FORCE_UNITS["N"],
    "kg": KNOWN_FORCE_UNITS["kg"], "kgs": KNOWN_FORCE_UNITS["kg"], "kgf": KNOWN_FORCE_UNITS["kgf"],
    "g": KNOWN_FORCE_UNITS["kg"] / 1000.0, "gr": KNOWN_FORCE_UNITS["kg"] / 1000.0,
    "gram": KNOWN_FORCE_UNITS["kg"] / 1000.0, "grams": KNOWN_FORCE_UNITS["kg"] / 1000.0,
    "lb": KNOWN_FORCE_UNITS["lbf"], "lbs": KNOWN_FORCE_UNITS["lbf"], "lbf": KNOWN_FORCE_UNITS["lbf"],
    "units": None,          # bogde's get_units(), HX711_ADC's "calibrated units": no unit named
}
RAW_UNITS = {"counts", "count", "lsb"}
# labels of raw ADC readings: Adafruit NAU7802's "Read 12345", "raw: …", "ADC : …", and the setup
# report of bogde's HX711_full_example ("read:", "read average:", "get value:", "get units:"),
# printed once before set_scale()/tare() and again after, ahead of its "one reading" lines
_RAW_LABEL = re.compile(r"[^a-z]*(?:read|read average|get value|get units|raw(?: \w+)?|\w+ raw|adc(?: \w+)?)[^a-z]*")
# the first number standing alone (not inside "HX711" or "0.3.9"), a unit stuck to it or after
# one space or tab, then nothing glued on; nan/inf/ovf (what Arduino prints for a bad float) too
_VALUE = re.compile(rb"(?<![\w.+-])([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|(?i:nan|inf|ovf))"
                    rb"([A-Za-z]+)?(?![\w.])(?:[ \t]+([A-Za-z]+)(?![\w.]))?")
_PRINTABLE = re.compile(rb"[\t\x20-\x7e]*")
_INTEGER = re.compile(rb"[+-]?\d+")
# a unitless labelled integer this large is an ADC's count, not a force: far beyond what hands give
# in newtons (about 1000 N at most; analysis.pipeline.MAX_HAND_FORCE_N), while a load cell's 24-bit
# reading at rest is tens of thousands of counts (SparkFun's Qwiic Scale example says 25776)
RAW_COUNT_MIN = 5000
_TEXT, _BAD, _RAW, _RECORD = "text", "bad", "raw", "record"     # what a line without a row was


class LineDecoder:
    """Feed bytes in pieces of any size; returns ``(t_ms or None, force)`` rows completed so far."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.bad_lines = 0
        self.lines = 0              # non-empty lines seen (an over-long one counts once)
        self.row_lines: list[int] = []   # line number of each row the last feed() returned
        self.raw_lines = 0          # lines of raw ADC readings (no force: no row)
        self.first_raw: tuple[int, str] | None = None    # (line number, text) of the first
        self.raw_run = 0            # raw lines since the last row
        self.text_lines = 0         # of bad_lines, those of words after the data ("battery low"): a sketch's talk
        self.first_text: tuple[int, str] | None = None    # (line number, text) of the first
        self.record_lines = 0       # lines of text that are records of fields (a GPS's NMEA sentences)
        self.first_record: tuple[int, str] | None = None    # (line number, text) of the first
        self._raw_labels: set[str] = set()   # labels whose unitless integers are counts
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
            row = None if line[:1].isalpha() else self._parse(line)     # "Reading: …" fails fast
            if row is None:
                text = line.decode("latin-1")
                if not any(c.isalpha() for c in text):
                    self.bad_lines += 1
                    self._seen_data = True
                    continue
                row = self._labelled(line, text)
                if row is _RECORD:          # text, as a banner is: no force in it
                    self.record_lines += 1
                    self.first_record = self.first_record or (self.lines, text)
                    row = _TEXT
                if row is _RAW:
                    self.raw_lines += 1
                    self.raw_run += 1
                    self.first_raw = self.first_raw or (self.lines, text)
                    continue
                if row is _TEXT and not self._seen_data:
                    continue                # a banner, "Tare done...": not data yet
                if row is _TEXT:
                    self.text_lines += 1
                    self.first_text = self.first_text or (self.lines, text)
                if row is _TEXT or row is _BAD:
                    self.bad_lines += 1
                    self._seen_data = True
                    continue
            self._seen_data = True
            self.raw_run = 0
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

    def _labelled(self, line: bytes, text: str) -> tuple[None, float] | str:
        """A line with letters: its first number in newtons, or what it is instead."""
        if not _PRINTABLE.fullmatch(line):
            return _TEXT                    # noise (a wrong baud rate) gives no number: no sketch prints it
        # the label ends at its first ':' or '=' ("Load cell 1: 12.3 kg", "Sensor 2 = 3.4 N")
        colon, equals = line.find(b":"), line.find(b"=")
        end = colon if equals < 0 or 0 <= colon < equals else equals
        m = _VALUE.search(line, end + 1)
        if m is None:
            return _TEXT
        # a word after the number that ends in ':' or '=' is the next value's label, not a unit
        # (SparkFun's Qwiic Scale complete example: "Reading: 25776\tWeight: 12.34")
        after = m.group(3) if m.group(3) and line[m.end():].lstrip(b" \t")[:1] in (b":", b"=") else None
        unit = (m.group(2) or (m.group(3) if after is None else None) or b"").decode("ascii").lower()
        if unit and unit not in UNIT_TO_N and unit not in RAW_UNITS:
            return _TEXT                    # "LDO voltage set to 3.0V", "rate set to 10 SPS"
        try:
            value = float(m.group(1))
        except ValueError:                  # "ovf"
            value = math.nan
        if not math.isfinite(value):
            return _BAD
        label = text[:m.start()].lower()
        sep = label.rstrip()[-1:]
        if sep in (",", ";") and text.count(sep) >= 2:
            return _RECORD                  # a field of a record ("$GPGGA,123519,4807.038,N,…"), not a label's value
        raw = unit in RAW_UNITS or (not unit and _RAW_LABEL.fullmatch(label) is not None)
        if not raw and not unit and _INTEGER.fullmatch(m.group(1)):
            label = " ".join(re.findall(r"[a-z]+", label))
            raw = label in self._raw_labels or abs(value) >= RAW_COUNT_MIN
            if raw:
                self._raw_labels.add(label)
        if raw:                             # a raw count, and maybe a force labelled after it
            rest = self._labelled(line[m.start(3):], text[m.start(3):]) if after is not None else _RAW
            return rest if isinstance(rest, tuple) else _RAW
        scale = UNIT_TO_N.get(unit)
        return None, value * scale if scale is not None else value
