"""How a CSV stream's file is written: its text encoding (UTF-8, UTF-16, Windows-1252), its
header's columns by gradecoach's names (``Time (ms)`` is ``t_ms``), its separator (also as Excel's
``sep=;`` line above the header names it) and its decimal mark; a header that does not name the
columns wanted (or names a force in raw ADC counts) is a one-line :class:`InputError`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge.file_kind import HEAD_BYTES, UTF16_BOMS, file_head, utf16_text

# the first columns of the events CSV ``report --csv`` writes (recording,type,trainee,t_start,…):
# replay tells it from a recording by them, and an output naming it may replace it
EVENTS_CSV_COLUMNS = ("recording", "type")

# a time column in the unit its header names (a logger's millisecond or microsecond clock), by
# what it is multiplied with on reading to give seconds
TIME_COLUMNS = {"t_s": 1.0, "t_ms": 1e-3, "t_us": 1e-6}


# a column of time or force as loggers and spreadsheets name it: "Time (s)", "time [ms]",
# "timestamp_ms", "Load (kg)", "Force [N]" read as gradecoach's t_s, t_ms, force_kg, force_n
_QUANTITY = {"t": "t", "time": "t", "timestamp": "t", "elapsed": "t", "elapsed time": "t",
             "force": "force", "load": "force", "weight": "force",
             **{a: a for a in ("ax", "ay", "az", "gx", "gy", "gz")}}
# an IMU's accelerometer in m/s² or in g, its gyroscope in rad/s or in degrees a second: "ax_g",
# "ax (m/s²)", "gx_dps", "gx_degs", "gx (deg/s)" read as gradecoach's ax_g, ax_mps2, gx_dps
_ACC_UNITS = {"mps2": "mps2", "m/s2": "mps2", "m/s\u00b2": "mps2", "m/s^2": "mps2", "g": "g"}
_GYRO_UNITS = {"rads": "rads", "rad/s": "rads", "dps": "dps", "degs": "dps", "deg/s": "dps", "\u00b0/s": "dps"}
_UNITS = {"t": {"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "ms": "ms",
                "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "us": "us", "\u00b5s": "us",
                "\u03bcs": "us", "microsecond": "us", "microseconds": "us"},
          "force": {"n": "n", "newton": "n", "newtons": "n", "kgf": "kgf", "kg": "kg", "lbf": "lbf",
                    "lb": "lbf", "lbs": "lbf", "kn": "kn", "mn": "mn", "gram": "gf", "grams": "gf", "gf": "gf"},
          **{a: _ACC_UNITS for a in ("ax", "ay", "az")}, **{g: _GYRO_UNITS for g in ("gx", "gy", "gz")}}
_COLUMN = re.compile(r"([a-z][a-z ]*?)\s*(?:[(\[]\s*(\S+?)\s*[)\]]|[_ ](\S+))")
_NAMED_UNITS = {"t": "t_s, t_ms, t_us or 'time (s)'",
                "force": "force_n, force_kgf, force_kg, force_lbf, 'force (N)' or 'weight (g)'",
                **{a: f"{a}_mps2 (m/s\u00b2) or {a}_g" for a in ("ax", "ay", "az")},
                **{g: f"{g}_rads (rad/s), {g}_dps or {g}_degs (degrees a second)" for g in ("gx", "gy", "gz")}}


# the names of force whose unit "g" is grams: a scale's or a load cell's weight or load ("Weight (g)",
# "load_g"); "force (g)" could be an acceleration, and is refused (grams: "force (grams)", "force_gf")
_GRAMS_BY = ("weight", "load")


# a header or cell quoted in a message is cut to this many characters (a 10 MB first line was
# echoed whole, twice)
SHOWN_CHARS = 80


def quoted(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` as a message quotes it: in quotes, what cannot be seen written out (a second
    byte-order mark is ``\\ufeff``, a tab ``\\t``), cut to ``limit`` characters with "…"."""
    return repr(text if len(text) <= limit else text[:limit - 1] + "\u2026")


def column_name(cell: str) -> str:
    """A header cell by gradecoach's name for it: its quantity (time, force) and the unit it
    names, in any of the ways loggers write them (``Time (s)`` and ``timestamp_ms`` are ``t_s``
    and ``t_ms``, ``Load [kg]`` is ``force_kg``); any other cell lowercased as it is."""
    c = cell.strip().strip('"').strip().lower()
    m = _COLUMN.fullmatch(c)
    if m:
        q = _QUANTITY.get(m.group(1))
        u = _UNITS[q].get(m.group(2) or m.group(3)) if q else None
        if q == "force" and (m.group(2) or m.group(3)) == "g" and m.group(1) in _GRAMS_BY:
            u = "gf"            # a scale's weight in grams ("Weight (g)"); a force "in g" stays refused
        if u:
            return f"{q}_{u}"
    return c


def header_columns(line: str) -> list[str]:
    """A header line's columns by gradecoach's names (:func:`column_name`), whatever separates
    them (comma, semicolon, tab or bar)."""
    return [column_name(c) for c in re.split(r"[,;\t|]", line.lstrip("\ufeff").strip())]


# a force column in a sensor's raw ADC counts ("force (counts)", "force_counts"): no newtons
# without a calibration, which a bare CSV does not carry
_COUNTS_UNITS = ("counts", "count", "adc", "raw")


def _counts_column(cells: list[str]) -> str | None:
    """The cell of a header that names a force in raw ADC counts, or None."""
    for cell in cells:
        m = _COLUMN.fullmatch(cell.strip().lower())
        if m and _QUANTITY.get(m.group(1)) == "force" and (m.group(2) or m.group(3)) in _COUNTS_UNITS:
            return cell
    return None


def parse_header(path: Path, line: str, required: tuple[str, ...], as_found: str | None = None,
                 at: int = 1) -> list[int]:
    """The indices of the ``required`` columns in the header ``line`` (comma-separated), the
    file's line ``at``; a one-line :class:`InputError` saying what is wrong with it."""
    if line.lstrip().startswith("#"):                   # a logger's notes above its columns
        raise InputError(f"{path}:{at}: a comment line where the header belongs; remove the lines above the "
                         f"header {','.join(required)}")
    cells = [c.strip().strip('"') for c in line.strip().split(",")]
    cols = [column_name(c) for c in cells]
    found = (line if as_found is None else as_found).strip()      # (as the file has it, for the message)
    found = quoted(found)
    if not line.strip() or any(_is_number(c) for c in cols):
        raise InputError(f"{path}:{at}: missing header; expected {','.join(required)}, found {found}")
    idx = []
    for name in required:
        if name not in cols and name.startswith("force") and (raw := _counts_column(cells)) is not None:
            raise InputError(f"{path}:{at}: column {quoted(raw)} is raw ADC counts, which need a calibration to be "
                             f"newtons and a CSV has none: give the force in N (force_n) or kgf, or replay it as "
                             f"force.csv (column force_n) of a session folder whose session.json says \"sensor\": "
                             f"{{\"force_units\": \"counts\"}}, read as counts (docs/format.md)")
        if name not in cols:
            hint = _missing_hint(name, cells)
            raise InputError(f"{path}:{at}: header lacks column {name!r}{hint}; expected {','.join(required)}, "
                             f"found {found}")
        idx.append(_only_column(path, at, name, cells, cols))
    return idx


def _only_column(path: Path, at: int, name: str, cells: list[str], cols: list[str]) -> int:
    """The index of the one column of the header read as ``name`` (``cells`` as written, ``cols``
    by gradecoach's names); two of them (``t_s,force_n,force_n``, ``Force (N),force_n``) are a
    one-line :class:`InputError` naming both: which holds the force, or the time, no reader can tell."""
    at_ = [k for k, c in enumerate(cols) if c == name]
    if len(at_) > 1:
        a, b = at_[:2]
        word = _WORDS.get(name.split("_")[0], name)
        raise InputError(f"{path}:{at}: two columns read as the {word} ({name}): {quoted(cells[a])} (column {a + 1}) "
                         f"and {quoted(cells[b])} (column {b + 1}); keep one, or rename the other")
    return at_[0]


def left_out_columns(path: Path, line: str, required: tuple[str, ...], at: int = 1) -> list[str]:
    """One line for each of the ``required`` columns read from a header (``line``, comma-separated,
    the file's line ``at``) that gives the same quantity in another unit too (``Force (N)`` and
    ``Load (kg)``, ``t_ms`` and ``t_s``): the column used and those left out, which are not read."""
    cells = [c.strip().strip('"') for c in line.strip().split(",")]
    cols = [column_name(c) for c in cells]
    notes = []
    for name in required:
        q = name.split("_")[0]
        if q not in _UNITS or name not in cols:
            continue
        others = [k for k, c in enumerate(cols) if c != name and c.split("_")[0] == q
                  and c.partition("_")[2] in _UNITS[q].values()]
        if others:
            used = quoted(cells[cols.index(name)])
            left = " and ".join(quoted(cells[k]) for k in others)
            notes.append(f"{path}:{at}: two columns give the {_WORDS.get(q, q)}: {used} is used, {left} left out")
    return notes


# characters not seen in a header cell: byte-order marks (a second one after the first), zero-width
# spaces and joiners, a soft hyphen
_INVISIBLE = re.compile("[\ufeff\u200b-\u200f\u2060\u00ad]")

# what each quantity is called in a message, and the units a header may give it in
_WORDS = {"t": "time", "force": "force", **{a: "acceleration" for a in ("ax", "ay", "az")},
          **{g: "rotation" for g in ("gx", "gy", "gz")}}
_UNITS_READ = {"t": "s, ms or \u00b5s", "force": "N, kN, mN, kgf, kg, lbf or grams",
               **{a: "m/s\u00b2 or g" for a in ("ax", "ay", "az")},
               **{g: "rad/s or degrees a second" for g in ("gx", "gy", "gz")}}


# a force unit of a header as session.json's force_units names it
_SESSION_UNITS = {"kgf": "kgf", "kg": "kg", "lbf": "lbf", "mn": "mN"}


def _missing_hint(name: str, cells: list[str]) -> str:
    """What the header's cells (as written) say of a column of the quantity of ``name`` (``t_s``,
    ``force_n``, ``ax_mps2`` …) that none of them gives as wanted, for the message: a column of it
    with no unit, in a unit not read (``Force (g)``) or in another unit than wanted, one in a unit
    read under a name not known (``temps (s)``), or one whose name starts as the column wanted
    does; the names and units accepted with it. Empty when none does."""
    q = name.split("_")[0]
    named, word = _NAMED_UNITS.get(q), _WORDS.get(q, q)
    if named is None:
        return ""
    bare = [c for c in cells if _QUANTITY.get(c.strip().lower()) == q]
    if bare:
        return f" (found {quoted(','.join(bare))[1:-1]} with no unit: name it {named})"
    for cell in cells:
        c = cell.strip()
        if (seen := _INVISIBLE.search(c)) and column_name(_INVISIBLE.sub("", c)) == name:
            return f" (found {quoted(c)}: an invisible character, U+{ord(seen.group()):04X}, in it; remove it)"
        m = _COLUMN.fullmatch(c.lower())
        if not m:
            continue
        k = 2 if m.group(2) else 3
        unit, given = m.group(k), quoted(c[m.start(k):m.end(k)])[1:-1]
        of = _QUANTITY.get(m.group(1))                 # the quantity the cell's name says, if known
        if of == q and unit not in _UNITS[q]:
            if q == "force" and unit == "g":
                return (f" (found {quoted(c)}: g is not read as a unit of force (grams? an acceleration?): give the force "
                        f"in {_UNITS_READ[q]}, named {named}; grams also as 'force (grams)' or force_gf)")
            return f" (found {quoted(c)}: {given} is not a unit of {word} read here ({_UNITS_READ[q]}): name it {named})"
        if of == q and q == "force":
            # a unit a bare CSV reads, where force_n is wanted: a session's force.csv, whose units
            # are session.json's (a header's and session.json's would say it twice, or differ)
            units = _UNITS[q][unit]
            fix = (f"name the column {name} and set force_units to \"{_SESSION_UNITS[units]}\""
                   if units in _SESSION_UNITS else f"give the force in N under {name}")
            return (f" (found {quoted(c)}: a session's force.csv gives its force as {name}, in the units its session.json's "
                    f"\"sensor\": {{\"force_units\": ...}} names (N, mN, kgf, kg or lbf); {fix}, or replay the file alone, "
                    f"as a bare CSV, which reads {quoted(c)})")
        if of == q:             # (a unit read, where another column is wanted)
            return f" (found {quoted(c)}, {word} in {given}, where this file's {word} is read from {name} alone)"
        if of is None and unit in _UNITS[q] and (k == 2 or len(unit) > 1):
            words = ", ".join(w for w, wq in _QUANTITY.items() if wq == q)
            return (f" (found {quoted(c)}: {quoted(c[m.start(1):m.end(1)])} is not a name of {word} read here ({words}, then "
                    f"its unit): name it {named})")
    alt = [c.strip() for c in cells if c.strip().lower().startswith(q)]
    return f" (found {quoted(','.join(alt))[1:-1]}: not a column of {word} read here: name it {named})" if alt else ""


def other_separator(header: str, required: tuple[str, ...]) -> bytes | None:
    """The separator of a header whose columns are not comma-separated but semicolon-, tab- or
    bar-separated (the cells then read with a decimal comma or point alike), else None."""
    def names(sep: str) -> list[str]:
        return [column_name(c) for c in header.strip().split(sep)]
    if all(n in names(",") for n in required):
        return None
    for sep in (";", "\t", "|"):
        if all(n in names(sep) for n in required):
            return sep.encode()
    for sep in (";", "\t", "|"):                     # a header of its own naming, for the message
        if len(names(sep)) > len(names(",")):
            return sep.encode()
    return None


QUOTED_DECIMAL_COMMA = re.compile(rb'"\s*([-+]?\d*),(\d+(?:[eE][-+]?\d+)?)\s*"')


# rows read for telling decimal commas that are not quoted (0,005,1,98): enough to see the
# pattern, few enough to cost nothing
_ROWS_TOLD = 200
# (ASCII: a control character Unicode counts as space, \x1c, is none to float(): the cell is no number)
_INTEGER = re.compile(r"\s*[-+]?\d+(?:[eE][-+]?\d+)?\s*", re.ASCII)
_FRACTION = re.compile(r"\s*0\d+(?:[eE][-+]?\d+)?\s*", re.ASCII)     # (a whole number has no leading zero: 12,05)


def unquoted_decimal_commas(header: str, body: bytes, time_at: int) -> tuple[int, int, int] | None:
    """Where a comma-separated CSV's first rows (``body``, whole lines after the ``header``) have
    their decimal commas unquoted (``0,005,1,98``), which splits each number in two: ``(k, cells,
    named)``, the row ``k`` (0 = the first line of ``body``) that first has more cells than the
    ``named`` columns of the header, and its cells; None when the rows read as the header names them.

    Told by the rows having more cells than the header names (trailing empty cells, a trailing
    comma, not counted), no decimal point anywhere and whole numbers only in each cell, and one of:
    every row twice the header's count, a count that varies from row to row, the time column
    (``time_at``) as read not going up (its whole seconds repeating), or a cell after the first
    with a leading zero (``05`` of ``12,05``: a fraction's digits). A header naming fewer
    columns than its rows give, with decimal points or with times going up (an unnamed column of
    whole numbers), stays read as before."""
    named = len(header.rstrip().rstrip(",").split(","))
    counts, times, first, padded = [], [], None, False
    for k, line in enumerate(body.decode("utf-8", "replace").split("\n")[:_ROWS_TOLD]):
        line = line.strip()
        if not line:
            continue
        if "." in line or '"' in line:
            return None
        cells = line.rstrip(",").split(",")
        if not all(_INTEGER.fullmatch(c) for c in cells):
            return None
        counts.append(len(cells))
        padded = padded or any(_FRACTION.fullmatch(c) for c in cells[1:])
        if first is None and len(cells) > named:
            first = (k, len(cells))
        if len(cells) > time_at:
            times.append(float(cells[time_at]))
    if first is None or min(counts) < named or max(counts) > 2 * named:
        return None
    rising = len(times) > 1 and all(b > a for a, b in zip(times, times[1:]))
    if set(counts) == {2 * named} or len(set(counts)) > 1 or not rising or padded:
        return first[0], first[1], named
    return None


def header_text(line: bytes) -> str:
    """A CSV's header line as text: UTF-8 (a byte-order mark dropped), UTF-16 with its byte-order
    mark (the line as split at its bytes 0A or 0D, which may leave half a character at either
    end), else Windows-1252, as a spreadsheet on Windows saves "Time (µs)"."""
    if line.startswith(UTF16_BOMS):
        return (line + b"\0" * (len(line) % 2)).decode("utf-16", "replace").strip("\0")
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return line.decode("cp1252", "replace")


def decimal_comma_in_quotes(sample: bytes) -> bool:
    """Whether quoted numbers in ``sample`` use a decimal comma: some have other than three digits
    after it, and none has a point as well (a thousands separator: "1,234.5" or "1,234" alone)."""
    found = QUOTED_DECIMAL_COMMA.findall(sample)
    return (any(len(frac.split(b"e")[0].split(b"E")[0]) != 3 for _, frac in found)
            and not re.search(rb'"\s*[-+]?\d{1,3}(?:,\d{3})+\.\d*\s*"', sample))


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def as_utf8(path: Path, raw: bytes) -> bytes:
    """A CSV in UTF-16 (:func:`utf16_text`) as UTF-8, read as any other; other bytes as they are."""
    if not utf16_text(raw[:HEAD_BYTES]):
        return raw
    try:
        return raw.decode("utf-16").encode("utf-8")
    except UnicodeError as e:
        end = getattr(e, "start", len(raw))
        line = raw[:end - end % 2].decode("utf-16", "replace").count("\n") + 1
        raise InputError(f"{path}:{line}: UTF-16 text (by its first bytes) that does not decode; save it as UTF-8 "
                         f"text") from None


# the line a spreadsheet (Excel in a decimal-comma locale) writes above the header to name the
# separator: sep=; (also quoted, after a byte-order mark, with a CR). Any single character but a
# letter, digit, quote, sign or line end
_EXCEL_SEP = re.compile(rb'(?:\xef\xbb\xbf)?[ \t]*"?sep=([^\w"+\-\r\n\x80-\xff])"?[ \t]*\r?', re.IGNORECASE)


def excel_separator(line: bytes) -> bytes | None:
    """The separator a first line ``sep=X`` names (``X``, one byte), or None for any other line."""
    m = _EXCEL_SEP.fullmatch(line)
    return m.group(1) if m else None


def split_header(line: str, sep: bytes | None) -> list[str]:
    """A header's columns by gradecoach's names, split at ``sep`` (a ``sep=`` line's) when given,
    else at whatever separates them (:func:`header_columns`)."""
    if sep is None:
        return header_columns(line)
    return [column_name(c) for c in line.lstrip("\ufeff").strip().split(sep.decode())]


def csv_header(head: bytes) -> tuple[str, list[str]]:
    """The header of a CSV whose first bytes are ``head``: its line as text (the line after a
    first line ``sep=X``, Excel's naming of the separator, else the first line) and its columns
    by gradecoach's names (split at that X, else at a comma, semicolon, tab or bar)."""
    if utf16_text(head):
        head = head[:len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    lines = re.split(rb"\r\n|\r|\n", head, maxsplit=2)
    sep = excel_separator(lines[0])
    text = header_text(lines[1] if sep is not None and len(lines) > 1 else lines[0]).lstrip("\ufeff").strip()
    return text, split_header(text, sep)


def time_column(path: str | os.PathLike) -> str:
    """The time column of :data:`TIME_COLUMNS` a CSV's header names (``Time (ms)`` and
    ``timestamp_ms`` are ``t_ms``), or ``t_s`` when it names none (or the file cannot be read
    ahead: the reader then says what is wrong). A first line ``sep=X`` is passed over."""
    cols = csv_header(file_head(path))[1]
    return next((c for c in TIME_COLUMNS if c in cols), "t_s")
