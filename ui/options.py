"""Command-line options shared by replay, report, screenshot and record: calibration and target."""

from __future__ import annotations

import argparse

import os
import re
import secrets
from pathlib import Path

from analysis.errors import InputError
from analysis.scheme import GradingScheme, ThrustScheme, parse_target
from firmware_bridge import json_text
from firmware_bridge.csv_dialect import EVENTS_CSV_COLUMNS
from firmware_bridge.file_kind import LINK_LOOPS, link_loops, resolved
from firmware_bridge.session import AUDIO_SUFFIXES, CONVERT_SUFFIXES, SessionMeta, is_audio
from firmware_bridge.session_scheme import (MAX_MIN_AMPLITUDE_N, MAX_POP_WINDOW_MS, MIN_POP_WINDOW_MS,
                                            stored_min_amplitude, stored_thrust_scheme)



def with_examples(description: str, *examples: str) -> dict:
    """``add_parser`` keywords for a command's help: ``description`` (wrapped to the terminal as
    argparse does), then its examples, each a command line as typed (kept as written). They are
    written to run as they stand on any machine, with no sensor attached: the tests run them."""
    class _Formatter(argparse.HelpFormatter):
        def _fill_text(self, text, width, indent):
            if text.startswith("examples:"):
                return "".join(indent + line for line in text.splitlines(keepends=True))
            return super()._fill_text(text, width, indent)

    lines = "\n".join(f"  {e}" for e in examples)
    return {"description": description, "epilog": f"examples:\n{lines}", "formatter_class": _Formatter}


# an option's unit -> what it measures and the unit's name, as a refusal says them
UNITS = {"N": ("the force", "newtons"), "s": ("the time", "seconds"), "ms": ("the time", "milliseconds"),
         "Hz": ("the rate", "hertz"), "%": ("the share", "per cent"),
         "points": ("the difference", "percentage points")}
NUMBERS_HELP = ("A number takes a decimal point or comma (40.5 or 40,5) and may end in its option's unit "
                "(40 N, 5s, 1,5 Hz). A comma before three digits could separate thousands: 1,500 is "
                "refused; write 1500 or 1.5.")
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)
_WHOLE = re.compile(r"[+-]?\d+")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")       # 1,500: a thousand and a half, or one and a half?


def number(unit: str | None = None, example: str = "1.5", whole: bool = False):
    """An argparse ``type=`` for a number given in ``unit`` (a key of :data:`UNITS`, or None for
    a bare number; ``whole``: a whole one, as an int): a decimal comma is read as a point
    (``40,5`` is 40.5) and the unit may follow, spaced or not, in any case (``40 N``, ``5s``,
    ``1,5 hz``). ``nan`` and ``inf`` pass, for the option's own range check to refuse. Anything
    else is an ``ArgumentTypeError`` saying what to give, with ``example``; a comma before
    three digits (``1,500``) is refused rather than guessed, since it separates thousands as
    often as it marks a decimal, and so is any other separator (``1.500,5``, ``1_000``)."""
    what = "a whole number" if whole else (" in ".join(UNITS[unit]) if unit else "a number")

    def refused(text: str) -> argparse.ArgumentTypeError:
        shown = f"{example} {unit}" if unit else example
        said = text if text.strip() and text.isprintable() else repr(text)       # (one line, seen)
        return argparse.ArgumentTypeError(f"{said}: give {what}, e.g. {example}"
                                          + (f" or {shown.replace('.', ',')}" if unit else ""))

    def read(text: str):
        body = text.strip()
        if unit and body.lower().endswith(unit.lower()):
            bare = body[:-len(unit)].rstrip()
            body = bare if _DECIMAL.fullmatch(bare) or _NOT_FINITE.fullmatch(bare) else body
        if whole:
            if not _WHOLE.fullmatch(body):
                raise refused(text)
            return int(body)
        if _THOUSANDS.fullmatch(body):
            raise argparse.ArgumentTypeError(
                f"{text}: give {what} without a thousands separator, e.g. {body.replace(',', '')} "
                f"(or {float(body.replace(',', '.')):g} for a decimal comma)")
        if _NOT_FINITE.fullmatch(body):
            return float(body)
        if not _DECIMAL.fullmatch(body):
            raise refused(text)
        return float(body.replace(",", "."))

    read.__name__ = "number"            # (argparse's own message for a type names it)
    return read


def add_analysis_args(p: argparse.ArgumentParser,
                      default: str = "from the session's session.json") -> None:
    g = p.add_argument_group(f"calibration and target (default: {default})", NUMBERS_HELP)
    g.add_argument("--r1", type=number("N", "40.5"), metavar="N", help="first resistance R1 in newtons")
    g.add_argument("--r2", type=number("N", "120"), metavar="N", help="limit of range R2 in newtons")
    g.add_argument("--alpha", type=number(None, "0.5"), metavar="A", help="large-amplitude ratio (default 0.5)")
    g.add_argument("--min-amplitude", type=number("N", "2.5"), metavar="N",
                   help="smallest oscillation graded as a cycle, in newtons (default: the largest of 1 N, "
                        "10 %% of R1 and 5 %% of the crest)")
    g.add_argument("--target", metavar="GRADE", help="target grade, e.g. III+, IV--, II, or V/HVLA")
    g.add_argument("--pop-window", type=number("ms", "150"), metavar="MS",
                   help="a pop belongs to the thrust whose peak is nearest within MS milliseconds (default: "
                        "150, or the one a session was recorded with); with an IMU alone, a pop during a "
                        "thrust before its deepest point is known is the thrust's whatever MS")


def add_audio_timeline_args(p: argparse.ArgumentParser) -> None:
    """``--audio-start`` and ``--audio-rate``: where the audio lies on the force's timeline."""
    p.add_argument("--audio-start", type=number("s", "1.5"), metavar="S",
                   help="the force's time (s) of the audio's first sample; negative when the audio began "
                        "before the force (default 0, or a session's own t0_s)")
    p.add_argument("--audio-rate", type=number("Hz", "44100"), metavar="HZ",
                   help="the audio's true rate as measured against the force's clock, in samples per second "
                        "(default the file's, or a session's rate_measured_hz)")


def build_schemes(args: argparse.Namespace, meta: SessionMeta | None = None) -> tuple[GradingScheme, ThrustScheme]:
    """Flags override the session's calibration, target, minimum amplitude and pop window."""
    r1 = args.r1 if getattr(args, "r1", None) is not None else (meta.r1_n if meta else None)
    r2 = args.r2 if getattr(args, "r2", None) is not None else (meta.r2_n if meta else None)
    alpha = args.alpha if getattr(args, "alpha", None) is not None else (meta.alpha if meta else 0.5)
    target = getattr(args, "target", None) or (meta.target if meta else None)
    if (r1 is None) != (r2 is None):
        raise InputError("give both --r1 and --r2 (or neither)")
    scheme = GradingScheme(r1_n=r1, r2_n=r2, alpha=alpha)
    min_amp = getattr(args, "min_amplitude", None)
    if min_amp is not None:
        if not 0 < min_amp <= MAX_MIN_AMPLITUDE_N:      # (nan fails too)
            raise InputError(f"--min-amplitude {min_amp:g}: give a positive force in N, up to "
                             f"{MAX_MIN_AMPLITUDE_N:g}")
        scheme = scheme.with_min_amplitude(min_amp)
    else:                                               # the session's own (a bad one is said on reading)
        scheme = scheme.with_min_amplitude(stored_min_amplitude(meta)[0])
    if target:
        # (one given here is said as its option, a session's own as its target)
        parse_target(target, f"--target {target}" if getattr(args, "target", None) else None)
        scheme = scheme.with_target(target)
    pw = getattr(args, "pop_window", None)
    if pw is None:                                      # the session's own (a bad one is said on reading)
        return scheme, stored_thrust_scheme(meta)
    if not MIN_POP_WINDOW_MS <= pw <= MAX_POP_WINDOW_MS:       # (nan fails too)
        raise InputError(f"--pop-window {pw:g}: give {MIN_POP_WINDOW_MS:g}–{MAX_POP_WINDOW_MS:g} ms")
    return scheme, ThrustScheme(pop_window_ms=float(pw))


def refuse_folder_of_sessions(path: str | Path, prefix: str = "") -> None:
    """A one-line :class:`InputError` when ``path`` is a folder of session folders (a class's)
    given where one recording is read, naming one of them; ``prefix`` starts the line (the
    option or device spec that named it)."""
    from ui.library import folder_of_sessions, sessions_inside
    if not str(path).strip():               # (not the current folder: the reader asks for a path)
        return
    under = sessions_inside(path)
    if under:
        raise InputError(f"{prefix}{folder_of_sessions(path, under)}; give one of them (e.g. {under[0]})")


def refuse_session_notes(path: str | Path, prefix: str = "") -> None:
    """A one-line :class:`InputError` when ``path`` is a session's ``session.json`` or
    ``events.jsonl`` (what was recorded lies beside it, in the folder), naming the folder."""
    p = Path(path)
    if p.name in ("session.json", "events.jsonl") and p.is_file() and (p.parent / "session.json").is_file():
        raise InputError(f"{prefix}{p}: {p.name} of the recorded session {p.parent}; give the folder {p.parent}")


# a session's own files and a simulated recording's truth, by name; the rest of a recording is
# known by its audio suffix or its CSV header (see recording_kind)
RECORDING_NAMES = {"session.json": "a session's session.json"}     # (its events.jsonl: in its folder)
HEADER_BYTES = 4096                      # a CSV's header is read from this much of its start


def recording_kind(path: str | Path) -> str | None:
    """What recording the existing file ``path`` (or the file a link there leads to) is, in a
    few words, or None: audio by its suffix (one replay reads or one to convert first) or its
    content (:func:`is_audio`), a CSV
    by its header (time and force, or time and an accelerometer, named as replay reads them; a
    CSV of events from ``report --csv`` is none), a BLE capture by its first line
    (:func:`ble_capture_kind`), a ``*.expected.jsonl`` or a ``session.json``. An
    output of a command (an HTML report, events, an image) is none, ``events.jsonl`` too outside a
    session's folder (a session's own is refused as in its folder)."""
    from firmware_bridge.replay import FORCE_COLUMN_UNITS, TIME_COLUMNS
    from firmware_bridge.replay.inputs import TRUTH_ENDINGS, _has_accelerometer, csv_header

    if link_loops(path):                          # (no recording there: said by whoever reads it)
        return None
    real = Path(path).resolve()
    if not real.is_file():
        return None
    name = real.name.lower()
    if name in RECORDING_NAMES:
        return RECORDING_NAMES[name]
    if name.endswith(tuple(TRUTH_ENDINGS)):       # (NAME.expected.jsonl, NAME.imu-expected.jsonl)
        return "a recording's expected events"
    if real.suffix.lower() in AUDIO_SUFFIXES + CONVERT_SUFFIXES:
        return "an audio recording"
    try:
        with open(real, "rb") as fh:
            head = fh.read(HEADER_BYTES)
    except OSError:
        return None
    if is_audio(head, real):
        return "an audio recording"
    capture = ble_capture_kind(head)
    if capture:
        return capture
    if _first_json_type(head) == "fixture":       # (a copy of one under another name)
        return "a recording's expected events"
    text, cols = csv_header(head)
    cols = set(cols)
    if cols.isdisjoint(TIME_COLUMNS):
        return None
    shown = text if len(text) <= 40 else text[:37] + "..."
    if not cols.isdisjoint(FORCE_COLUMN_UNITS):
        return f"a recording of force ({shown})"
    if _has_accelerometer(cols):                   # (ax_mps2, or ax_g in g)
        return f"a recording of an IMU ({shown})"
    return None


# files gradecoach writes that a later run may replace, known by their start: a screenshot (PNG), a
# library's index (SQLite); report --csv's events by their header and a report by its head (below)
OWN_OUTPUT_STARTS = (b"\x89png\r\n", b"sqlite format 3\x00")
# an HTML page, anyone's
HTML_STARTS = (b"<!doctype html", b"<html")
# a report: this version's names gradecoach its generator (ui.report.GENERATOR); an earlier one's is
# known by how it began, its title and then the start of its style
REPORT_GENERATOR = b"<meta name='generator' content='gradecoach "
EARLIER_REPORT = re.compile(rb"<!DOCTYPE html><html><head><meta charset='utf-8'><title>[^<]*</title>"
                            rb"<style>body\{font-family:sans-serif;margin:2em;max-width:1100px\}")
_TITLE = re.compile(rb"<title[^>]*>([^<]*)</title", re.IGNORECASE)
# a screenshot as a portable any-map (.ppm, .pgm, .pbm): its magic, then its size, "400 442", a
# line that reads as numbers
PNM_START = re.compile(rb"P[1-6]\s")
# report --csv's events: its header's first columns (then trainee, or t_start before it was one)
EVENTS_CSV_HEADER = ",".join(EVENTS_CSV_COLUMNS) + ","
# report --sessions-csv's sessions, one a row: its header's start (the whole is ui.report.SESSIONS_CSV_COLUMNS)
SESSIONS_CSV_HEADER = "recording,name,trainee,"
# replay's table: its first line, "NAME: 9.0 s, 3 cycles, 0 thrusts, no audio"
TABLE_FIRST_LINE = re.compile(r".*: .*\b\d+ (IMU )?cycles?, \d+ thrusts?, (\d+ pops?|no audio)")
# a file of this suffix gradecoach did not write is kept whatever it holds (another suffix: when it
# holds rows of numbers)
# the "type" of the JSON objects gradecoach writes one a line: replay -o's events, emulate --truth's
# (a fixture's expected events, first line "fixture", are a recording's: kept); another tool's JSON
# lines are not these
OWN_JSON_TYPES = ("cycle", "thrust", "cavitation", "gap", "warning", "summary", "imu_cycle", "fixture")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def _rows_of_numbers(lines: list[str]) -> bool:
    """True when one of ``lines`` is two or more numbers, split at a comma, semicolon, tab,
    bar or spaces (decimal commas too: ``0,001;12,5``)."""
    def numeric(line: str) -> bool:
        for sep in (";", "\t", "|", ",", None):
            cells = [c.strip() for c in line.split(sep)]
            if len(cells) >= 2 and all(_NUMBER.fullmatch(c) for c in cells):
                return True
        return False
    return any(map(numeric, lines))


def written_by_gradecoach(head: bytes) -> bool:
    """True when ``head``, a file's first bytes, starts as an output of gradecoach that a later
    run replaces: a report (HTML), an image (PNG, PPM), a library's index, report --csv's events,
    events one a line (JSON objects whose ``"type"`` is one of :data:`OWN_JSON_TYPES`, from replay
    -o, emulate --truth or simulate's expected events), or replay's table."""
    if head.lstrip().lower().startswith(OWN_OUTPUT_STARTS) or PNM_START.match(head):
        return True
    if head.lstrip().lower().startswith(HTML_STARTS):
        return report_page(head)
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    if text.startswith(EVENTS_CSV_HEADER):              # (its rows: see events_csv_changed)
        return "\n" in text and not _columns_not_ours(text.split("\n", 1)[0].rstrip("\r").split(","))
    if text.startswith(SESSIONS_CSV_HEADER):
        return "\n" in text and not _columns_not_ours(text.split("\n", 1)[0].rstrip("\r").split(","), sessions=True)
    first = text.lstrip().split("\n", 1)[0].strip()
    if first.startswith("{"):
        return _first_json_type(head) in OWN_JSON_TYPES
    return bool(TABLE_FIRST_LINE.fullmatch(first))


def _first_json_type(head: bytes) -> str | None:
    """The ``"type"`` of the JSON object on the first line of ``head`` (a file's first bytes), or
    None when that line is no such object."""
    first = head.decode("utf-8", "replace").lstrip("\ufeff").lstrip().split("\n", 1)[0].strip()
    try:
        d = json_text.loads(first)
    except (ValueError, RecursionError):
        return None
    return d.get("type") if isinstance(d, dict) and isinstance(d.get("type"), str) else None


def report_page(head: bytes) -> bool:
    """True when ``head``, an HTML page's first bytes, is a report gradecoach wrote: one naming
    gradecoach its generator in its head, or one of an earlier version, known by how its page
    began. Any other page (an examiner's notes.html, one only titled "gradecoach report") is
    not: a report written over it lost it."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    head_part = start.split(b"</head>", 1)[0]
    return REPORT_GENERATOR in head_part or bool(EARLIER_REPORT.match(start))


def _columns_not_ours(header: list[str], sessions: bool = False) -> list[str]:
    """The columns of an events CSV's ``header`` that report --csv does not write (any of its
    versions': each wrote some of :data:`ui.report.CSV_COLUMNS`), and any it names twice; of a
    sessions CSV's (``sessions``), those not in :data:`ui.report.SESSIONS_CSV_COLUMNS`, in its
    order ("the columns reordered" where it holds no other, nor is an earlier version's header)."""
    from ui.report import CSV_COLUMNS, SESSIONS_CSV_COLUMNS, SESSIONS_CSV_EARLIER_COLUMNS
    known = set(SESSIONS_CSV_COLUMNS if sessions else CSV_COLUMNS)
    seen: set[str] = set()
    extra = [c for c in header if c not in known or c in seen or seen.add(c)]
    if sessions and not extra and tuple(header) not in (SESSIONS_CSV_COLUMNS, *SESSIONS_CSV_EARLIER_COLUMNS):
        return ["the columns reordered or some removed"]
    return extra


# an events CSV's row as report --csv writes it: a recording, then an event's type
_EVENT_TYPE = re.compile(r"[a-z][a-z0-9_]*")


def events_csv_changed(path: Path, sessions: bool = False) -> str | None:
    """What in the file ``path``, which begins as report --csv's events, gradecoach did not write,
    in a few words ("a column examiner_mark", "line 20: TOTALS"), or None when it is all
    gradecoach's: its header only columns the report writes, each once, and each row a recording
    and an event's type with as many cells as the header. An examiner who added a column of marks
    or a row of totals to last week's events keeps them: a later report does not replace the
    file. ``sessions``: of report --sessions-csv's sessions, its header exactly theirs and each
    row a recording with as many cells."""
    import csv
    import io

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except OSError:
        return None                             # (said by whoever writes it)
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    extra = _columns_not_ours(header, sessions)
    if extra and extra[0].startswith("the columns"):
        return extra[0]
    if extra:
        return f"a column{'s' if len(extra) > 1 else ''} {', '.join(extra[:3])}{' …' if len(extra) > 3 else ''}"
    try:
        for row in rows:
            if len(row) != len(header) or not row[0] or not (sessions or _EVENT_TYPE.fullmatch(row[1])):
                shown = ",".join(row).rstrip(",")
                shown = shown if len(shown) <= 40 else shown[:37] + "..."
                return f"line {rows.line_num}: {shown}" if shown else f"line {rows.line_num} blank"
    except csv.Error as e:                      # (a quote left open, a NUL)
        return f"line {rows.line_num}: {e}"
    return None


def data_kind(path: str | Path) -> str | None:
    """What the existing file ``path`` is, in a few words, when it is something gradecoach did
    not write, else None: any such file that is not empty (a logger's export in any language,
    numbers without a header, notes, another tool's JSON lines, a script), named as data when it
    holds rows of numbers. What gradecoach writes is none (:func:`written_by_gradecoach`): a
    later run replaces it."""
    from firmware_bridge.csv_dialect import csv_header, utf16_text

    if link_loops(path):
        return None
    real = Path(path).resolve()
    try:
        if not real.is_file() or real.stat().st_size == 0:
            return None
        with open(real, "rb") as fh:
            head = fh.read(HEADER_BYTES)
    except OSError:
        return None
    if not head.strip():
        return None
    start = head.decode("utf-8", "replace").lstrip("\ufeff")
    if start.startswith(EVENTS_CSV_HEADER):
        changed = events_csv_changed(real)
        return f"an events CSV changed since gradecoach wrote it ({changed})" if changed else None
    if start.startswith(SESSIONS_CSV_HEADER):
        changed = events_csv_changed(real, sessions=True)
        return f"a sessions CSV changed since gradecoach wrote it ({changed})" if changed else None
    if written_by_gradecoach(head):
        return None
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(HTML_STARTS):
        title = _TITLE.search(head)
        shown = (title.group(1) if title else head.lstrip().split(b"\n", 1)[0]).decode("utf-8", "replace").strip()
        shown = " ".join(shown.split())
        return f"an HTML page gradecoach did not write ({shown if len(shown) <= 40 else shown[:37] + '...'})"
    text = (head[:len(head) // 2 * 2].decode("utf-16", "replace") if utf16_text(head)
            else head.decode("utf-8", "replace"))
    lines = [ln for ln in re.split(r"\r\n|\r|\n", text.lstrip("\ufeff"))[:40] if ln.strip()]
    data = _rows_of_numbers(lines)
    first = csv_header(head)[0] if lines else ""
    shown = first if len(first) <= 40 else first[:37] + "..."
    if data:
        return f"a file of data ({shown}) gradecoach did not write"
    return f"a file gradecoach did not write ({shown})"


def ble_capture_kind(head: bytes) -> str | None:
    """The words ``a BLE capture (PROFILE)`` when ``head``, a file's first bytes, starts with a BLE capture's
    ``{"meta": {...}}`` line (``ble_record``'s, from a device or simulated), else None. Events
    written by ``replay -o`` are objects with a ``"type"``, never a ``"meta"``: they stay
    replaceable."""
    lines = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)
    first = lines[0]
    try:
        d = json_text.loads(first.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # (a first line longer than the bytes read: its start says it)
        return "a BLE capture" if first.startswith(b'{"meta": {') and len(lines) == 1 else None
    if not isinstance(d, dict) or not isinstance(d.get("meta"), dict):
        return None
    profile = d["meta"].get("profile")
    return f"a BLE capture ({profile})" if isinstance(profile, str) and 0 < len(profile) <= 40 else "a BLE capture"


# an output given as this is standard output (for a command that writes text there), else refused
STANDARD_OUTPUT = "-"


def output_path(path: str | Path, inputs=(), option: str = "-o", overwrite: bool | None = None,
                beside=(), standard_output: bool = False) -> Path | None:
    """Where a command may write: not one of its inputs or a file inside an input folder, nor a
    file inside any recorded session's folder, not a folder, and not an existing recording
    (:func:`recording_kind`) or other data gradecoach did not write (:func:`data_kind`); an
    earlier output of a command may be replaced. A command that
    writes recordings passes its ``--overwrite``: True replaces a recording, False refuses
    saying to give it (None: the command has no such option). ``beside`` are the other files
    the command writes with it, checked alike. Missing folders above it are made.
    Anything else is a one-line :class:`InputError` naming the option and the path.

    ``-`` is standard output, as a pipeline expects: None when the command writes its text
    there (``standard_output``), else refused in one line (a file named ``-`` was written);
    ``./-`` names such a file."""
    if str(path) == STANDARD_OUTPUT:
        if standard_output:
            return None
        raise InputError(f"{option} -: this is written to a file, not to standard output; give a file name "
                         f"(./- for a file named -)")
    out = Path(path)
    for f in [out, *map(Path, beside)]:
        that = "that" if f == out else f"{f.name} beside it"
        if link_loops(f):
            raise InputError(f"{option} {out}: {'' if f == out else that + ' is '}{LINK_LOOPS}; remove the link or "
                             f"give another file name")
        target = f.resolve()
        for i in inputs:
            src = resolved(i)                       # (an input that loops is said so, not that it is missing)
            if target == src or (src.is_dir() and src in target.parents):
                raise InputError(f"{option} {out}: {that} is {'inside ' if target != src else ''}the input {i}; "
                                 f"choose another file, the recording is kept as it is")
        if f.is_dir():
            raise InputError(f"{option} {out}: " + ("a folder is there; give a file name" if f == out else
                                                    f"{that} is a folder; give another file name"))
        for folder in dict.fromkeys([f.parent, target.parent]):     # (through a link too)
            if (folder / "session.json").exists():
                raise InputError(f"{option} {out}: inside the recorded session {folder}; choose another "
                                 f"folder, the recording is kept as it is")
        what = recording_kind(f)
        kept = "the recording" if what else "the file"
        what = what or data_kind(f)
        if what and not overwrite:
            how = (f"choose another file, {kept} is kept as it is" if overwrite is None else
                   "give --overwrite to replace it, or another file name")
            raise InputError(f"{option} {out}: {that} is {what}; {how}")
    refuse_file_as_folder(out, option)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{option} {out}: cannot make its folder ({e.strerror or e})") from None
    return out


def file_as_folder(path: str | Path) -> Path | None:
    """The file among the folders above ``path`` (``l3.csv`` of ``l3.csv/x.jsonl``), if one is."""
    for above in Path(path).parents:
        if above.exists():
            return None if above.is_dir() else above
    return None


def refuse_file_as_folder(path: str | Path, option: str = "-o") -> None:
    """A one-line :class:`InputError` when a folder above ``path`` is a file: "OPTION PATH:
    l3.csv is a file, not a folder" (it said "cannot make its folder (File exists)", or that
    the folder did not exist)."""
    f = file_as_folder(path)
    if f is not None:
        raise InputError(f"{option} {path}: {f} is a file, not a folder")


def open_output(out: Path, option: str = "-o"):
    """``out`` opened for writing text, or a one-line :class:`InputError`."""
    try:
        return open(out, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None


def _write_in_place(out: Path, fill, option: str):
    try:
        with open_output(out, option) as fh:
            return fill(fh)
    except OSError as e:
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None


def write_output(out: Path, fill, option: str = "-o"):
    """``fill(file)`` into ``out`` (text, as :func:`open_output` opens it) and its result.

    A file is written whole or not at all: into a new file beside it (``.NAME.….part``),
    put in its place once complete, so a write that fails part way (a full disk) or is
    interrupted leaves an earlier file of that name as it was, and no cut-off or empty file;
    the failure is one line naming the output. A link is followed (its file replaced); a
    device or a pipe (``/dev/stdout``), or a file one may write in a folder one may not add
    files to, is written in place.
    """
    real = Path(os.path.realpath(out))
    if real.exists() and not real.is_file():
        return _write_in_place(out, fill, option)
    part = real.with_name(f".{real.name}.{secrets.token_hex(4)}.part")
    try:
        fh = open(part, "x", encoding="utf-8", newline="")
    except PermissionError as e:
        if real.is_file() and os.access(real, os.W_OK):
            return _write_in_place(out, fill, option)
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None
    except OSError as e:
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None
    try:
        with fh:
            result = fill(fh)
        if real.exists():                       # (its permissions stay)
            os.chmod(part, real.stat().st_mode & 0o7777)
        os.replace(part, real)
    except BaseException as e:
        try:
            os.unlink(part)
        except OSError:
            pass                                # (already gone: nothing left to tidy)
        if isinstance(e, OSError):
            raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None
        raise
    return result
