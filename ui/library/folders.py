"""Session folders under the library's root: finding them, whether each finished, what marks
a change or the same recording moved, and the index row of each."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from analysis.errors import InputError
from analysis.scheme import GradingScheme
from firmware_bridge import json_text
from firmware_bridge.csv_dialect import TIME_COLUMNS, csv_header, excel_separator
from firmware_bridge.csv_rows import to_seconds
from firmware_bridge.csv_stream import FORCE_COLUMNS, IMU_COLUMNS, imu_columns, read_csv_bytes
from firmware_bridge.file_kind import HEAD_BYTES, not_a_file, utf16_text
from firmware_bridge.session import STOPPED_EARLY, SessionMeta, describe_stop
from firmware_bridge.session_folders import discover, folder_of_sessions, sessions_inside  # noqa: F401  (re-exported)
from ui.library.schema import INDEX_NAME
from ui.library.stats import session_stats, target_text
from ui.library.stored import session_events


def session_as_root(root: str | os.PathLike) -> str | None:
    """The one-line refusal when ``root`` is itself a recorded session's folder, where its
    index would be written (no output goes into a session's folder: a copy of the recording
    would carry it, and the one session is all it would list), naming the folder holding it;
    else None."""
    d = Path(root)
    if not (d / "session.json").is_file():
        return None
    parent = d.parent if d.name not in ("", ".", "..") else d.resolve().parent
    return (f"{root}: a recorded session's folder, not a folder of sessions (no index is written inside a "
            f"session); give the folder holding it ({parent})")


def none_read(root: str | os.PathLike, n: int) -> str:
    """The one line for a folder of sessions none of which could be read: its ``n`` session folders
    (0: none there), as 'library list --trainee' and 'report --class' say it."""
    return f"{root}: " + ("no session folders (with session.json) under it" if n == 0 else
                          "its one session folder could not be read" if n == 1 else
                          f"none of its {n} session folders could be read")


def _session_json(folder: str | os.PathLike) -> dict | None:
    """A session folder's session.json as read, or None when it cannot be read as an object."""
    mp = Path(folder) / "session.json"
    if not_a_file(mp):                                 # (a named pipe would wait for a writer)
        return None
    try:
        meta = json_text.loads(mp.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):      # (bad JSON and bad UTF-8 are ValueErrors; JSON
        return None                                    # nested too deeply a RecursionError)
    return meta if isinstance(meta, dict) else None


def finished(folder: str | os.PathLike) -> bool:
    """Whether a session folder's recording finished: its session.json says so (``complete``)
    and no stream file of it ends in a torn line (:func:`cut_off`). False while it is being
    recorded, or when it was cut off (a crash, a copy taken meanwhile, a file cut short after),
    as replay and report warn that it is "unfinished (still recording, or cut off)" or that a
    file's "last line [was] cut off"; True when session.json cannot be read (an unreadable session is said otherwise)."""
    meta = _session_json(folder)
    return meta is None or (meta.get("complete") is True and _cut_off(folder, meta) is None)


# the stream files replay reads line by line, each a file gradecoach wrote with every line ended
_LINE_STREAMS = {"force": "force.csv", "imu": "imu.csv"}
_TAIL_BYTES = 4096


def cut_off(folder: str | os.PathLike) -> str | None:
    """The name of the first stream file (force, IMU: as session.json names them) of a session
    folder whose session.json says it finished, that was cut short after all the same (a copy, a
    disk error): its last line has no line end, as replay finds it and leaves that line out
    ("force.csv:1349: last line cut off (no line end; the recording stopped there)"). None when
    each ends its last line or holds one line alone (which replay does not call cut off), and for
    a recording session.json does not say finished (said "unfinished"). Reads the files' ends."""
    return _cut_off(folder, _session_json(folder))


def _cut_off(folder: str | os.PathLike, meta: dict | None) -> str | None:
    """:func:`cut_off` of ``folder`` whose session.json reads ``meta``."""
    if meta is None or meta.get("complete") is not True:
        return None
    streams = meta.get("streams")
    streams = streams if isinstance(streams, dict) else {}
    for name, default in _LINE_STREAMS.items():
        entry = streams.get(name)
        file = entry.get("file") if isinstance(entry, dict) else None
        fp = Path(folder) / (file if isinstance(file, str) and file else default)
        if _torn(fp):
            return fp.name
    return None


def _torn(fp: Path) -> bool:
    """Whether the file ``fp`` ends without a line end (LF or CR) and holds one before it, read
    from its end back to its last LF; False for a file that is not there or cannot be read (said
    by the reading of the session)."""
    if not_a_file(fp):                                 # (a named pipe: said by the reading of the session)
        return False
    try:
        with open(fp, "rb") as fh:
            end = fh.seek(0, os.SEEK_END)
            if end == 0:
                return False
            fh.seek(end - 1)
            if fh.read(1) in (b"\n", b"\r"):
                return False
            pos = end
            while pos > 0:                             # (one block back in a file gradecoach wrote)
                start = max(0, pos - _TAIL_BYTES)
                fh.seek(start)
                if b"\n" in fh.read(pos - start):
                    return True
                pos = start
            return False
    except OSError:                                    # (a folder of that name, no permission)
        return False


def cut_short_state(folder: str | os.PathLike) -> tuple[str, bool] | None:
    """What replay says of the first stream file (force, IMU) of a session folder whose
    session.json says it finished that ends before its stored summary (events.jsonl) recorded:
    cut short after the recording at a line end, which leaves no torn line for :func:`cut_off`
    ("…/force.csv: ends at 6.735 s while the session recorded 11.24 s …"), with whether the
    stored summary's figures are the whole recording's (False for a saved re-analysis of what the
    files hold); None when each ends where it was recorded, for a recording not said finished,
    and when the files' ends cannot be read (replay says why). A stream file session.json lists
    that is not there at all (deleted, left out of a copy) is said as replay says it ("…/imu.csv:
    no such imu file (session.json lists it)"): the library lists the stored summary's figures,
    replay and report analyse the recording without it. Reads the files' ends, not the whole
    files."""
    return _cut_short_state(folder, _session_json(folder))


def _missing(fp: Path, name: str) -> str:
    """Replay's line for a stream file session.json lists that is not there (deleted, or left
    out of a copy): "…/imu.csv: no such imu file (session.json lists it)"."""
    return f"{fp}: no such {name} file (session.json lists it)"


def _cut_short_state(folder: str | os.PathLike, meta: dict | None) -> tuple[str, bool] | None:
    """:func:`cut_short_state` of ``folder`` whose session.json reads ``meta``."""
    from firmware_bridge.replay.inputs import cut_short, recorded_ends, stored_of_whole

    if meta is None or meta.get("complete") is not True:
        return None
    summary = _last_line(Path(folder) / "events.jsonl")
    try:
        events = [json_text.loads(summary)] if summary else []
        ends = recorded_ends(events)
    except (ValueError, RecursionError):
        return None
    streams = meta.get("streams")
    streams = streams if isinstance(streams, dict) else {}
    for name, default in _LINE_STREAMS.items():
        entry = streams.get(name)
        entry = entry if isinstance(entry, dict) else {}
        file = entry.get("file")
        fp = Path(folder) / (file if isinstance(file, str) and file else default)
        if isinstance(file, str) and file and not os.path.lexists(fp):     # (deleted, or left out of a copy)
            return _missing(fp, name), stored_of_whole(events)
        if name not in ends:
            continue
        last = _last_sample(fp, FORCE_COLUMNS if name == "force" else IMU_COLUMNS)
        if last is None:
            continue
        note = cut_short(fp, last[0], ends[name], entry.get("rate_hz") or last[1], last[2])
        if note:
            return note, stored_of_whole(events)
    return None


# the columns of a library row that say how a session's files end (:func:`ending`)
ENDING_COLUMNS = ("finished", "cut_off", "cut_short", "cut_short_whole")


def ending(folder: str | os.PathLike) -> dict[str, Any]:
    """How the files of a session folder end, as a library row keeps it: ``finished``
    (:func:`finished`, 1 or 0), ``cut_off`` (:func:`cut_off`), and ``cut_short`` and
    ``cut_short_whole`` (:func:`cut_short_state`'s note, its file named inside the folder,
    "force.csv: ends at 6.73 s …", as the index keeps paths relative to its root: a share
    mounted elsewhere, a library moved; and 1 or 0 for whether the stored figures are the whole
    recording's; both None for a file not cut short). Reads session.json once and the stream
    files' ends."""
    meta = _session_json(folder)
    torn = _cut_off(folder, meta)
    short = _cut_short_state(folder, meta)
    note = short[0] if short else None
    inside = f"{Path(folder)}{os.sep}"
    if note is not None and note.startswith(inside):
        note = note[len(inside):]
    return {"finished": int(meta is None or (meta.get("complete") is True and torn is None)), "cut_off": torn,
            "cut_short": note, "cut_short_whole": int(short[1]) if short else None}


def row_ending(row: dict[str, Any]) -> dict[str, Any]:
    """:func:`ending` of a library row's session as its index keeps it (``row["folder"]``'s
    files as they were when it was read; a refresh reads a folder again once any file of it
    changed), read from the folder where the row does not say (``finished`` None)."""
    if row.get("finished") is None:
        return ending(row["folder"])
    return {c: row.get(c) for c in ENDING_COLUMNS}


def row_finished(row: dict[str, Any]) -> bool:
    """:func:`finished` of a library row's session (:func:`row_ending`)."""
    return bool(row_ending(row)["finished"])


def row_cut_short_state(row: dict[str, Any]) -> tuple[str, bool] | None:
    """:func:`cut_short_state` of a library row's session (:func:`row_ending`), its file named
    where the row's folder is now."""
    e = row_ending(row)
    if not e["cut_short"]:
        return None
    note = e["cut_short"]
    return (note if os.path.isabs(note) else f"{Path(row['folder'])}{os.sep}{note}"), bool(e["cut_short_whole"])


_LAST_LINE_BYTES = 1 << 24        # (a summary line of thousands of thrusts is well under this)


def _last_line(fp: Path) -> str | None:
    """The last line of the text file ``fp`` that holds anything (read from its end), or None."""
    if not_a_file(fp):
        return None
    try:
        with open(fp, "rb") as fh:
            end = fh.seek(0, os.SEEK_END)
            size = _TAIL_BYTES
            while True:
                start = max(0, end - size)
                fh.seek(start)
                lines = fh.read(end - start).rstrip().splitlines()
                if lines and (start == 0 or len(lines) > 1):
                    return lines[-1].decode("utf-8", "replace")
                if start == 0 or size >= _LAST_LINE_BYTES:
                    return None
                size *= 4
    except OSError:                                    # (none there: a session without stored events)
        return None


def _last_sample(fp: Path, columns: tuple[str, ...]) -> tuple[float, float, int] | None:
    """The time (s) of the last sample the stream file ``fp`` holds, as replay reads it (its last
    whole lines after its header, in its units), with the rate (Hz) and the bad rows of those
    lines; None when that cannot be told from its ends (a file of UTF-16 or old-Mac line ends,
    no whole line after its header, lines replay would refuse)."""
    if not_a_file(fp):
        return None
    try:
        with open(fp, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            end = fh.seek(0, os.SEEK_END)
            start = max(len(head), end - _TAIL_BYTES)
            fh.seek(start)
            tail = fh.read(end - start)
    except OSError:
        return None
    lines = head.split(b"\n")
    if utf16_text(head) or len(lines) < 2:
        return None
    above = 2 if excel_separator(lines[0]) is not None else 1      # (Excel's "sep=;" line, then the header)
    if len(lines) <= above:
        return None
    header = b"\n".join(lines[:above]) + b"\n"
    body = head[len(header):] + tail if start == len(head) else tail[tail.find(b"\n") + 1:]
    body = body[:body.rfind(b"\n") + 1]               # (a torn last line: left out, as replay does)
    names = csv_header(header)[1]
    t_col = next((c for c in TIME_COLUMNS if c in names), "t_s")
    if tuple(columns) == IMU_COLUMNS:                 # (in the units its header gives: ax_g, gx_dps)
        columns = (columns[0],) + imu_columns(names, IMU_COLUMNS[1:])[0]
    try:
        d = read_csv_bytes(fp, header + body, (t_col,) + tuple(columns[1:]), max_bad_share=0.5)
        t = to_seconds(fp, d.t_s, t_col)
    except (InputError, ValueError):
        return None
    if not len(t):
        return None
    step = float(np.median(np.diff(t))) if len(t) > 1 else 0.0
    return float(t[-1]), (1.0 / step if step > 0 else 0.0), d.skipped_rows


def refused_sessions(root: str | os.PathLike) -> list[str]:
    """One line for each session.json under ``root`` that is not a file the system reads (a
    folder of that name, a link to nothing): "…/session.json: Is a directory", and for each
    folder under it that cannot be read (mode 000: "…/b: a folder that cannot be read
    (Permission denied); any session in it is left out"). Their sessions are none
    :func:`discover` finds, so ``library list``, ``report --class`` and the review window left
    them out without a word; they leave them out saying why."""
    out = []
    found: list[Path] = []

    def refused(e: OSError) -> None:
        out.append(f"{e.filename}: a folder that cannot be read ({e.strerror or e}); any session in it is left out")

    for folder, dirs, files in os.walk(root, onerror=refused):
        if "session.json" in files or "session.json" in dirs:
            found.append(Path(folder) / "session.json")
    for p in sorted(found):
        if p.is_file():
            continue
        if why := not_a_file(p):                       # (a named pipe, read, waits for a writer)
            out.append(f"{p}: {why}")
            continue
        try:
            p.read_bytes()
        except OSError as e:
            out.append(f"{p}: {e.strerror or e}")
    return out


def listed_again(paths: list[str], root) -> str:
    """What the library says of one recording found in several folders (a folder copied by
    hand): "a and b under ROOT hold the same recording (a copy?): it is listed twice", as
    ``library list``, the review and a class report say it."""
    n = len(paths)
    return (f"{', '.join(paths[:-1])} and {paths[-1]} under {root} hold the same recording (a copy?): it is "
            f"listed {'twice' if n == 2 else f'{n} times'}")


def stopped_early_note(words: str | None) -> str | None:
    """What ``library list`` (and a table of sessions) notes of a recording that stopped early
    because its folder refused a write, from its row's ``stopped_early`` (the review's "stopped
    early" row, :func:`firmware_bridge.session.describe_stop`): "stopped early at 12.3 s: disk
    full, force.csv", or with no time recorded "stopped early: disk full, force.csv"; None for
    one that did not. It says more than "unfinished", which the recording is too."""
    if not words:
        return None
    when = words.startswith(("at ", "before any sample"))
    return f"{STOPPED_EARLY}{' ' if when else ': '}{words}"


def _signature(folder: Path) -> str:
    """Changes whenever any file of the session changes (mtime and size). An index inside the
    folder itself is not part of the session: one ``Library(SESSION)`` makes (the command line
    refuses a session folder as ROOT, see :func:`session_as_root`) changes at every refresh,
    which read the session again each time."""
    parts = []
    for f in sorted(folder.iterdir()):
        if f.is_file() and not f.name.startswith(INDEX_NAME):
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def fingerprint(folder: Path, meta: dict) -> str:
    """Identity of a recording that survives moving its folder: creation time, trainee, and
    the first 4 KiB and size of its force data."""
    h = hashlib.sha1(json.dumps([meta.get("created"), meta.get("trainee"), meta.get("technique")]).encode())
    fp = folder / (meta.get("streams", {}).get("force", {}).get("file") or "force.csv")
    if fp.is_file():
        with open(fp, "rb") as fh:
            h.update(fh.read(4096))
        h.update(str(fp.stat().st_size).encode())
    return h.hexdigest()


def index_row(folder: Path, root: Path) -> dict[str, Any]:
    """One library row for a session folder (raises InputError for an unreadable one).

    Its ``signature`` is the folder's as it was before the files were read: a file changed
    meanwhile (a recording finishing) leaves the row signed older than the folder, so the next
    refresh reads it again; signed afterwards, the row kept what was read before the change
    for good (an unfinished session's "0 cycles" beside a finished recording).

    Its ``created`` is session.json's, "" where it has none (said "–" as the session's details
    and a report say it).

    Its ``target`` is session.json's as the trainer spells it (:func:`~ui.library.stats.target_text`:
    "hvla" is "V", "iv" "IV"), whatever an older gradecoach wrote there.

    Its ``stopped_early`` says when and why a recording stopped because its folder refused a
    write (session.json's ``extra.stopped``) as the review's details word it ("at 12.3 s: disk
    full, force.csv"); None for one that did not. Its :data:`ENDING_COLUMNS` say how its files
    end (:func:`ending`), so that listing it does not read them again.
    """
    try:
        signature = _signature(folder)
    except OSError:                                    # (gone or unreadable: said by the reading below)
        signature = None
    events, source, inp = session_events(folder)      # reads session.json: a bad one is one line
    meta = inp.meta or SessionMeta()
    raw = meta.to_dict()                               # checked values only
    scheme = GradingScheme(meta.r1_n, meta.r2_n, alpha=meta.alpha)
    row = {"path": folder.relative_to(root).as_posix(), "fingerprint": fingerprint(folder, raw),
           "signature": signature, "trainee": meta.trainee or "",
           # (none recorded: unknown, shown "–", sorted after the dated; session.json's time of change
           # was no date of the recording: a comment added changed it, and the session's place)
           "created": meta.created or "",
           "technique": meta.technique or "", "target": target_text(meta.target), "stats_source": source,
           "stopped_early": describe_stop(meta.extra.get("stopped"), row=True)}
    row.update(session_stats(events, meta.target, scheme, meta.extra.get("target_detail")))
    if inp.audio_path is None:                         # (its sound file gone since: no sound's length,
        row["audio_s"] = row["n_pops"] = None          # nor pops it can be heard to hold)
    row.update(ending(folder))
    return row
