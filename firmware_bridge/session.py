"""The open session format: a folder with session.json and one plain file per stream.

See docs/format.md. Writers append and flush as samples arrive (crash-safe: after a hard kill at
most the last flush interval is lost and the folder still opens, with a warning). Readers turn
bad input into one-line :class:`InputError` messages naming ``file:line``.

This module opens a session folder (:func:`open_session`) and tells the device's gaps from the
analysis's; the parts live in modules of their own and are offered here too:
:mod:`~firmware_bridge.session_meta` (session.json), :mod:`~firmware_bridge.csv_stream` (reading
a stream's CSV, with :mod:`~firmware_bridge.csv_dialect` and :mod:`~firmware_bridge.csv_rows`),
:mod:`~firmware_bridge.file_kind` (audio or text, by a file's first bytes) and
:mod:`~firmware_bridge.session_writer` (writing a session).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge import json_text
from firmware_bridge.csv_dialect import TIME_COLUMNS, column_name, header_columns, header_text, time_column
from firmware_bridge.csv_rows import ROWS_TO_TELL, SLOWEST_RATE_HZ
from firmware_bridge.csv_stream import (FORCE_COLUMNS, IMU_COLUMNS, StreamData, read_csv_stream, read_force_csv,
                                        read_imu_csv, read_timed_csv, write_force_csv)
from firmware_bridge.csv_stream import _read_bytes  # noqa: F401  (tests read a file both ways with it)
from firmware_bridge.file_kind import (AUDIO_MAGIC, AUDIO_SUFFIXES, CONVERT_SUFFIXES, HEAD_BYTES, UTF16_BOMS,
                                       audio_to_convert, convert_hint, file_head, is_audio, not_a_file, utf16_text)
from firmware_bridge.session_meta import KNOWN_FORCE_UNITS, RAW_COUNTS, SCHEMA_VERSION, SessionMeta, finite_number
from firmware_bridge.session_writer import AUDIO_RATE_SPAN_S, FULL_DISK_BYTES, SessionWriter

__all__ = [
    # this module's own
    "SAME_GAP_S", "SOURCE_WARNINGS_KEY", "STOPPED_EARLY", "Session", "describe_stop", "found_again", "open_session",
    "same_hole", "source_warnings",
    # session.json
    "KNOWN_FORCE_UNITS", "RAW_COUNTS", "SCHEMA_VERSION", "SessionMeta", "finite_number",
    # a stream's CSV
    "FORCE_COLUMNS", "IMU_COLUMNS", "ROWS_TO_TELL", "SLOWEST_RATE_HZ", "StreamData", "TIME_COLUMNS", "column_name",
    "header_columns", "header_text", "read_csv_stream", "read_force_csv", "read_imu_csv", "read_timed_csv",
    "time_column", "write_force_csv",
    # what a file holds
    "AUDIO_MAGIC", "AUDIO_SUFFIXES", "CONVERT_SUFFIXES", "HEAD_BYTES", "UTF16_BOMS", "audio_to_convert",
    "convert_hint", "file_head", "is_audio", "utf16_text",
    # writing
    "AUDIO_RATE_SPAN_S", "FULL_DISK_BYTES", "SessionWriter",
]


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


def no_meta_warning(meta_path: Path) -> str:
    """The warning of a session folder read without its session.json (``meta_path``)."""
    return f"{meta_path}: missing; using defaults"


def open_session(path: str | os.PathLike) -> Session:
    """Open a session folder; a truncated or partly corrupt one opens with warnings."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{path}: not a session folder")
    mp = path / "session.json"
    if why := _no_file(mp):         # (not "missing; using defaults": its calibration is in it)
        raise InputError(f"{mp}: {why}")
    warnings: list[str] = []
    if mp.exists():
        try:
            meta = SessionMeta.from_dict(json_text.loads(mp.read_text(encoding="utf-8-sig")), str(mp))
        except json.JSONDecodeError as e:
            raise InputError(f"{mp}:{e.lineno}: not valid JSON ({e.msg})") from None
        except UnicodeDecodeError as e:
            raise InputError(f"{mp}: not UTF-8 text (byte {e.start})") from None
        except RecursionError:          # ("[" * 100000: Python's parser gives up, with a traceback)
            raise InputError(f"{mp}: not a JSON object (nested too deeply)") from None
        except OSError as e:            # (a folder named session.json, a file this user may not read)
            raise InputError(f"{mp}: {e.strerror or e}") from None
        warnings.extend(meta.problems)
    else:
        warnings.append(no_meta_warning(mp))
        meta = SessionMeta()
    stop = describe_stop(meta.extra.get("stopped"))
    if stop is not None:                # (says more than the line below: when and why)
        warnings.append(f"{path}: {stop}")
    elif not meta.complete and mp.exists():
        warnings.append(f"{path}: unfinished (still recording, or cut off); showing what was saved")
    warnings.extend(source_warnings(meta))
    s = Session(path, meta, warnings=warnings)
    unreadable: list[str] = []          # why each stream file present could not be read
    for name in ("force", "imu"):           # a file session.json names that is not there
        listed = meta.streams.get(name, {}).get("file")
        if listed and not (path / listed).exists() and not _no_file(path / listed):
            gone = f"{path / listed}: no such {name} file (session.json lists it)"
            unreadable.append(gone)
            warnings.append(gone)
    fp = path / meta.streams.get("force", {}).get("file", "force.csv")
    ip = path / meta.streams.get("imu", {}).get("file", "imu.csv")
    for p in (fp, ip):                  # (a stream that is no file to read: said, and not read)
        if why := _no_file(p):
            unreadable.append(f"{p}: {why}")
            warnings.append(unreadable[-1])
    if fp.exists() and not _no_file(fp):
        # (its time may be a logger's ms or µs clock, as a bare CSV's: read in seconds)
        s.force = _tolerant(read_timed_csv, fp, FORCE_COLUMNS, warnings)
        if s.force is None:
            unreadable.append(warnings[-1])
        units = meta.sensor.get("force_units", "N")
        if s.force is not None and units in KNOWN_FORCE_UNITS and units != "N":
            s.force.values = s.force.values * KNOWN_FORCE_UNITS[units]
    if ip.exists() and not _no_file(ip):
        s.imu = _tolerant(read_imu_csv, ip, IMU_COLUMNS, warnings)
        if s.imu is None:
            unreadable.append(warnings[-1])
    ap = meta.streams.get("audio", {}).get("file")
    for name in dict.fromkeys([ap or "audio.flac", "audio.flac", "audio.wav", "audio.ogg"]):
        if why := _no_file(path / name):
            warnings.append(f"{path / name}: {why}; analysed without it")
    for name in ("audio.flac", "audio.wav", "audio.ogg"):
        if (path / name).exists() and not _no_file(path / name):
            s.audio_path = path / name
            break
    if ap and (path / ap).exists() and not _no_file(path / ap):
        s.audio_path = path / ap
    elif ap and not _no_file(path / ap):    # the recorder wrote the entry with its first sound
        gone = f"{path / ap}: no such audio file (session.json lists it)"
        unreadable.append(gone)
        warnings.append(gone + (f"; {s.audio_path.name} is used instead" if s.audio_path else
                                "; analysed without the audio"))
    ep = path / "events.jsonl"
    if why := _no_file(ep):
        raise InputError(f"{ep}: {why}")
    if ep.exists():
        try:
            # (lines end at LF alone: random bytes hold others str.splitlines splits at, \x0b, \x1c…)
            lines = ep.read_bytes().decode("utf-8", errors="replace").split("\n")
        except OSError as e:            # (a folder named events.jsonl, a file this user may not read)
            raise InputError(f"{ep}: {e.strerror or e}") from None
        bad: list[int] = []             # the lines skipped, said once (a damaged file has thousands)
        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                ev = json_text.loads(line)
            except (json.JSONDecodeError, RecursionError):   # (a line nested too deeply: as any bad line)
                ev = None
            if isinstance(ev, dict) and isinstance(ev.get("type"), str):
                s.events.append(ev)
            else:
                bad.append(i)
        if len(bad) <= _EVENT_LINES_NAMED:
            warnings.extend(f"{ep}:{i}: unreadable event line skipped" for i in bad)
        else:
            warnings.append(f"{ep}: {len(bad)} unreadable event lines skipped (first: {ep}:{bad[0]})")
    _stored_length(s.events, meta.gaps)
    if s.force is None and s.imu is None and s.audio_path is None:
        if unreadable:
            raise InputError("; ".join(unreadable))
        raise InputError(f"{path}: no force.csv, imu.csv or audio file in this session folder")
    return s


# session.json's ``extra`` key of what reading the recording played to make it found (its bad rows
# skipped), written by ``record --device file:``
SOURCE_WARNINGS_KEY = "source_warnings"


def source_warnings(meta: SessionMeta) -> list[str]:
    """The warnings reading the recording played to make this one gave (``extra.source_warnings``):
    it lacks what they say was left out. Entries that are no text (edited by hand) are left out."""
    said = meta.extra.get(SOURCE_WARNINGS_KEY)
    return [w for w in said if isinstance(w, str) and w.strip()] if isinstance(said, list) else []


def _stored_length(events: list, gaps: list) -> None:
    """The stored summary (the last ``summary`` of ``events``) with its ``duration_s`` reaching
    the end of a gap ``gaps`` (session.json's) marks past its last sample, as the analysis counts
    the length (:func:`analysis.summary.recording_length_s`): a recording made before it did
    (or by another writer) kept only its samples' span, while its gap went on to its end. Its
    first sample is the earliest start of its ``spans_s``; one without them is left as it is."""
    from analysis.summary import recording_length_s

    summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    if summary is None or not gaps or not finite_number(summary.get("duration_s")):
        return
    spans = summary.get("spans_s")
    starts = [v[0] for v in spans.values() if isinstance(v, (list, tuple)) and len(v) == 2
              and finite_number(v[0])] if isinstance(spans, dict) else []
    if not starts:
        return
    t0 = float(min(starts))
    length = recording_length_s(t0, t0 + float(summary["duration_s"]), [g["t_end"] for g in gaps])
    if length > summary["duration_s"]:
        summary["duration_s"] = round(length, 6)


# bad lines of events.jsonl up to this many are each named; more (a damaged file: thousands) are
# counted in one warning naming the first
_EVENT_LINES_NAMED = 3


def _no_file(p: Path) -> str | None:
    """Why the file ``p`` of a session folder is none to read, or None: a symbolic link that
    loops, or a named pipe, socket or device (:func:`~firmware_bridge.file_kind.not_a_file`):
    what a recording wrote is files, and a named pipe nobody writes into, opened, waits for ever."""
    return not_a_file(p)


# the label of a recording that stopped early (session.json's ``extra.stopped``) in the review's
# session details and the report's facts; its value is ``describe_stop(..., row=True)``
STOPPED_EARLY = "stopped early"
_WORDS_SHOWN = 80                       # of a reason or file name (edited by hand: any length)


def describe_stop(stopped, row: bool = False) -> str | None:
    """A recording that stopped early because its folder refused a write (session.json's
    ``extra.stopped``, format.md) in words, as replay, the review and the report give it:
    "recording stopped early at 12.3 s: disk full (force.csv could not be written); what was
    written before is analysed", or for a row of the session's details (``row``, after the label
    :data:`STOPPED_EARLY`) "at 12.3 s: disk full, force.csv". None when it did not (no entry, or
    null/false). An entry edited by hand says what it can: text alone is the reason; a time that
    is not a number, a reason or file that is not text, is left out ("reason not recorded")."""
    if stopped is None or stopped is False:
        return None
    d = stopped if isinstance(stopped, dict) else {"reason": stopped} if isinstance(stopped, str) else {}
    t = d.get("t_s")
    when = (f"at {float(t):.1f} s" if finite_number(t) else
            "before any sample was kept" if "t_s" in d and t is None else None)
    why, file = _words(d.get("reason")), _words(d.get("file"))
    if row:
        what = ", ".join(w for w in (why, file) if w) if why else \
            f"{file} could not be written" if file else "reason not recorded"
        return f"{when}: {what}" if when else what
    what = (f"{why} ({file} could not be written)" if file else why) if why else \
        f"{file} could not be written" if file else "reason not recorded"
    kept = "" if when == "before any sample was kept" else "; what was written before is analysed"
    return f"recording stopped early{' ' + when if when else ''}: {what}{kept}"


def _words(v) -> str | None:
    """Text of session.json as one line of at most :data:`_WORDS_SHOWN` characters; None when it
    is not text or holds none."""
    if not isinstance(v, str) or not v.strip():
        return None
    v = " ".join(v.split())
    return v if len(v) <= _WORDS_SHOWN else v[:_WORDS_SHOWN - 1] + "…"


def _tolerant(reader, p: Path, cols, warnings: list[str]) -> StreamData | None:
    """Read a stream of a recorded session, tolerating a torn last line. The rows skipped where a
    logger's clock stepped back (:attr:`StreamData.clock_steps`) are not said here as unreadable:
    replay says them with the step, which it marks as a gap."""
    try:
        d = reader(p, cols, max_bad_share=0.5, whole_lines=True)
    except InputError as e:
        warnings.append(str(e))
        return None
    n, first = d.other_skipped
    if n:
        warnings.append(f"{p}: {n} unreadable rows skipped (first: {first[0]})")
    warnings.extend(d.notes)
    return d


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

