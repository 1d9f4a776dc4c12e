"""Reading a CSV stream (force, IMU) into :class:`StreamData`: bad rows skipped and counted by the
rules of :mod:`firmware_bridge.csv_rows`, the file read by pyarrow with only the parts holding
bad rows read row by row; and writing the bare force CSV it reads.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import InputError
from analysis.resample import MAX_GAP_S
from firmware_bridge.csv_dialect import (QUOTED_DECIMAL_COMMA, TIME_COLUMNS, as_utf8, csv_header,
                                         decimal_comma_in_quotes, excel_separator, header_text, left_out_columns,
                                         other_separator, parse_header, quoted, time_column, unquoted_decimal_commas)
from firmware_bridge.csv_rows import (LARGEST_VALUE, NON_NUMERIC, NOT_FINITE, TOO_LARGE, _cells, check_seconds,
                                      clock_steps, order_problems, restarts, runs_backwards,
                                      split_cells, spread_note, spread_ties, time_order, to_seconds, value_problem,
                                      explained_holes, holes_of_dropped, non_numeric)
from firmware_bridge.file_kind import HEAD_BYTES, file_head, packed_kind
from firmware_bridge.session_meta import KNOWN_FORCE_UNITS

FORCE_COLUMNS = ("t_s", "force_n")
IMU_COLUMNS = ("t_s", "ax_mps2", "ay_mps2", "az_mps2", "gx_rads", "gy_rads", "gz_rads")
# an IMU CSV names its units in its header, as a bare force CSV does (force_kgf): the accelerometer
# in m/s² or in g (ax_g), the gyroscope in rad/s or in degrees a second (gx_dps, or gx_degs), each
# column by the unit it is in, converted to m/s² and rad/s on reading
KNOWN_IMU_UNITS = {"m/s\u00b2": 1.0, "g": 9.80665, "rad/s": 1.0, "\u00b0/s": float(np.pi / 180.0)}
IMU_COLUMN_UNITS = {**{f"{a}_{u}": unit for a in ("ax", "ay", "az") for u, unit in (("mps2", "m/s\u00b2"), ("g", "g"))},
                    **{f"{g}_{u}": unit for g in ("gx", "gy", "gz") for u, unit in (("rads", "rad/s"), ("dps", "\u00b0/s"))}}


@dataclass
class StreamData:
    """A numeric stream read from CSV: ``t_s`` (n,), ``values`` (n,) or (n, k)."""

    t_s: np.ndarray
    values: np.ndarray
    skipped_rows: int = 0
    problems: list = field(default_factory=list)   # first few "file:line: why" strings
    path: Path | None = None
    notes: list = field(default_factory=list)      # what was done to read the file, one line each
    # the samples right after bad rows that were skipped (indices into t_s) whose hole in the times
    # those rows account for: said as skipped, not samples the file lacks (a larger hole there, a
    # dropout right after a bad row, is not among them)
    after_skipped: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    # for each bad row skipped whose sample lies in a hole in the times: the index into t_s of the
    # first sample after that hole (an unusable row by its line, a row out of time order by where
    # its time belonged; not a repeated time, a line written twice). A hole at t_s[i] holds
    # np.count_nonzero(skipped_at == i) samples the file has, skipped, besides those it lacks
    skipped_at: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    # where the logger's clock stepped back and went on from there (csv_rows.clock_steps): the rows
    # after those skipped are a new run, though their times run on. Each (the index into t_s of
    # its first sample, the line of the first row that went back, how far back (s), that row's
    # time, the time it came after)
    clock_steps: list = field(default_factory=list)
    # for each of clock_steps: the rows skipped there (those whose times the run before had passed
    # already) and the line of the last; they are said with the step, not as bad rows besides it
    step_rows: list = field(default_factory=list)
    # the first few bad rows not among those (as ``problems``); None: ``problems``, no step
    other_problems: list | None = None

    @property
    def other_skipped(self) -> tuple[int, list]:
        """The bad rows skipped besides those of its clock steps (:attr:`step_rows`), and the
        first few of them ("file:line: why")."""
        n = self.skipped_rows - sum(k for k, _ in self.step_rows)
        return n, self.problems if self.other_problems is None else self.other_problems

    @property
    def rate_hz(self) -> float:
        if len(self.t_s) < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.t_s)))


def read_csv_stream(path: str | os.PathLike, required: tuple[str, ...] = FORCE_COLUMNS,
                    max_bad_share: float = 0.2, whole_lines: bool = False) -> StreamData:
    """Read a CSV stream with the given header columns (extra columns ignored).

    A bad row (non-numeric or NaN cell, a value over :data:`~firmware_bridge.csv_rows.LARGEST_VALUE`,
    too few columns, time before the last good row's, a lone time ahead of the rows after it: see
    :func:`time_order`) is skipped and counted; ``problems`` names the first five as ``file:line: why``. More than
    ``max_bad_share`` bad rows, or none good, is an error naming the first bad ``file:line``.
    Rows sharing one time (a logger stamping each packet's samples with its arrival) are spread
    evenly up to the next time, said in ``notes``; a rare repeated time (under 1 row in 100, or a
    single one) is a bad row, see :func:`spread_ties`.
    Cells may be double-quoted. Line ends may be LF, CRLF or (old Mac) CR only. A header that is
    not UTF-8 is read as Windows-1252 (a spreadsheet's "Time (µs)"). A first line ``sep=;`` (Excel's,
    naming the separator) is passed over and its separator used. With ``whole_lines`` (a file
    gradecoach wrote, every line ended) a last line without its line end was cut off by a crash:
    it is left out, said in ``notes``, however it reads; without it (a spreadsheet's export often
    ends so, its last row whole) such a line is kept when it reads as a row after the one before
    it, else left out, said in ``notes`` (not a bad row).
    """
    path = Path(path)
    try:
        raw = _read_all(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    return read_csv_bytes(path, raw, required, max_bad_share, whole_lines)


def read_csv_bytes(path: str | os.PathLike, raw: bytes, required: tuple[str, ...] = FORCE_COLUMNS,
                   max_bad_share: float = 0.2, whole_lines: bool = False) -> StreamData:
    """:func:`read_csv_stream` of the bytes ``raw`` of ``path``, read already (a pipe's, which
    cannot be read again); its messages name ``path``."""
    path = Path(path)
    raw = as_utf8(path, raw)
    cut = None
    if whole_lines and raw and not raw.endswith((b"\n", b"\r")) and b"\n" in raw:
        keep = raw.rfind(b"\n") + 1
        line = raw.count(b"\n", 0, keep) + 1
        cut = f"{path}:{line}: last line cut off (no line end; the recording stopped there): left out"
        raw = raw[:keep]
    d = _read_bytes(path, raw, required, max_bad_share)
    if cut and len(d.t_s):
        d.notes.append(cut)
    if required[0] == "t_s" and any(c.startswith("force") for c in required):
        check_seconds(path, d.t_s)
    elif required[0] == "t_s" and any(c in IMU_COLUMN_UNITS for c in required):
        check_seconds(path, d.t_s, "IMU")     # (an IMU's whole-number milliseconds, as a force sensor's)
    return d


DEVICE_BYTES = 1 << 26     # a device (not a file, not a pipe) is read up to 64 MiB: /dev/urandom never ends


def _read_all(path: Path) -> bytes:
    """The bytes of ``path``; a device giving more than :data:`DEVICE_BYTES` is a one-line
    error, not read until the memory runs out."""
    if not path.is_char_device() and not path.is_block_device():
        return path.read_bytes()
    with open(path, "rb") as fh:
        raw = fh.read(DEVICE_BYTES + 1)
    if len(raw) > DEVICE_BYTES:
        raise InputError(f"{path}: a device that gives data without end, not a CSV file")
    return raw


def _read_bytes(path: Path, raw: bytes, required: tuple[str, ...], max_bad_share: float,
                fast: bool = True) -> StreamData:
    if not re.search(rb"\S", raw):
        raise InputError(f"{path}:1: empty file; expected a header {','.join(required)}")
    if b"\n" not in raw and b"\r" in raw:
        raw = raw.replace(b"\r", b"\n")                     # classic Mac line ends: one CR per line
    nl = raw.find(b"\n")
    head = raw if nl < 0 else raw[:nl]
    if (kind := packed_kind(raw[:HEAD_BYTES])) is not None:
        raise InputError(f"{path}: {kind}")
    if b"\0" in raw[:4096]:                             # (a sound or a spreadsheet's own format)
        raise InputError(f"{path}:1: not a text CSV file")
    given = excel_separator(head)
    above = 0                                           # lines above the header
    if given is not None:
        # Excel's "sep=;" line above the header names the separator: passed over, and its
        # separator used; the lines keep their numbers in the file
        if nl < 0 or not re.search(rb"\S", raw[nl + 1:]):
            raise InputError(f"{path}:1: a line {head.strip().decode('ascii', 'replace')!r} naming the separator "
                             f"and no header after it; expected {','.join(required)}")
        raw, above = raw[nl + 1:], 1
        nl = raw.find(b"\n")
        head = raw if nl < 0 else raw[:nl]
    header = as_found = header_text(head)
    sep = given if given is not None else other_separator(header, required)
    semicolons = sep is not None and sep != b","
    if semicolons:
        header = header.translate(str.maketrans("," + sep.decode(), ".,"))
    idx = parse_header(path, header, required, as_found, 1 + above)     # (a second byte-order mark shown)
    ncols = header.count(",") + 1
    start = len(raw) if nl < 0 else nl + 1
    raw = _in_utf8(path, raw, start, above)
    shown = None
    if semicolons:
        # a spreadsheet's export where the comma is the decimal mark ("0,005;1,98"), or tabs; a
        # point there groups thousands ("1.010"). Messages quote its cells as written
        shown = _AsWritten(raw[start:], sep, 2 + above, idx).why
        raw = raw[:start] + thousands_points(path, raw[start:], sep, idx, required, 2 + above)
        raw = raw.translate(bytes.maketrans(b"," + sep, b"." + b","))
    elif decimal_comma_in_quotes(raw[len(head):len(head) + 65536]):
        # comma-separated with the decimal comma in quotes ("0,002","1,2103"): a spreadsheet's
        # export in a decimal-comma locale with the comma kept as separator
        body = quoted_thousands_points(path, raw[len(head):], 1 + above)
        raw = raw[:len(head)] + QUOTED_DECIMAL_COMMA.sub(rb"\1.\2", body)
    else:
        sep = b","
    if sep == b",":
        # decimal commas not quoted (0,000000,1,6048): each number split in two, read as the
        # header's columns, gave nonsense (times repeating, forces of the fractions' digits)
        sample = raw[start:start + 65536]
        split = unquoted_decimal_commas(header, sample[:sample.rfind(b"\n") + 1] or sample, idx[0])
        if split is not None:
            k, cells, named = split
            raise InputError(f"{path}:{2 + above + k}: {cells} cells where the header has {named}: decimal commas? "
                             f"quote them (\"0,5\") or separate the columns with ';'")
    end = raw.rfind(b"\n")
    cut = None
    if end >= start and re.search(rb"\S", raw[end + 1:]) and not _whole_last_row(raw, start, end, idx, ncols):
        # a last line without its line end that does not read as a row after the one before it:
        # cut off (a spreadsheet's export often ends without one, its last row whole: kept)
        line = raw.count(b"\n", start, end) + 3 + above
        cut = f"{path}:{line}: last line cut off (no line end): left out"
        raw = raw[:end + 1]
    # the clock's steps back that the analysis would bridge, judged in seconds (the rows' times may be ms)
    per_s = TIME_COLUMNS.get(required[0], 1.0)
    if fast and len(raw) - start > _LEAF_BYTES:
        d = _Rows(path, raw, start, idx, ncols, 2 + above, shown, per_s).read(max_bad_share)
    else:
        d = _slow_read(path, raw[start:].decode("utf-8"), idx, ncols, max_bad_share, 2 + above, shown, per_s)
    if cut is not None:
        d.notes.append(cut)
    d.notes[:0] = left_out_columns(path, header, required, 1 + above)
    return d


def _in_utf8(path: Path, raw: bytes, start: int, above: int) -> bytes:
    """``raw`` with its body (from ``start``) in UTF-8: Excel's "CSV" on Windows is Windows-1252 (an
    umlaut in a note or a column not read), its numbers the same in both, read as such as its
    header is (:func:`~firmware_bridge.csv_dialect.header_text`). Bytes neither UTF-8 nor
    Windows-1252 are a one-line error naming their line (``above``: the lines above the header
    not in ``raw``)."""
    if raw.isascii():
        return raw
    try:
        str(memoryview(raw)[start:], "utf-8")
        return raw
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, start + e.start) + 1 + above
    try:
        body = raw[start:].decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}:{line}: not UTF-8 text (nor Windows-1252); save it as \"CSV UTF-8\"") from None
    return raw[:start] + body


# a number of a decimal-comma file whose points group its digits in threes: 1.010, 12.345.678, 1.010,5
_GROUPED = rb"[1-9]\d{0,2}(?:\.\d{3})+"


def _in_column(sep: bytes, k: int, number: bytes) -> re.Pattern:
    """A pattern for the ``k``-th cell (0 = the first) of a line separated by ``sep`` being
    ``number`` (its group 2; group 1, the line before it), with blanks, quotes and a sign around it."""
    s = re.escape(sep)
    before = rb"^((?:[^" + s + rb"\n]*" + s + rb"){" + str(k).encode() + rb"}[ \t\"]*[-+]?)"
    return re.compile(before + rb"(" + number + rb")(?=[ \t\"]*(?:" + s + rb"|\r?$))", re.M)


def thousands_points(path: Path, body: bytes, sep: bytes, idx: list[int], names: tuple[str, ...],
                     first: int) -> bytes:
    """The ``body`` of a CSV separated by ``sep`` (not a comma), its lines from the file's line
    ``first``, with the points dropped that group thousands (``1.010`` for 1010, ``1.010,5``) in the
    columns read (``idx``, named ``names``) when a number there has a decimal comma. A point
    grouping no three digits there (``0.5``) is a one-line error naming its line: with decimal
    commas around it, whether it is a decimal point or a thousands separator cannot be told. A
    file with no decimal comma in those columns keeps its points as decimal points."""
    if b"." not in body or b"," not in body:
        return body
    if not any(_in_column(sep, k, rb"(?:\d[\d.]*)?,\d+").search(body) for k in idx):
        return body
    for k in idx:
        body = _in_column(sep, k, _GROUPED + rb"(?:,\d*)?").sub(lambda m: m.group(1) + m.group(2).replace(b".", b""),
                                                                body)
    for k, name in zip(idx, names):
        if (m := _in_column(sep, k, rb"\d*\.[\d.,]*").search(body)) is not None:
            raise _point_among_commas(path, first + body.count(b"\n", 0, m.start()), name, m.group(2).decode("ascii"))
    return body


_QUOTED_GROUPED = re.compile(rb'("\s*[-+]?)(' + _GROUPED + rb'(?:,\d*)?)(?=\s*")')
_QUOTED_POINT = re.compile(rb'"\s*([-+]?\d*\.[\d.,]*)\s*"')


def quoted_thousands_points(path: Path, body: bytes, first: int) -> bytes:
    """The ``body`` of a comma-separated CSV whose numbers are quoted for their decimal commas
    (``"0,5"``), its lines from the file's line ``first``, with the points dropped that group
    thousands in quoted numbers (``"1.010"``, ``"1.010,5"``); another point in a quoted number
    (``"0.5"``) is a one-line error naming its line, as in :func:`thousands_points`."""
    if b"." not in body:
        return body
    body = _QUOTED_GROUPED.sub(lambda m: m.group(1) + m.group(2).replace(b".", b""), body)
    if (m := _QUOTED_POINT.search(body)) is not None:
        raise _point_among_commas(path, first + body.count(b"\n", 0, m.start()), "", m.group(1).decode("ascii"))
    return body


def _point_among_commas(path: Path, line: int, name: str, cell: str) -> InputError:
    """The one-line error for a ``cell`` (of the column ``name``, if given) on ``line`` with a
    point grouping no thousands among numbers with decimal commas."""
    fix = cell.replace(".", ",") if cell.count(".") == 1 and "," not in cell else "with a decimal comma alone"
    return InputError(f"{path}:{line}: {name + ' ' if name else ''}{quoted(cell)}: a decimal point among numbers with "
                      f"decimal commas (a point is read only as a thousands separator, 1.010 for 1010): write it {fix}")


class _AsWritten:
    """The body of a CSV separated by ``sep`` (not a comma) as the file has it, before its decimal
    commas were read as points, its lines from the file's line ``first``: messages quote a cell
    that does not read as written ('12,5 N', not '12.5 N')."""

    def __init__(self, body: bytes, sep: bytes, first: int, idx: list[int]) -> None:
        self.body, self.sep, self.first, self.idx = body, sep.decode(), first, idx
        self.ends: np.ndarray | None = None

    def why(self, line: int, why: str) -> str:
        """``why`` the row of the file's ``line`` is bad, a cell it quotes as written."""
        if not why.startswith(NON_NUMERIC):
            return why
        if self.ends is None:
            self.ends = np.flatnonzero(np.frombuffer(self.body, np.uint8) == 10)
        k = line - self.first
        a = 0 if k == 0 else int(self.ends[k - 1]) + 1
        b = int(self.ends[k]) if k < len(self.ends) else len(self.body)
        text = self.body[a:b].decode("utf-8", "replace").rstrip("\r")
        try:
            cells = next(csv.reader([text], delimiter=self.sep)) if '"' in text else text.split(self.sep)
        except csv.Error:
            return why
        for j in self.idx:
            if j < len(cells) and non_numeric(cells[j].replace(",", ".")) == why:
                return non_numeric(cells[j])
        return why


def _whole_last_row(raw: bytes, start: int, end: int, idx: list[int], ncols: int) -> bool:
    """Whether the last line of ``raw`` (after ``end``, its last line end; the body starting at
    ``start``) reads as a row: its cells numbers, and its time after the row before it's."""
    last = _cells(raw[end + 1:].decode("utf-8", "replace").strip(), idx, ncols)
    if isinstance(last, str) or value_problem(last) is not None:
        return False
    a = max(start, end - 4096)
    for text in reversed(raw[a:end].decode("utf-8", "replace").split("\n")[a > start:]):
        if text.strip():
            before = _cells(text.strip(), idx, ncols)
            return isinstance(before, str) or not last[0] <= before[0]
    return True


def _slow_read(path: Path, body: str, idx: list[int], ncols: int, max_bad_share: float,
               first: int = 2, shown=None, per_s: float = 1.0) -> StreamData:
    """Row by row: the reference for what :class:`_Rows` returns, used for small files; ``first``
    is the file's line number of the body's first line; ``shown(line, why)``, why a bad row is bad
    as the messages say it (its cell as written, :class:`_AsWritten`); ``per_s``, seconds per unit
    of its times."""
    rows: list[list[float]] = []
    at: list[int] = []                      # each row's line
    bad: list[tuple[int, str]] = []         # line, why
    for i, line in enumerate(body.split("\n"), start=first):
        if not line.strip():
            continue
        vals = _cells(line.rstrip("\r"), idx, ncols)
        if isinstance(vals, str):
            bad.append((i, vals))
        elif (why := value_problem(vals)) is not None:
            bad.append((i, why))
        else:
            rows.append(vals)
            at.append(i)
    arr = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(idx))
    unusable = np.asarray([i for i, _ in bad], dtype=np.int64)     # the lines of rows that do not read
    runs_backwards(path, arr[:, 0], lambda j: at[j])
    restarts(path, arr[:, 0], lambda j: at[j])
    ahead, back, tie, before = time_order(arr[:, 0])
    total = len(bad) + len(rows)
    spread = spread_ties(arr[~(ahead | back), 0], tie[~(ahead | back)], total) if tie.any() else None
    notes = []
    drop = ahead | back
    if spread is None:
        drop |= tie
    else:
        notes.append(spread_note(path, int(np.count_nonzero(tie)), total, arr[~drop, 0]))
        tie = np.zeros_like(tie)
    bad = sorted(bad + [(at[j], why) for j, why in order_problems(arr[:, 0], ahead, back, tie, before, len(rows))])
    holes = holes_of_dropped(arr[:, 0], ahead | back, drop)    # (among the rows kept, repeats left out too)
    steps = clock_steps(arr[:, 0], back, drop, MAX_GAP_S / per_s)
    stepped = [(int(np.count_nonzero(~drop[:b])), at[a], back_by * per_s, float(arr[a, 0]), t_before)
               for a, b, back_by, t_before, _ in steps]
    step_lines = {at[j] for a, b, *_ in steps for j in range(a, b)}
    # the samples right after bad rows: where the count of bad rows before a kept one grows, one
    # mark for each (a row out of time order is marked where its time belonged too: holes)
    skipped = np.searchsorted([i for i, _ in bad], np.asarray(at, dtype=np.int64)[~drop])
    grew = np.flatnonzero(np.diff(skipped) > 0)
    marks = np.concatenate([np.repeat(grew + 1, np.diff(skipped)[grew]), holes]).astype(np.int64)
    arr = arr[~drop]
    if spread is not None:
        arr[:, 0] = spread
    after = explained_holes(arr[:, 0], marks)
    problems = [f"{path}:{i}: {why if shown is None else shown(i, why)}" for i, why in bad[:5]]
    d = _stream(path, arr[:, 0], [arr[:, k] for k in range(1, len(idx))], len(bad), problems, max_bad_share,
                notes, after)
    d.skipped_at = _inside(np.concatenate([np.searchsorted(np.asarray(at, dtype=np.int64)[~drop], unusable), holes]),
                           len(arr))
    d.clock_steps = stepped
    if steps:
        d.step_rows = [(b - a, at[b - 1]) for a, b, *_ in steps]
        d.other_problems = [f"{path}:{i}: {why if shown is None else shown(i, why)}"
                            for i, why in bad if i not in step_lines][:5]
    return d


def _inside(marks: np.ndarray, n: int) -> np.ndarray:
    """The ``marks`` (indices into ``n`` samples) that have a sample before them: a hole's."""
    marks = np.asarray(marks, dtype=np.int64)
    return np.sort(marks[(marks > 0) & (marks < n)])


def _stream(path: Path, t_s: np.ndarray, values: list[np.ndarray], bad: int, problems: list[str],
            max_bad_share: float, notes: list[str], after: np.ndarray | None = None) -> StreamData:
    """The stream read; ``after``, the samples right after bad rows (None: no row was bad)."""
    total = bad + len(t_s)
    if not len(t_s):
        if not problems:                    # a recording stopped before its first sample
            raise InputError(f"{path}: a header and no samples after it (nothing was recorded)")
        raise InputError(f"{problems[0]} (no usable rows)")
    if bad / total > max_bad_share:
        raise InputError(f"{problems[0]} ({bad} of {total} rows bad)")
    vals = values[0] if len(values) == 1 else np.column_stack(values)
    if after is None:
        after = np.empty(0, dtype=np.int64)
    return StreamData(t_s, vals, bad, problems, path, notes, after)


_LEAF_BYTES = 16384   # a part this small holding a bad row is read row by row (about 1000 rows, ~2 ms)
_PARTS = 16           # a part holding a bad row is split in this many, each read at pyarrow's speed


class _Rows:
    """Reads a CSV body at pyarrow's speed even when some rows are bad: a part pyarrow refuses is
    split until the parts holding the bad rows are small, and only those are read row by row. The
    result is the row-by-row reader's (:func:`_slow_read`), values, counts and messages alike.

    A crashed recording's torn last line costs one row-by-row line; a file with one bad row in the
    middle is read about twice by pyarrow (whole, then in parts).
    """

    def __init__(self, path: Path, raw: bytes, start: int, idx: list[int], ncols: int, first: int = 2,
                 shown=None, per_s: float = 1.0) -> None:
        import pyarrow as pa

        self.path, self.raw, self.idx, self.ncols, self.start = path, raw, idx, ncols, start
        self.per_s = per_s                                  # seconds per unit of its times
        self.shown = shown if shown is not None else (lambda line, why: why)     # (see _slow_read)
        self.first = first                                  # the file's line number of raw[start:]
        # a copy in memory of pyarrow's own, not pa.py_buffer(raw): pyarrow's threaded reader lets go
        # of its input on one of its own threads after handing back the table, and a buffer over a
        # Python object then needs the GIL to let go: at the interpreter's exit that thread is
        # stopped inside a destructor, and the process aborts (exit 134, "terminate called
        # without an active exception") after a command that failed soon after a read
        self.buf = pa.allocate_buffer(len(raw))
        memoryview(self.buf).cast("B")[:] = raw
        # pyarrow also ends a line at a lone CR, the row-by-row reader does not: parts with one go slow
        self.lone_cr = raw.count(b"\r", start) != raw.count(b"\r\n", start)
        first = next((ln for ln in raw[start:start + 65536].decode("utf-8", "replace").split("\n")[:-1]
                      if ln.strip()), "")
        n = len(split_cells(first.rstrip("\r")) or [])
        self.width = n if n > max(idx) else ncols           # e.g. every row ending in a comma
        self.blocks: list[tuple[list[np.ndarray], Any]] = []   # columns, lines: first line or array
        self.n_rows = 0
        self.cell_bad: list[tuple[int, int, str]] = []      # rows read before it, line, why

    def read(self, max_bad_share: float) -> StreamData:
        raw, start, end = self.raw, self.start, len(self.raw)
        last = raw.rfind(b"\n", start)
        last = start if last < 0 else last + 1
        if last > start:
            self._part(start, last, self.first)
        if last < end:                                      # no line end: a torn last line
            self._slow(last, end, self.first + raw.count(b"\n", start, last))
        return self._result(max_bad_share)

    def _part(self, a: int, b: int, line: int) -> None:
        """Read raw[a:b] (whole lines) starting at line number ``line``."""
        if self._fast(a, b, line):
            return
        step = (b - a) // _PARTS + 1
        cuts = [a]
        while cuts[-1] < b:
            cuts.append(self.raw.find(b"\n", min(cuts[-1] + step, b) - 1, b) + 1)
        if b - a <= _LEAF_BYTES or len(cuts) == 2:
            self._slow(a, b, line)
            return
        for s, e in zip(cuts[:-1], cuts[1:]):
            self._part(s, e, line)
            line += self.raw.count(b"\n", s, e)

    def _fast(self, a: int, b: int, line: int) -> bool:
        import pyarrow as pa
        import pyarrow.csv as pc

        raw = self.raw
        if self.lone_cr and raw.count(b"\r", a, b) != raw.count(b"\r\n", a, b):
            return False
        names = [f"c{i}" for i in range(self.width)]
        wanted = [names[i] for i in self.idx]
        try:
            tb = pc.read_csv(
                self.buf.slice(a, b - a),
                read_options=pc.ReadOptions(column_names=names),
                convert_options=pc.ConvertOptions(include_columns=wanted,
                                                  column_types={n: pa.float64() for n in wanted},
                                                  strings_can_be_null=False, null_values=[]),
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError):
            return False
        lines: Any = line
        if tb.num_rows != raw.count(b"\n", a, b):
            # blank lines (pyarrow skips them too) or a quoted cell running over a line end (the
            # row-by-row reader reads each line as a row): only the first is the same row for row
            full = _non_blank_lines(raw, a, b)
            if tb.num_rows != len(full):
                return False
            lines = line + full
        self.blocks.append(([tb.column(n).to_numpy() for n in wanted], lines))
        self.n_rows += tb.num_rows
        return True

    def _slow(self, a: int, b: int, line: int) -> None:
        rows, at = [], []
        for i, text in enumerate(self.raw[a:b].decode("utf-8").split("\n"), start=line):
            if not text.strip():
                continue
            vals = _cells(text.rstrip("\r"), self.idx, self.ncols)
            if isinstance(vals, str):
                self.cell_bad.append((self.n_rows + len(rows), i, vals))
            else:
                rows.append(vals)
                at.append(i)
        if not rows:
            return
        arr = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.idx))
        self.blocks.append(([arr[:, k] for k in range(len(self.idx))], np.asarray(at, dtype=np.int64)))
        self.n_rows += len(rows)

    def _line_of(self, row: int) -> int:
        for cols, lines in self.blocks:
            if row < len(cols[0]):
                return int(lines + row if isinstance(lines, int) else lines[row])
            row -= len(cols[0])
        raise AssertionError("row beyond the rows read")

    def _result(self, max_bad_share: float) -> StreamData:
        cols = [np.concatenate([c[k] for c, _ in self.blocks]) if len(self.blocks) != 1 else self.blocks[0][0][k]
                for k in range(len(self.idx))] if self.blocks else [np.zeros(0)] * len(self.idx)
        finite = np.logical_and.reduce([np.isfinite(c) for c in cols])
        with np.errstate(invalid="ignore"):
            huge = np.logical_or.reduce([np.abs(c) > LARGEST_VALUE for c in cols[1:]]) & finite
        not_finite = ~finite
        finite &= ~huge
        at = np.flatnonzero(finite)
        t = cols[0][at]
        runs_backwards(self.path, t, lambda j: self._line_of(int(at[j])))
        restarts(self.path, t, lambda j: self._line_of(int(at[j])))
        ahead, back, tie, before = time_order(t)
        spread, notes = None, []
        drop = ahead | back
        if tie.any():
            total = len(self.cell_bad) + len(finite)
            spread = spread_ties(t[~drop], tie[~drop], total)
            if spread is None:
                drop |= tie
            else:
                notes.append(spread_note(self.path, int(np.count_nonzero(tie)), total, t[~drop]))
                tie = np.zeros_like(tie)
        holes = holes_of_dropped(t, ahead | back, drop)         # (among the rows kept, repeats left out too)
        good = finite.copy()
        good[at[drop]] = False
        steps = clock_steps(t, back, drop, MAX_GAP_S / self.per_s)
        stepped = [(int(np.count_nonzero(good[:at[b]])), self._line_of(int(at[a])), back_by * self.per_s, float(t[a]),
                    t_before) for a, b, back_by, t_before, _ in steps]
        step_rows = [(b - a, self._line_of(int(at[b - 1]))) for a, b, *_ in steps]
        bad = len(self.cell_bad) + int(len(good) - np.count_nonzero(good))

        def listed(ahead, back, tie) -> list[str]:
            """The first five bad rows in file order: cell_bad rows come before the read row they precede."""
            first = [(k, 0, ln, why) for k, ln, why in self.cell_bad[:5]]
            first += [(int(r), 1, 0, NOT_FINITE if not_finite[r] else TOO_LARGE) for r in np.flatnonzero(~finite)[:5]]
            first += [(int(at[j]), 1, 0, why) for j, why in order_problems(t, ahead, back, tie, before)]
            first.sort(key=lambda p: p[:2])
            return [f"{self.path}:{ln}: {self.shown(ln, why)}" for ln, why in
                    ((ln if kind == 0 else self._line_of(r), why) for r, kind, ln, why in first[:5])]

        problems = listed(ahead, back, tie)
        others = None
        if steps:                       # (the rows skipped at a clock step are said with it)
            off = np.ones(len(t), bool)
            for a, b, *_ in steps:
                off[a:b] = False
            others = listed(ahead & off, back & off, tie & off)
        if not good.all():
            cols = [c[good] for c in cols]
        if spread is not None:
            cols[0] = spread
        # the samples right after bad rows: those found row by row come before the read row k they
        # precede, the read rows left out (r) before the next kept one; one mark for each (a row
        # out of time order is marked where its time belonged too: holes)
        after, skipped_at = None, np.empty(0, dtype=np.int64)
        if bad:
            kept = np.flatnonzero(good)
            cell = np.searchsorted(kept, [k for k, _, _ in self.cell_bad]).astype(np.int64)
            at = np.concatenate([cell, np.searchsorted(kept, np.flatnonzero(~good), side="right")]).astype(np.int64)
            after = explained_holes(cols[0], np.concatenate([at[(at > 0) & (at < len(kept))], holes]))
            skipped_at = _inside(np.concatenate([cell, np.searchsorted(kept, np.flatnonzero(~finite)), holes]),
                                 len(kept))
        d = _stream(self.path, cols[0], cols[1:], bad, problems, max_bad_share, notes, after)
        d.skipped_at = skipped_at
        d.clock_steps = stepped
        if steps:
            d.step_rows, d.other_problems = step_rows, others
        return d


def _non_blank_lines(raw: bytes, a: int, b: int) -> np.ndarray:
    """Offsets (0 = the first) of the lines of raw[a:b] (whole lines) that are neither empty nor a lone CR."""
    arr = np.frombuffer(raw, np.uint8, count=b - a, offset=a)
    ends = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], ends[:-1] + 1))
    blank = (ends == starts) | ((ends == starts + 1) & (arr[starts] == 13))
    return np.flatnonzero(~blank)


def read_force_csv(path: str | os.PathLike, units: str = "N") -> StreamData:
    """Read ``t_s,force_n`` (in N; other ``units`` are converted)."""
    d = read_csv_stream(path, FORCE_COLUMNS)
    if units not in KNOWN_FORCE_UNITS:
        raise InputError(f"{path}: unknown force units {units!r}; known: {', '.join(KNOWN_FORCE_UNITS)}")
    if units != "N":
        d.values = d.values * KNOWN_FORCE_UNITS[units]
    return d


def read_timed_csv(path: str | os.PathLike, required: tuple[str, ...] = FORCE_COLUMNS,
                   max_bad_share: float = 0.2, whole_lines: bool = False) -> StreamData:
    """Read a CSV stream whose time may be in s, ms or µs, as its header names it: ``required``
    starts with ``t_s``, and the header may name ``t_ms`` or ``t_us`` (``Time (ms)``,
    ``timestamp_ms``, see :func:`~firmware_bridge.csv_dialect.column_name`) in its place; ``t_s``
    of the result is in seconds. Otherwise as :func:`read_csv_stream`: whole-number force or IMU
    times under a seconds header that read as milliseconds are still refused."""
    t_col = time_column(path)
    d = read_csv_stream(path, (t_col,) + tuple(required[1:]), max_bad_share, whole_lines)
    d.t_s = to_seconds(Path(path), d.t_s, t_col)
    return d


def imu_columns(cols: list[str], required: tuple[str, ...] = IMU_COLUMNS) -> tuple[tuple[str, ...], np.ndarray]:
    """The columns to read for the ``required`` IMU columns (of :data:`IMU_COLUMNS`, in m/s² and
    rad/s) in a header whose columns are ``cols`` (gradecoach's names): each in the unit the
    header gives it (``ax_g``, ``gx_dps``; the required one where none is given, for the message),
    and the factors that turn them into m/s² and rad/s."""
    names, factors = [], []
    for name in required:
        axis = name.split("_")[0]
        got = next((c for c in IMU_COLUMN_UNITS if c.split("_")[0] == axis and c in cols), name)
        names.append(got)
        factors.append(KNOWN_IMU_UNITS[IMU_COLUMN_UNITS[got]] if got in IMU_COLUMN_UNITS else 1.0)
    return tuple(names), np.asarray(factors)


def in_imu_units(d: StreamData, factors: np.ndarray) -> StreamData:
    """``d`` read from an IMU CSV's columns, its values converted by ``factors`` (:func:`imu_columns`)."""
    if np.any(factors != 1.0):
        d.values = d.values * (factors if d.values.ndim == 2 else factors[0])
    return d


def read_imu_csv(path: str | os.PathLike, required: tuple[str, ...] = IMU_COLUMNS,
                 max_bad_share: float = 0.2, whole_lines: bool = False) -> StreamData:
    """Read an IMU CSV: ``required`` is ``t_s`` and the IMU's columns (m/s², rad/s), of
    :data:`IMU_COLUMNS`, each of which the header may give in another unit of
    :data:`IMU_COLUMN_UNITS` (``ax_g``, ``gx_dps``), converted on reading. Its time may be in s,
    ms or µs, as its header names it (``t_s``, ``t_ms``, ``t_us``, as a bare force CSV's): ``t_s``
    of the result is in seconds; whole-number milliseconds under ``t_s`` are refused, as in a
    force CSV (:func:`~firmware_bridge.csv_rows.check_seconds`). Otherwise as
    :func:`read_csv_stream`, whose messages name the IMU's columns."""
    names, factors = imu_columns(csv_header(file_head(path))[1], required[1:])
    return in_imu_units(read_timed_csv(path, (required[0], *names), max_bad_share, whole_lines), factors)


def write_force_csv(path: str | os.PathLike, t_s: np.ndarray, force_n: np.ndarray) -> None:
    """Write a bare ``t_s,force_n`` CSV (fixtures, exports)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(FORCE_COLUMNS) + "\n")
        np.savetxt(fh, np.column_stack([t_s, force_n]), fmt=("%.6f", "%.4f"), delimiter=",")
