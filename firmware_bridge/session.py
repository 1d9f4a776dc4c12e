"""The open session format: a folder with session.json and one plain file per stream.

See docs/format.md. Writers append and flush as samples arrive (crash-safe: after a hard kill at
most the last flush interval is lost and the folder still opens, with a warning). Readers turn
bad input into one-line :class:`InputError` messages naming ``file:line``.
"""

from __future__ import annotations

import csv
import errno
import functools
import json
import math
import os
import re
import shlex
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import InputError
from analysis.scheme import parse_target
from firmware_bridge.shared_write import claim, folder_lock, replace_text

SCHEMA_VERSION = 1
FORCE_COLUMNS = ("t_s", "force_n")
IMU_COLUMNS = ("t_s", "ax_mps2", "ay_mps2", "az_mps2", "gx_rads", "gy_rads", "gz_rads")
# a time column in the unit its header names (a logger's millisecond or microsecond clock), by
# what it is multiplied with on reading to give seconds
TIME_COLUMNS = {"t_s": 1.0, "t_ms": 1e-3, "t_us": 1e-6}
# what soundfile (libsndfile) reads; MP3 needs libsndfile 1.1 or later (the soundfile wheel has it)
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".caf", ".w64", ".rf64")
KNOWN_FORCE_UNITS = {"N": 1.0, "kgf": 9.80665, "kg": 9.80665, "lbf": 4.4482216152605}
# a sensor without a usable calibration sends its ADC's counts: recorded as they came, read as
# they are (not newtons), and said so
RAW_COUNTS = "counts"
# what phones, video cameras and other programs record, and libsndfile does not read
CONVERT_SUFFIXES = (".m4a", ".aac", ".mp4", ".m4v", ".mov", ".3gp", ".amr", ".wma", ".webm", ".mkv")


# how audio files begin, whatever their names: WAV/RF64/Wave64/AIFF/CAF, FLAC, Ogg, MP3 (a tag or a
# frame), an MPEG-4 (phone, .m4a), Matroska/WebM, AMR and ASF (WMA) recording
AUDIO_MAGIC = (b"RIFF", b"RIFX", b"RF64", b"riff", b"FORM", b"caff", b"fLaC", b"OggS", b"ID3",
               b"\x1aE\xdf\xa3", b"#!AMR", b"\x30\x26\xb2\x75")
# of those, the containers libsndfile does not read, by what they are called
_TO_CONVERT = {b"\x1aE\xdf\xa3": "Matroska/WebM", b"#!AMR": "AMR", b"\x30\x26\xb2\x75": "WMA"}
HEAD_BYTES = 4096                        # what is read of a file's start to tell what it holds
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")     # little- and big-endian


def utf16_text(head: bytes) -> bool:
    """Whether a file starting with ``head`` is text in UTF-16 with its byte-order mark (as Windows
    Notepad and some spreadsheets save "Unicode" text): printable characters and line ends only.
    (Its mark FF FE is also an MPEG audio frame's sync; its ASCII characters hold NUL bytes.)"""
    if not head.startswith(UTF16_BOMS):
        return False
    text = head[:len(head) // 2 * 2].decode("utf-16", "replace")
    if text.endswith("\ufffd"):                    # (a character cut where ``head`` ends)
        text = text[:-1]
    return all(c.isprintable() or c in "\r\n\t" for c in text)


def is_audio(head: bytes, path: Path | None = None) -> bool:
    """Whether a file starting with ``head`` is audio, by its content (a recording saved
    without a suffix, or under another name): its magic bytes, an MPEG audio frame's sync, an
    MPEG-4 ``ftyp`` box, or, for other binary content, libsndfile reading it. UTF-16 text
    (:func:`utf16_text`) is none."""
    if utf16_text(head):
        return False
    if head.startswith(AUDIO_MAGIC) or head[4:8] == b"ftyp":
        return True
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:      # MPEG/ADTS frame sync
        return True
    if path is None or not head or b"\0" not in head[:512]:                # text is no audio
        return False
    import soundfile as sf
    try:
        return sf.info(str(path)).frames > 0
    except (RuntimeError, sf.LibsndfileError):
        return False


def audio_to_convert(head: bytes) -> str | None:
    """What audio a file starting with ``head`` holds when libsndfile does not read it (a phone's
    MPEG-4, AAC, Matroska/WebM, AMR, WMA), or None."""
    if head[4:8] == b"ftyp":
        return "MPEG-4"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:      # ADTS: MPEG sync, layer 0
        return "AAC"
    return next((name for magic, name in _TO_CONVERT.items() if head.startswith(magic)), None)


def file_head(path: str | os.PathLike, n: int = HEAD_BYTES) -> bytes:
    """The first ``n`` bytes of a regular file; none for anything else (a pipe is not read
    ahead of its reader) or a file that cannot be read."""
    try:
        if not Path(path).is_file():
            return b""
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def convert_hint(path) -> str:
    """The one-line error for an audio or video file in a format libsndfile does not read (by its
    suffix, or by its content under another name), with the ``ffmpeg`` command that converts it:
    its paths as given (so it runs from the folder the command was), quoted for the shell."""
    p = Path(path)
    kind = p.suffix.lower() if p.suffix.lower() in CONVERT_SUFFIXES else None
    kind = kind or audio_to_convert(file_head(p)) or p.suffix.lower()
    out = p.with_suffix(".flac")
    if out == p:                                       # (an MP4 saved as .flac)
        out = p.with_name(p.stem + ".converted.flac")
    return (f"{p}: {kind} audio is not read (WAV, FLAC, OGG, Opus, MP3 and AIFF are); "
            f"convert it first, for example: ffmpeg -i {shlex.quote(str(p))} {shlex.quote(str(out))}")


def finite_number(v) -> bool:
    """Whether a value read from JSON is a finite number (not a bool, not text; an integer of
    hundreds of digits, which no float holds, is not one either)."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def _spans(v) -> bool:
    return isinstance(v, list) and all(isinstance(g, dict) and finite_number(g.get("t_start")) and finite_number(g.get("t_end"))
                                       for g in v)


_FIELD_CHECKS = {
    "created": lambda v: isinstance(v, str), "trainee": lambda v: isinstance(v, str),
    "technique": lambda v: isinstance(v, str), "notes": lambda v: isinstance(v, str),
    "target": lambda v: v is None or isinstance(v, str),
    "r1_n": lambda v: v is None or finite_number(v), "r2_n": lambda v: v is None or finite_number(v),
    "alpha": lambda v: finite_number(v) and 0 < v < 1,
    "sensor": lambda v: isinstance(v, dict), "streams": lambda v: isinstance(v, dict),
    "comments": lambda v: isinstance(v, list) and all(isinstance(c, dict) for c in v),
    "complete": lambda v: isinstance(v, bool), "gaps": _spans,
}


@dataclass
class SessionMeta:
    """Contents of session.json. Forces in N, times in s."""

    schema_version: int = SCHEMA_VERSION
    created: str = ""
    trainee: str = ""
    technique: str = ""
    target: str | None = None
    r1_n: float | None = None
    r2_n: float | None = None
    alpha: float = 0.5
    sensor: dict = field(default_factory=lambda: {"name": "", "description": "", "force_units": "N"})
    streams: dict = field(default_factory=dict)   # name -> {"file": ..., "rate_hz": ...}
    notes: str = ""
    comments: list = field(default_factory=list)  # [{"t_s": float, "text": str, "author": str}]
    complete: bool = False
    gaps: list = field(default_factory=list)      # [{"t_start": s, "t_end": s, "reason": str}]
    extra: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # fields of the file that were unusable (not written back)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("problems", None)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "session.json") -> "SessionMeta":
        if not isinstance(d, dict):
            raise InputError(f"{where}: expected a JSON object")
        d, problems = dict(d), []
        v = d.get("schema_version", 1)
        if isinstance(v, str) and re.fullmatch(r"\s*\d{1,9}\s*", v):          # "1": a version all the same
            d["schema_version"] = int(v)
            problems.append(f"{where}: schema_version {v!r} is text, not a number; read as {int(v)}")
        elif finite_number(v) and float(v).is_integer():
            d["schema_version"] = int(v)
        else:
            raise InputError(f"{where}: schema_version {str(v)[:20]!r} is not a version number; this gradecoach "
                             f"reads {SCHEMA_VERSION}")
        v = d["schema_version"]
        if v > SCHEMA_VERSION:
            raise InputError(f"{where}: schema_version {v!r} is newer than this gradecoach reads ({SCHEMA_VERSION})")
        if v < 1:
            raise InputError(f"{where}: schema_version {v!r} is not a version number; this gradecoach reads "
                             f"{SCHEMA_VERSION}")
        names = [k for k in cls.__dataclass_fields__ if k not in ("extra", "problems")]
        known = {}
        for k in names:
            if k not in d:
                continue
            ok = _FIELD_CHECKS.get(k, lambda v: True)(d[k])
            if ok:
                known[k] = d[k]
            else:
                problems.append(f"{where}: {k} {str(d[k])[:40]!r} is not usable; ignored")
        extra = {k: d[k] for k in d if k not in names and k not in ("extra", "problems")}
        meta = cls(**known)
        if isinstance(d.get("extra"), dict):
            meta.extra.update(d["extra"])
        meta.extra.update(extra)
        meta.streams = {k: v for k, v in meta.streams.items() if isinstance(v, dict)}
        for v in meta.streams.values():
            if not isinstance(v.get("file", ""), str) or "/" in v.get("file", "") or "\\" in v.get("file", ""):
                problems.append(f"{where}: stream file {str(v.get('file'))[:40]!r} is not a file name; ignored")
                v.pop("file")
        if meta.r1_n is not None and meta.r2_n is not None and not 0 < meta.r1_n < meta.r2_n:
            problems.append(f"{where}: calibration R1 {meta.r1_n:g} N, R2 {meta.r2_n:g} N is not usable "
                            "(R1 must be positive and below R2); ignored")
            meta.r1_n = meta.r2_n = None
        elif (meta.r1_n is None) != (meta.r2_n is None):
            have, lack = ("r1_n", "r2_n") if meta.r2_n is None else ("r2_n", "r1_n")
            why = "is not usable" if d.get(lack) is not None else "is not given"   # (the first: said above)
            problems.append(f"{where}: {have} {getattr(meta, have):g} N without {lack} ({lack} {why}); "
                            f"calibration ignored")
            meta.r1_n = meta.r2_n = None
        good = [c for c in meta.comments if finite_number(c.get("t_s")) and isinstance(c.get("text", ""), str)]
        if len(good) < len(meta.comments):
            problems.append(f"{where}: {len(meta.comments) - len(good)} comment(s) without a time or text; ignored")
            meta.comments = good
        if meta.target is not None:
            try:
                parse_target(meta.target)
            except InputError:
                problems.append(f"{where}: target {meta.target[:20]!r} is not a grade; ignored")
                meta.target = None
        meta.problems = problems
        units = (meta.sensor or {}).get("force_units", "N")
        if not isinstance(units, str) or (units not in KNOWN_FORCE_UNITS and units != RAW_COUNTS):
            raise InputError(f"{where}: unknown force units {units!r}; known: {', '.join(KNOWN_FORCE_UNITS)}, "
                             f"{RAW_COUNTS}")
        if units == RAW_COUNTS:
            problems.append(f"{where}: the force was recorded in the sensor's raw ADC counts (it had no usable "
                            f"calibration): forces, peaks and rates read in counts, not newtons, and R1/R2 must be "
                            f"counts too")
        return meta


@dataclass
class StreamData:
    """A numeric stream read from CSV: ``t_s`` (n,), ``values`` (n,) or (n, k)."""

    t_s: np.ndarray
    values: np.ndarray
    skipped_rows: int = 0
    problems: list = field(default_factory=list)   # first few "file:line: why" strings
    path: Path | None = None
    notes: list = field(default_factory=list)      # what was done to read the file, one line each

    @property
    def rate_hz(self) -> float:
        if len(self.t_s) < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.t_s)))


# a column of time or force as loggers and spreadsheets name it: "Time (s)", "time [ms]",
# "timestamp_ms", "Load (kg)", "Force [N]" read as gradecoach's t_s, t_ms, force_kg, force_n
_QUANTITY = {"t": "t", "time": "t", "timestamp": "t", "elapsed": "t", "elapsed time": "t",
             "force": "force", "load": "force", "weight": "force"}
_UNITS = {"t": {"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "ms": "ms",
                "msec": "ms", "millisecond": "ms", "milliseconds": "ms", "us": "us", "\u00b5s": "us",
                "\u03bcs": "us", "microsecond": "us", "microseconds": "us"},
          "force": {"n": "n", "newton": "n", "newtons": "n", "kgf": "kgf", "kg": "kg", "lbf": "lbf",
                    "lb": "lbf", "lbs": "lbf"}}
_COLUMN = re.compile(r"([a-z][a-z ]*?)\s*(?:[(\[]\s*(\S+?)\s*[)\]]|[_ ](\S+))")
_NAMED_UNITS = {"t": "t_s, t_ms, t_us or 'time (s)'", "force": "force_n, force_kgf, force_kg, force_lbf or 'force (N)'"}


def column_name(cell: str) -> str:
    """A header cell by gradecoach's name for it: its quantity (time, force) and the unit it
    names, in any of the ways loggers write them (``Time (s)`` and ``timestamp_ms`` are ``t_s``
    and ``t_ms``, ``Load [kg]`` is ``force_kg``); any other cell lowercased as it is."""
    c = cell.strip().strip('"').strip().lower()
    m = _COLUMN.fullmatch(c)
    if m:
        q = _QUANTITY.get(m.group(1))
        u = _UNITS[q].get(m.group(2) or m.group(3)) if q else None
        if u:
            return f"{q}_{u}"
    return c


def header_columns(line: str) -> list[str]:
    """A header line's columns by gradecoach's names (:func:`column_name`), whatever separates
    them (comma, semicolon, tab or bar)."""
    return [column_name(c) for c in re.split(r"[,;\t|]", line.lstrip("\ufeff").strip())]


def _parse_header(path: Path, line: str, required: tuple[str, ...], as_found: str | None = None) -> list[int]:
    if line.lstrip().startswith("#"):                   # a logger's notes above its columns
        raise InputError(f"{path}:1: a comment line where the header belongs; remove the lines above the "
                         f"header {','.join(required)}")
    cells = [c.strip().strip('"') for c in line.strip().split(",")]
    cols = [column_name(c) for c in cells]
    found = (line if as_found is None else as_found).strip()      # (as the file has it, for the message)
    found = repr(found if len(found) <= 60 else found[:57] + "...")
    if not line.strip() or any(_is_number(c) for c in cols):
        raise InputError(f"{path}:1: missing header; expected {','.join(required)}, found {found}")
    idx = []
    for name in required:
        if name not in cols:
            q = name.split("_")[0]
            alt = [c for c in cells if c.lower().startswith(q)]
            hint = f" (found {','.join(alt)}: unknown units?)" if alt else ""
            if q in _NAMED_UNITS and any(_QUANTITY.get(c.lower()) == q for c in cells):
                hint = f" (found {','.join(alt)} with no unit: name it {_NAMED_UNITS[q]})"
            raise InputError(f"{path}:1: header lacks column {name!r}{hint}; expected {','.join(required)}, "
                             f"found {found}")
        idx.append(cols.index(name))
    return idx


def _other_separator(header: str, required: tuple[str, ...]) -> bytes | None:
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


_QUOTED_DECIMAL_COMMA = re.compile(rb'"\s*([-+]?\d*),(\d+(?:[eE][-+]?\d+)?)\s*"')


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


def _decimal_comma_in_quotes(sample: bytes) -> bool:
    """Whether quoted numbers in ``sample`` use a decimal comma: some have other than three digits
    after it, and none has a point as well (a thousands separator: "1,234.5" or "1,234" alone)."""
    found = _QUOTED_DECIMAL_COMMA.findall(sample)
    return (any(len(frac.split(b"e")[0].split(b"E")[0]) != 3 for _, frac in found)
            and not re.search(rb'"\s*[-+]?\d{1,3}(?:,\d{3})+\.\d*\s*"', sample))


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def read_csv_stream(path: str | os.PathLike, required: tuple[str, ...] = FORCE_COLUMNS,
                    max_bad_share: float = 0.2, whole_lines: bool = False) -> StreamData:
    """Read a CSV stream with the given header columns (extra columns ignored).

    A bad row (non-numeric or NaN cell, too few columns, time before the last good row's, a lone
    time ahead of the rows after it: see :func:`_time_order`) is skipped and counted; ``problems`` names the first five as ``file:line: why``. More than
    ``max_bad_share`` bad rows, or none good, is an error naming the first bad ``file:line``.
    Rows sharing one time (a logger stamping each packet's samples with its arrival) are spread
    evenly up to the next time, said in ``notes``; a rare repeated time (under 1 row in 100, or a
    single one) is a bad row, see :func:`_spread_ties`.
    Cells may be double-quoted. Line ends may be LF, CRLF or (old Mac) CR only. A header that is
    not UTF-8 is read as Windows-1252 (a spreadsheet's "Time (µs)"). With ``whole_lines`` (a file
    gradecoach wrote, every line ended) a last line without its line end was cut off by a crash:
    it is left out, said in ``notes``, however it reads.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    raw = _as_utf8(path, raw)
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
        _check_seconds(path, d.t_s)
    return d


# no force sensor samples this slowly (an HX711's slowest is 10 samples a second): whole-number
# times this far apart under a seconds header are milliseconds or µs
SLOWEST_RATE_HZ = 1.0
ROWS_TO_TELL = 60      # fewer rows (a minute at that rate) may be a table typed by hand: not judged


def _check_seconds(path: Path, t_s: np.ndarray) -> None:
    """A one-line error for force times in a seconds column that read as milliseconds (or µs):
    whole numbers a median of ``1 / SLOWEST_RATE_HZ`` s or more apart in ``ROWS_TO_TELL`` rows or
    more (a 1 kHz logger's 0, 1, 2 …), which the analysis would take for a recording a thousand times as long, full of gaps."""
    if len(t_s) < ROWS_TO_TELL:
        return
    step = float(np.median(np.diff(t_s)))
    if not step >= 1 / SLOWEST_RATE_HZ or not np.array_equal(t_s, np.round(t_s)):
        return
    unit, name, per_s = ("t_ms", "milliseconds", 1e3) if step < 1e3 else ("t_us", "microseconds", 1e6)
    raise InputError(f"{path}: times under a seconds header are whole numbers {step:g} s apart (slower than any "
                     f"force sensor); if they are {name}, name the time column {unit} ({per_s / step:g} samples "
                     f"a second)")


def _as_utf8(path: Path, raw: bytes) -> bytes:
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


def _read_bytes(path: Path, raw: bytes, required: tuple[str, ...], max_bad_share: float,
                fast: bool = True) -> StreamData:
    if not re.search(rb"\S", raw):
        raise InputError(f"{path}:1: empty file; expected a header {','.join(required)}")
    if b"\n" not in raw and b"\r" in raw:
        raw = raw.replace(b"\r", b"\n")                     # classic Mac line ends: one CR per line
    nl = raw.find(b"\n")
    head = raw if nl < 0 else raw[:nl]
    if b"\0" in raw[:4096]:                             # (a sound or a spreadsheet's own format)
        raise InputError(f"{path}:1: not a text CSV file")
    header = as_found = header_text(head)
    sep = _other_separator(header, required)
    if sep is not None:
        # a spreadsheet's export where the comma is the decimal mark ("0,005;1,98"), or tabs
        raw = raw.replace(b",", b".").replace(sep, b",")
        header = header.replace(",", ".").replace(sep.decode(), ",")
    elif _decimal_comma_in_quotes(raw[len(head):len(head) + 65536]):
        # comma-separated with the decimal comma in quotes ("0,002","1,2103"): a spreadsheet's
        # export in a decimal-comma locale with the comma kept as separator
        raw = raw[:len(head)] + _QUOTED_DECIMAL_COMMA.sub(rb"\1.\2", raw[len(head):])
    idx = _parse_header(path, header, required, as_found.lstrip("\ufeff"))
    ncols = header.count(",") + 1
    start = len(raw) if nl < 0 else nl + 1
    if not raw.isascii():
        try:
            str(memoryview(raw)[start:], "utf-8")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, start + e.start) + 1
            raise InputError(f"{path}:{line}: not UTF-8 text") from None
    if fast and len(raw) - start > _LEAF_BYTES:
        return _Rows(path, raw, start, idx, ncols).read(max_bad_share)
    return _slow_read(path, raw[start:].decode("utf-8"), idx, ncols, max_bad_share)


def _cells(line: str, idx: list[int], ncols: int) -> list[float] | str:
    """The wanted cells of one line (without its line end) as floats, or why the row is bad.
    Quoting as in pyarrow's reader: a cell may be in double quotes, with commas and "" inside."""
    cells = _split(line)
    if cells is None:
        return "unreadable quoted cell"
    if len(cells) < max(idx) + 1:
        return f"expected {ncols} columns, found {len(cells)}"
    vals = []
    for j in idx:
        try:
            vals.append(float(cells[j]))
        except ValueError:
            cell = cells[j] if len(cells[j]) <= 20 else cells[j][:17] + "..."
            return f"non-numeric cell {cell!r}"
    return vals


def _backwards(t: float, before: float) -> str:
    return f"time {'does not advance' if t == before else 'goes backwards'} ({t} after {before})"


def _ahead(t: float, after: float) -> str:
    return f"time jumps ahead of the rows after it ({t}, then {after})"


def _time_order(t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which of a stream's readable rows (their times ``t``, in file order) are out of time order:
    ``ahead``, a lone row whose time is after the two rows that follow it while they go on from
    the row before it (a glitch, or one of two swapped rows: it alone is left out, not all the
    rows it is ahead of); ``back``, a time before the last kept row's (``before``); ``tie``, a time
    equal to it. Masks over all rows; ``before`` is -inf for ``ahead`` rows. A file of two
    recordings one after the other goes back at the second's first row and keeps going back: its
    rows are ``back`` rows, as before."""
    n = len(t)
    ahead = np.zeros(n, bool)
    if n < 2 or bool((t[1:] > t[:-1]).all()):           # (in order: most files, read at once)
        before = np.full(n, -math.inf)
        before[1:] = t[:-1]
        return ahead, ahead, ahead, before
    if n >= 3:
        prev = np.concatenate(([-math.inf], t[:-3]))
        ahead[:-2] = (t[:-2] > t[1:-1]) & (t[:-2] > t[2:]) & (prev <= t[1:-1])
    keep = np.flatnonzero(~ahead)
    tk = t[keep]
    b = np.empty_like(tk)
    if len(tk):
        b[0] = -math.inf
        np.maximum.accumulate(tk[:-1], out=b[1:])
    before = np.full(n, -math.inf)
    before[keep] = b
    back, tie = np.zeros(n, bool), np.zeros(n, bool)
    back[keep], tie[keep] = tk < b, tk == b
    return ahead, back, tie, before


def _order_problems(t: np.ndarray, ahead: np.ndarray, back: np.ndarray, tie: np.ndarray,
                    before: np.ndarray, limit: int = 5) -> list[tuple[int, str]]:
    """The first ``limit`` rows out of time order (``tie`` ones included), as (row, why)."""
    rows = np.flatnonzero(ahead | back | tie)[:limit]
    return [(int(j), _ahead(float(t[j]), float(t[j + 1])) if ahead[j] else _backwards(float(t[j]), float(before[j])))
            for j in rows]


def _slow_read(path: Path, body: str, idx: list[int], ncols: int, max_bad_share: float) -> StreamData:
    """Row by row: the reference for what :class:`_Rows` returns, used for small files."""
    rows: list[list[float]] = []
    at: list[int] = []                      # each row's line
    bad: list[tuple[int, str]] = []         # line, why
    for i, line in enumerate(body.split("\n"), start=2):
        if not line.strip():
            continue
        vals = _cells(line.rstrip("\r"), idx, ncols)
        if isinstance(vals, str):
            bad.append((i, vals))
        elif not all(math.isfinite(v) for v in vals):
            bad.append((i, "NaN or infinite value"))
        else:
            rows.append(vals)
            at.append(i)
    arr = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(idx))
    ahead, back, tie, before = _time_order(arr[:, 0])
    total = len(bad) + len(rows)
    spread = _spread_ties(arr[~(ahead | back), 0], tie[~(ahead | back)], total) if tie.any() else None
    notes = []
    drop = ahead | back
    if spread is None:
        drop |= tie
    else:
        notes.append(_spread_note(path, int(np.count_nonzero(tie)), total))
        tie = np.zeros_like(tie)
    bad = sorted(bad + [(at[j], why) for j, why in _order_problems(arr[:, 0], ahead, back, tie, before, len(rows))])
    arr = arr[~drop]
    if spread is not None:
        arr[:, 0] = spread
    problems = [f"{path}:{i}: {why}" for i, why in bad[:5]]
    return _stream(path, arr[:, 0], [arr[:, k] for k in range(1, len(idx))], len(bad), problems, max_bad_share,
                   notes)


_TIE_SHARE = 0.01   # repeated times in this share of the rows or more are how the file was stamped


def _spread_ties(t: np.ndarray, tie: np.ndarray, total: int) -> np.ndarray | None:
    """``t`` (non-decreasing) with each run of equal times spread evenly up to the next time, the
    last run at the median interval; ``tie`` marks the rows whose time equals the row before.

    None (the ties stay bad rows) for fewer than 2 ties or under ``_TIE_SHARE`` of ``total`` rows:
    then the repeat is more likely a line written twice than a packet's stamp, and skipping it
    loses at most a sample and names its line, where spreading would give the copy a time of its
    own and move its neighbour. Also None for one time only, or times too close to spread.
    """
    n_tie = int(np.count_nonzero(tie))
    if n_tie < 2 or n_tie < _TIE_SHARE * total:
        return None
    starts = np.flatnonzero(~tie)
    if len(starts) < 2:
        return None
    k = np.diff(np.append(starts, len(t)))
    run = np.cumsum(~tie) - 1
    pos = np.arange(len(t)) - starts[run]
    step = np.zeros(len(starts))
    with np.errstate(all="ignore"):
        step[:-1] = np.diff(t[starts]) / k[:-1]
        out = t + pos * step[run]
        last = starts[-1]
        out[last:] = t[last] + pos[last:] * np.median(np.diff(out[:last + 1]))
        if not (np.isfinite(out).all() and (np.diff(out) > 0).all()):
            return None
    return out


def _spread_note(path: Path, ties: int, total: int) -> str:
    return (f"{path}: {ties} of {total} rows share their time with the row before (packet stamps?); "
            f"spread evenly between them")


def _stream(path: Path, t_s: np.ndarray, values: list[np.ndarray], bad: int, problems: list[str],
            max_bad_share: float, notes: list[str]) -> StreamData:
    total = bad + len(t_s)
    if not len(t_s):
        if not problems:                    # a recording stopped before its first sample
            raise InputError(f"{path}: a header and no samples after it (nothing was recorded)")
        raise InputError(f"{problems[0]} (no usable rows)")
    if bad / total > max_bad_share:
        raise InputError(f"{problems[0]} ({bad} of {total} rows bad)")
    vals = values[0] if len(values) == 1 else np.column_stack(values)
    return StreamData(t_s, vals, bad, problems, path, notes)


_LEAF_BYTES = 16384   # a part this small holding a bad row is read row by row (about 1000 rows, ~2 ms)
_PARTS = 16           # a part holding a bad row is split in this many, each read at pyarrow's speed


class _Rows:
    """Reads a CSV body at pyarrow's speed even when some rows are bad: a part pyarrow refuses is
    split until the parts holding the bad rows are small, and only those are read row by row. The
    result is the row-by-row reader's (:func:`_slow_read`), values, counts and messages alike.

    A crashed recording's torn last line costs one row-by-row line; a file with one bad row in the
    middle is read about twice by pyarrow (whole, then in parts).
    """

    def __init__(self, path: Path, raw: bytes, start: int, idx: list[int], ncols: int) -> None:
        import pyarrow as pa

        self.path, self.raw, self.idx, self.ncols, self.start = path, raw, idx, ncols, start
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
        n = len(_split(first.rstrip("\r")) or [])
        self.width = n if n > max(idx) else ncols           # e.g. every row ending in a comma
        self.blocks: list[tuple[list[np.ndarray], Any]] = []   # columns, lines: first line or array
        self.n_rows = 0
        self.cell_bad: list[tuple[int, int, str]] = []      # rows read before it, line, why

    def read(self, max_bad_share: float) -> StreamData:
        raw, start, end = self.raw, self.start, len(self.raw)
        last = raw.rfind(b"\n", start)
        last = start if last < 0 else last + 1
        if last > start:
            self._part(start, last, 2)
        if last < end:                                      # no line end: a torn last line
            self._slow(last, end, 2 + raw.count(b"\n", start, last))
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
        at = np.flatnonzero(finite)
        t = cols[0][at]
        ahead, back, tie, before = _time_order(t)
        spread, notes = None, []
        drop = ahead | back
        if tie.any():
            total = len(self.cell_bad) + len(finite)
            spread = _spread_ties(t[~drop], tie[~drop], total)
            if spread is None:
                drop |= tie
            else:
                notes.append(_spread_note(self.path, int(np.count_nonzero(tie)), total))
                tie = np.zeros_like(tie)
        good = finite.copy()
        good[at[drop]] = False
        bad = len(self.cell_bad) + int(len(good) - np.count_nonzero(good))
        # the first five bad rows in file order: cell_bad rows come before the read row they precede
        first = [(k, 0, ln, why) for k, ln, why in self.cell_bad[:5]]
        first += [(int(r), 1, 0, "NaN or infinite value") for r in np.flatnonzero(~finite)[:5]]
        first += [(int(at[j]), 1, 0, why) for j, why in _order_problems(t, ahead, back, tie, before)]
        first.sort(key=lambda p: p[:2])
        problems = [f"{self.path}:{ln if kind == 0 else self._line_of(r)}: {why}" for r, kind, ln, why in first[:5]]
        if not good.all():
            cols = [c[good] for c in cols]
        if spread is not None:
            cols[0] = spread
        return _stream(self.path, cols[0], cols[1:], bad, problems, max_bad_share, notes)


def _split(line: str) -> list[str] | None:
    """The cells of one line, or None if its quoting cannot be read (a lone CR in a quoted line)."""
    if '"' in line:
        try:
            return next(csv.reader([line]))
        except csv.Error:
            return None
    return line.split(",")


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


def time_column(path: str | os.PathLike) -> str:
    """The time column of :data:`TIME_COLUMNS` a CSV's header names (``Time (ms)`` and
    ``timestamp_ms`` are ``t_ms``), or ``t_s`` when it names none (or the file cannot be read
    ahead: the reader then says what is wrong)."""
    line = file_head(path).split(b"\n", 1)[0].split(b"\r", 1)[0]
    cols = header_columns(header_text(line))
    return next((c for c in TIME_COLUMNS if c in cols), "t_s")


def read_imu_csv(path: str | os.PathLike, required: tuple[str, ...] = IMU_COLUMNS,
                 max_bad_share: float = 0.2, whole_lines: bool = False) -> StreamData:
    """Read an IMU CSV: ``required`` is ``t_s`` and the IMU's columns (m/s², rad/s), of
    :data:`IMU_COLUMNS`. Its time may be in s, ms or µs, as its header names it (``t_s``,
    ``t_ms``, ``t_us``, as a bare force CSV's): ``t_s`` of the result is in seconds. Otherwise
    as :func:`read_csv_stream`, whose messages name the IMU's columns."""
    t_col = time_column(path)
    d = read_csv_stream(path, (t_col,) + tuple(required[1:]), max_bad_share, whole_lines)
    if t_col != "t_s":
        d.t_s = d.t_s * TIME_COLUMNS[t_col]
    return d


@dataclass
class Session:
    """A session folder opened for reading."""

    path: Path
    meta: SessionMeta
    force: StreamData | None = None
    imu: StreamData | None = None
    audio_path: Path | None = None
    events: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def open_session(path: str | os.PathLike) -> Session:
    """Open a session folder; a truncated or partly corrupt one opens with warnings."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{path}: not a session folder")
    mp = path / "session.json"
    warnings: list[str] = []
    if mp.exists():
        try:
            meta = SessionMeta.from_dict(json.loads(mp.read_text(encoding="utf-8-sig")), str(mp))
        except json.JSONDecodeError as e:
            raise InputError(f"{mp}:{e.lineno}: not valid JSON ({e.msg})") from None
        except UnicodeDecodeError as e:
            raise InputError(f"{mp}: not UTF-8 text (byte {e.start})") from None
        warnings.extend(meta.problems)
    else:
        warnings.append(f"{mp}: missing; using defaults")
        meta = SessionMeta()
    if not meta.complete and mp.exists():
        warnings.append(f"{path}: recording did not finish cleanly; showing what was saved")
    s = Session(path, meta, warnings=warnings)
    unreadable: list[str] = []          # why each stream file present could not be read
    for name in ("force", "imu"):           # a file session.json names that is not there
        listed = meta.streams.get(name, {}).get("file")
        if listed and not (path / listed).exists():
            gone = f"{path / listed}: no such {name} file (session.json lists it)"
            unreadable.append(gone)
            warnings.append(gone)
    fp = path / meta.streams.get("force", {}).get("file", "force.csv")
    if fp.exists():
        s.force = _tolerant(read_csv_stream, fp, FORCE_COLUMNS, warnings)
        if s.force is None:
            unreadable.append(warnings[-1])
        units = meta.sensor.get("force_units", "N")
        if s.force is not None and units in KNOWN_FORCE_UNITS and units != "N":
            s.force.values = s.force.values * KNOWN_FORCE_UNITS[units]
    ip = path / meta.streams.get("imu", {}).get("file", "imu.csv")
    if ip.exists():
        s.imu = _tolerant(read_imu_csv, ip, IMU_COLUMNS, warnings)
        if s.imu is None:
            unreadable.append(warnings[-1])
    for name in ("audio.flac", "audio.wav", "audio.ogg"):
        if (path / name).exists():
            s.audio_path = path / name
            break
    ap = meta.streams.get("audio", {}).get("file")
    if ap and (path / ap).exists():
        s.audio_path = path / ap
    elif ap:                            # the recorder wrote the entry with its first sound
        gone = f"{path / ap}: no such audio file (session.json lists it)"
        unreadable.append(gone)
        warnings.append(gone + (f"; {s.audio_path.name} is used instead" if s.audio_path else
                                "; analysed without the audio"))
    ep = path / "events.jsonl"
    if ep.exists():
        for i, line in enumerate(ep.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                ev = json.loads(line)
            except json.JSONDecodeError:
                ev = None
            if isinstance(ev, dict) and isinstance(ev.get("type"), str):
                s.events.append(ev)
            else:
                warnings.append(f"{ep}:{i}: unreadable event line skipped")
    if s.force is None and s.imu is None and s.audio_path is None:
        if unreadable:
            raise InputError("; ".join(unreadable))
        raise InputError(f"{path}: no force.csv, imu.csv or audio file in this session folder")
    return s


def _tolerant(reader, p: Path, cols, warnings: list[str]) -> StreamData | None:
    """Read a stream of a recorded session, tolerating a torn last line."""
    try:
        d = reader(p, cols, max_bad_share=0.5, whole_lines=True)
    except InputError as e:
        warnings.append(str(e))
        return None
    if d.skipped_rows:
        warnings.append(f"{p}: {d.skipped_rows} unreadable rows skipped (first: {d.problems[0]})")
    warnings.extend(d.notes)
    return d


# the audio's measured rate (samples per second of timeline) is written when it spans this much:
# shorter, a sample's placing on the timeline weighs more than the sound card's clock
# the device's and the analysis's marks of one hole differ by about a sample
SAME_GAP_S = 0.05


def same_hole(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two gaps' (start, end) spans mark one hole (within ``SAME_GAP_S``)."""
    return a[0] <= b[1] + SAME_GAP_S and a[1] >= b[0] - SAME_GAP_S


def found_again(e, marked) -> bool:
    """The analysis's "dropout" over a gap the device told of (``marked``: (start, end) spans):
    the same hole, in every stream of the device (it sent none of them then), already marked
    with its reason."""
    return (getattr(e, "TYPE", None) == "gap" and e.reason == "dropout"
            and any(same_hole((e.t_start, e.t_end), m) for m in marked))


AUDIO_RATE_SPAN_S = 10.0


class _Intervals:
    """A stream's sample intervals as its file keeps them (µs), counted by length: the rate a
    reader measures (``StreamData.rate_hz``, one over the median interval) without keeping
    each one (a device's intervals take a few lengths, its clock's jitter and gaps a few more)."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self._last_us: int | None = None

    def add(self, t_s: np.ndarray) -> None:
        us = np.round(np.asarray(t_s, dtype=np.float64) * 1e6).astype(np.int64)
        if self._last_us is not None:
            us = np.concatenate([[self._last_us], us])
        self._last_us = int(us[-1])
        lengths, n = np.unique(np.diff(us), return_counts=True)
        for d, k in zip(lengths.tolist(), n.tolist()):
            self.counts[d] = self.counts.get(d, 0) + k

    @property
    def rate_hz(self) -> float:
        """Samples per second (one over the median interval); 0 with fewer than two samples."""
        total = sum(self.counts.values())
        if not total:
            return 0.0
        lengths = sorted(self.counts)
        upto = np.cumsum([self.counts[d] for d in lengths])
        lo, hi = (lengths[int(np.searchsorted(upto, k, side="right"))] for k in ((total - 1) // 2, total // 2))
        median_us = (lo + hi) / 2
        return 1e6 / median_us if median_us > 0 else 0.0


def _writes(method):
    """A write of a :class:`SessionWriter`: its ``OSError`` (a full disk) is kept as the
    writer's ``broken`` (the first one: what the recording ended with), and raised."""
    @functools.wraps(method)
    def write(self, *args, **kw):
        try:
            return method(self, *args, **kw)
        except OSError as e:
            if self.broken is None:
                self.broken = e
            raise
    return write


class SessionWriter:
    """Writes a session folder as data arrives; ``flush_s`` bounds what a crash can lose.

    ``session.json`` is written at once (``complete: false``) and rewritten on close, with
    each stream's rate as measured from the samples written (force's as given, if given).
    ``force`` False: no force is known to come (a worn IMU alone), and ``force.csv`` is made
    only with the first force samples, as ``imu.csv`` is without ``imu``. ``new``: the folder
    is claimed, its ``session.json`` made only where none is (``FileExistsError`` otherwise,
    nothing there touched), so of two writers given one folder at once one gets it. A write
    that fails (a full disk) raises its ``OSError`` and keeps it as ``broken``.
    """

    def __init__(self, folder: str | os.PathLike, meta: SessionMeta, flush_s: float = 0.5,
                 imu: bool = False, force: bool = True, new: bool = False) -> None:
        self.path = Path(folder)
        self.broken: OSError | None = None
        self._written = False               # session.json is this writer's (others' additions kept)
        self._force = self._imu = self._events = self._audio = None
        self.path.mkdir(parents=True, exist_ok=True)
        self.meta = meta
        if not meta.created:
            meta.created = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        if force:
            meta.streams.setdefault("force", {"file": "force.csv", "rate_hz": 0.0})
        if imu:
            meta.streams.setdefault("imu", {"file": "imu.csv", "rate_hz": 0.0})
        if new:                             # before any other file is made: the folder is ours
            claim(self.path / "session.json", self._meta_text())
            self._written = True
        else:
            self.write_meta()
        if force:
            self._open_force()
        if imu:
            self._open_imu()
        self._events = open(self.path / "events.jsonl", "w", encoding="utf-8", newline="\n")
        self.flush_s = flush_s
        self._last_flush = time.monotonic()
        self.n_force = 0
        self._intervals = {"force": _Intervals(), "imu": _Intervals()}
        self._audio_t = (0.0, 0.0)          # timeline times of the audio's first and last sample

    def _meta_text(self) -> str:
        return json.dumps(self.meta.to_dict(), indent=2) + "\n"

    @_writes
    def write_meta(self) -> None:
        """``session.json`` rewritten from ``meta``, under the folder's lock (see
        :mod:`firmware_bridge.shared_write`), keeping what others saved into it since this
        writer last did: the comments a review station added while it records (the file's
        list is the one kept) and fields this writer does not know."""
        path = self.path / "session.json"
        with folder_lock(self.path):
            d = self.meta.to_dict()
            disk = _json_object(path) if self._written else None
            if disk is not None:
                if isinstance(disk.get("comments"), list):
                    self.meta.comments = d["comments"] = disk["comments"]
                d.update((k, v) for k, v in disk.items() if k not in d)
            replace_text(path, json.dumps(d, indent=2) + "\n")
            self._written = True

    def _open_force(self) -> None:
        self.meta.streams.setdefault("force", {"file": "force.csv", "rate_hz": 0.0})
        self._force = open(self.path / "force.csv", "w", encoding="utf-8", newline="\n")
        self._force.write(",".join(FORCE_COLUMNS) + "\n")

    @_writes
    def append_force(self, t_s: np.ndarray, force_n: np.ndarray) -> None:
        if len(t_s):
            if self._force is None:
                self._open_force()
                self.write_meta()
            np.savetxt(self._force, np.column_stack([t_s, force_n]), fmt=("%.6f", "%.4f"), delimiter=",")
            self.n_force += len(t_s)
            self._intervals["force"].add(t_s)
        self._maybe_flush()

    def _open_imu(self) -> None:
        self.meta.streams.setdefault("imu", {"file": "imu.csv", "rate_hz": 0.0})
        self._imu = open(self.path / "imu.csv", "w", encoding="utf-8", newline="\n")
        self._imu.write(",".join(IMU_COLUMNS) + "\n")

    @_writes
    def append_imu(self, t_s: np.ndarray, values: np.ndarray) -> None:
        """IMU samples to ``imu.csv``, which their first opens when the writer was not told of an
        IMU (a device may say it has one only with its first samples)."""
        if len(t_s):
            if self._imu is None:
                self._open_imu()
                self.write_meta()
            np.savetxt(self._imu, np.column_stack([t_s, values]), fmt="%.6f", delimiter=",")
            self._intervals["imu"].add(t_s)
        self._maybe_flush()

    @_writes
    def append_audio(self, t_s: np.ndarray, values: np.ndarray, rate_hz: float) -> None:
        """Sound to ``audio.flac`` (flushed once a second; ``values`` (n,) or (n, channels) in
        [-1, 1], ``rate_hz`` the file's samples per second), placed on the timeline at the time
        of its first sample (``t0_s``, written at once); ``rate_measured_hz``, its samples per
        second of timeline, is added on close."""
        if not len(t_s):
            return
        if self._audio is None:
            from firmware_bridge.audio import FlacWriter
            rate = int(round(rate_hz)) or 48000
            ch = 1 if np.ndim(values) == 1 else int(np.shape(values)[1])
            self._audio = FlacWriter(self.path / "audio.flac", rate, ch)
            self._audio_t = (float(t_s[0]), float(t_s[0]))
            self.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": rate, "channels": ch,
                                          "t0_s": round(float(t_s[0]), 6)}
            self.write_meta()
        try:
            self._audio.write(values)
        except RuntimeError as e:                  # (libsndfile's LibsndfileError)
            raise _sound_not_written(self._audio.path, e) from None
        self._audio_t = (self._audio_t[0], float(t_s[-1]))

    def _close_audio(self) -> None:
        a, self._audio = self._audio, None
        if a is None:
            return
        try:
            a.close()
        except RuntimeError as e:
            raise _sound_not_written(a.path, e) from None
        span = self._audio_t[1] - self._audio_t[0]
        if a.frames > 1 and span >= AUDIO_RATE_SPAN_S:
            self.meta.streams["audio"]["rate_measured_hz"] = round((a.frames - 1) / span, 4)

    @_writes
    def append_events(self, events) -> None:
        for ev in events:
            d = ev.to_dict() if hasattr(ev, "to_dict") else ev
            self._events.write(json.dumps(d) + "\n")
        self._maybe_flush()

    @_writes
    def mark_gap(self, t_start: float, t_end: float, reason: str) -> None:
        self.meta.gaps.append({"t_start": t_start, "t_end": t_end, "reason": reason})
        self.write_meta()

    def _maybe_flush(self) -> None:
        now = time.monotonic()
        if now - self._last_flush >= self.flush_s:
            self.flush()
            self._last_flush = now

    @_writes
    def flush(self) -> None:
        for f in (self._force, self._imu, self._events):
            if f is not None:
                f.flush()
                os.fsync(f.fileno())

    @_writes
    def close(self, rate_hz: float | None = None) -> None:
        """Finish the folder. ``rate_hz``: the force's rate as the device gives it; without it,
        and for the IMU, the rate measured from the samples written."""
        for name, iv in self._intervals.items():
            if name in self.meta.streams and iv.counts:
                self.meta.streams[name]["rate_hz"] = round(iv.rate_hz, 4)
        if rate_hz and "force" in self.meta.streams:
            self.meta.streams["force"]["rate_hz"] = rate_hz
        self._close_audio()
        self.flush()
        for f in (self._force, self._imu, self._events):
            if f is not None:
                f.close()
        self.meta.complete = True
        self.write_meta()

    def sound_refused(self, path: str | os.PathLike, e: Exception) -> OSError:
        """A write of sound into this folder (a microphone's ``audio.flac``) that libsndfile
        refused, as the ``OSError`` it stands for, kept as ``broken``."""
        err = _sound_not_written(Path(path), e)
        if self.broken is None:
            self.broken = err
        return err

    def abandon(self) -> None:
        """Stop writing after a failure (``broken``): the files closed as the disk holds them
        (what could not be written is dropped: the failure is told already), ``session.json``
        left as last written (``complete`` false)."""
        files, self._force, self._imu, self._events = (self._force, self._imu, self._events), None, None, None
        audio, self._audio = self._audio, None
        for f in (*files, audio):
            if f is not None:
                try:
                    f.close()
                except (OSError, RuntimeError):     # (libsndfile's errors are RuntimeErrors)
                    pass

    def kept_s(self) -> float:
        """How much of the recording its files hold, in s: the sensor's stream (force, or a worn
        IMU's) from its first sample to its last whole line, as a reader reads it back."""
        for name in ("force.csv", "imu.csv"):
            span = _span_on_disk(self.path / name)
            if span is not None:
                return span
        return 0.0


FULL_DISK_BYTES = 1 << 20     # less room than this left where audio.flac failed: the disk is full


def _sound_not_written(path: Path, e: Exception) -> OSError:
    """The ``OSError`` of a write of ``audio.flac`` that libsndfile refused: it says only "System
    error." where the disk is full, which the room left on it tells."""
    try:
        st = os.statvfs(path.parent)
        full = st.f_bavail * st.f_frsize < FULL_DISK_BYTES
    except (OSError, AttributeError):              # (no statvfs on Windows)
        full = False
    if full:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return OSError(errno.EIO, f"cannot write audio: {str(e).splitlines()[0]}", str(path))


def _span_on_disk(path: Path) -> float | None:
    """The time from the first row to the last whole row of a CSV stream this writer wrote
    (without reading it all: an hour of force is tens of MB); None if it holds no row."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
        rows = head.split(b"\n")
        end = tail.rfind(b"\n")
        last = tail[tail.rfind(b"\n", 0, end) + 1:end]
        if len(rows) < 3 or end < 0:
            return None
        return float(last.split(b",")[0]) - float(rows[1].split(b",")[0])
    except (OSError, ValueError):
        return None


def _json_object(path: Path) -> dict | None:
    """``path``'s JSON object, or None where there is none to read."""
    try:
        d = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return d if isinstance(d, dict) else None


def write_force_csv(path: str | os.PathLike, t_s: np.ndarray, force_n: np.ndarray) -> None:
    """Write a bare ``t_s,force_n`` CSV (fixtures, exports)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(FORCE_COLUMNS) + "\n")
        np.savetxt(fh, np.column_stack([t_s, force_n]), fmt=("%.6f", "%.4f"), delimiter=",")
