"""The session library: an index of session folders in SQLite (default) or PostgreSQL.

Session folders stay the source of truth; the index is a disposable cache of what the
review window's library table, progress view and class reports need. ``refresh`` brings it
up to date (new or changed folders re-read, rows of folders that are gone dropped, a folder
moved by hand found again by its fingerprint, the row of a folder that became unreadable
dropped with a warning); ``rebuild`` recreates it from the folders.

Where the numbers come from: a session's stored ``events.jsonl`` is used when it ends in a
summary made with the calibration and target now in ``session.json`` — that is the analysis
the trainee saw, and reading it costs milliseconds even for an hour-long recording. When the
file is missing, truncated (no summary: the recording did not finish) or made with another
calibration, the analysis is re-run on the raw data (``firmware_bridge.replay.analyze_input``
with the session's calibration), so the index never shows grades the raw data does not give.

A damaged SQLite index (not a database, or a torn/corrupt file) is never read around:
``refresh`` and the review window refuse it in one line naming the command that remakes it,
and ``rebuild`` moves it aside to ``gradecoach-library.sqlite.broken`` (``.broken-2`` … when
that is taken) and starts a new one, saying so in :attr:`Library.notes`. Recreating it
silently on ``list`` is avoided on purpose: an index shared by several stations may only look
damaged to one of them. Only a file that begins as an SQLite file does (or is empty), or bears
the index's own name, is taken for a damaged index: ``--db`` naming anything else (a CSV, a
report) is refused in one line and left as it is, as is an SQLite file of another program
(tables that are not the index's), before anything is written into it.

The index file is made when the first session is written into it: a folder without sessions
gets none. Where it cannot be written (a read-only share, even one whose index needs a schema
upgrade; a full disk; another station writing it for longer than :data:`BUSY_TIMEOUT_S`),
``list`` and the review window go on with a copy in memory (:meth:`Library.keep_in_memory`)
and say the index was not saved; ``rebuild`` says so in one line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import numpy as np

from analysis.errors import InputError
from analysis.scheme import GradingScheme, parse_target
from firmware_bridge.session import SessionMeta, finite_number
from firmware_bridge.session_scheme import stored_min_amplitude

INDEX_NAME = "gradecoach-library.sqlite"
SQLITE_MAGIC = b"SQLite format 3\0"          # how every SQLite database file begins
PG_MIGRATION_LOCK = 0x67726164                # advisory lock key of gradecoach's migrations ("grad")
SCHEMA_VERSION = 3
# seconds a station waits for another one writing the shared SQLite index before ``list`` and
# the review window go on without saving it (a refresh commits each session as soon as it is
# read, so another station's writes are short unless its share is slow or it hangs)
BUSY_TIMEOUT_S = 20.0

# version -> statements; DOUBLE PRECISION and TEXT mean the same in SQLite and PostgreSQL
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE sessions (path TEXT PRIMARY KEY, fingerprint TEXT, signature TEXT, trainee TEXT, "
        "created TEXT, technique TEXT, target TEXT, score_pct DOUBLE PRECISION, duration_s DOUBLE PRECISION, "
        "n_cycles INTEGER, n_thrusts INTEGER)",
    ],
    2: [
        "ALTER TABLE sessions ADD COLUMN on_target_pct DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN freq_cv_pct DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN amplitude_cv_pct DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN peak_mean_n DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN peak_sd_n DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN ttp_mean_ms DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN ttp_sd_ms DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN stats_source TEXT",
        "CREATE INDEX sessions_trainee ON sessions (trainee)",
        # rows written by version 1 lack the statistics: make the next refresh re-read them
        "UPDATE sessions SET signature = NULL",
    ],
    3: [
        # a thrust session scored before an IMU's thrusts (whose let-up is unknown) were left out
        # of its score read 100 %: its next refresh reads it again
        "UPDATE sessions SET signature = NULL WHERE n_thrusts > 0",
    ],
}

COLUMNS = ("path", "fingerprint", "signature", "trainee", "created", "technique", "target", "score_pct",
           "duration_s", "n_cycles", "n_thrusts", "on_target_pct", "freq_cv_pct", "amplitude_cv_pct",
           "peak_mean_n", "peak_sd_n", "ttp_mean_ms", "ttp_sd_ms", "stats_source")


class IndexDamaged(InputError):
    """The SQLite index file is not a database or is corrupt; ``rebuild`` remakes it."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class IndexReadOnly(InputError):
    """The SQLite index cannot be written where it is (a read-only share, a folder this user
    may not write), or not now (:class:`IndexBusy`, :class:`IndexFull`);
    :meth:`Library.keep_in_memory` goes on without saving it."""


class IndexBusy(IndexReadOnly):
    """Another station has been writing the SQLite index for longer than the busy timeout."""


class IndexFull(IndexReadOnly):
    """The disk (or share) holding the SQLite index is full."""


class IndexNewer(IndexReadOnly):
    """The index was brought to a newer schema by a newer gradecoach (on another station): it
    is left as it is, as what that version keeps in it is unknown here, and not copied
    into memory either (its rows may not mean what this version reads)."""


# --- statistics of one session ----------------------------------------------------------------

def _sd(x: list[float]) -> float | None:
    return float(np.std(x, ddof=1)) if len(x) >= 2 else None


def _weighted_set_cv(cycles: list[dict], key: str) -> float | None:
    """Cycle-weighted mean of the per-set coefficients of variation (percent).

    Per set, because a session may hold sets aimed at different grades whose pooled spread
    says nothing about consistency (same grouping as the summary's per-set CVs).
    """
    by: dict[int, list[float]] = {}
    for c in cycles:
        if c.get(key) is not None:
            by.setdefault(int(c.get("set_index", 0)), []).append(float(c[key]))
    num = den = 0.0
    for vals in by.values():
        m = float(np.mean(vals)) if vals else 0.0
        if len(vals) >= 2 and m:
            num += len(vals) * 100.0 * float(np.std(vals, ddof=1)) / m
            den += len(vals)
    return num / den if den else None


def is_hvla(target: str | None) -> bool:
    """Whether a session's target is a thrust (V, HVLA): its score counts thrusts without let-up."""
    return bool(target) and parse_target(target)[0] == "V"


SCORE_HEADING = "score (% on target)"


def score_heading(targets) -> str:
    """What the score of sessions with these targets counts (see :func:`session_stats`), as the
    report, the Compare and the Progress tables head it: cycles on target, or for a V/HVLA target
    thrusts made without letting up, or both for a mix."""
    hvla = {is_hvla(t) for t in targets}
    if hvla == {True}:
        return "score (% of thrusts without let-up)"
    if hvla == {True, False}:
        return "score (% on target; V: % of thrusts without let-up)"
    return SCORE_HEADING


def same_name(name: str | None) -> str:
    """What two trainee names typed by hand must share to be one trainee: the text in NFC
    (a name copied from a Mac comes in NFD, "C" followed by a combining cedilla, and must match
    "Ç"), without surrounding spaces, casefolded ("Anna " is "anna")."""
    return unicodedata.normalize("NFC", (name or "").strip()).casefold()


def nfc(text: str | None) -> str:
    """``text`` in Unicode's composed form (NFC), as names and techniques are shown and padded."""
    return unicodedata.normalize("NFC", text or "")


# letters with a stroke or ligatures that Unicode does not decompose into a base letter and a mark,
# read as their base letters: "Łukasz" among the L's, "Søren" among the S's
_BASE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
                               "æ": "ae", "œ": "oe", "þ": "th"})


def name_key(text: str | None) -> str:
    """A name as it sorts and is looked for: case, accents and spacing aside, whichever Unicode
    form it was typed in (a Mac's names are often decomposed, NFD), so "ANA MARÍA LÓPEZ" and
    "Ana María López" are one trainee, "Émile" sorts among the E's and "emile" finds him."""
    s = " ".join(nfc(text).split()).casefold().translate(_BASE_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def sort_key(text: str | None) -> tuple[str, str]:
    """A key sorting names as a reader expects, whatever their accents (:func:`name_key`): "Émile"
    beside "Emma", "Łukasz" among the L's, rather than after "Zoë"; names that differ only in
    accents then sort by :func:`same_name`."""
    return name_key(text), same_name(text)


def spellings(names) -> dict[str, str]:
    """One spelling of each trainee, keyed by :func:`name_key`, from ``(trainee, created)`` pairs
    (one a session): the one most of their sessions are typed with, the latest session's among
    equals; in NFC, without surrounding spaces. What the library's and the report's lists of trainees and
    a report's title name them, so "Ana María López" is not "ana maría lópez" in another."""
    seen: dict[str, dict[str, tuple[int, tuple]]] = {}
    for name, created in names:
        spelt = nfc(name).strip()
        mine = seen.setdefault(name_key(name), {})
        n, latest = mine.get(spelt, (0, (-1,)))
        mine[spelt] = (n + 1, max(latest, time_key(created)))
    return {k: max(v, key=lambda spelt: v[spelt]) for k, v in seen.items()}


_ISO_DATE_T = re.compile(r"(\d{4}-\d{2}-\d{2})T(?=\d)")


def time_key(created: str | None) -> tuple:
    """A key sorting sessions by when they were recorded: an ISO stamp by the instant it names,
    its UTC offset counted (a session recorded in Sydney 5 s before one in Los Angeles sorts
    first, though its stamp's text, a day later, sorted last; an hour repeated when the clocks
    go back sorts in the order lived); one without an offset is taken as this computer's local
    time. Stamps typed otherwise by hand sort after them, by their text."""
    text = created or ""
    try:
        return 0, datetime.fromisoformat(text).timestamp(), text
    except (ValueError, OverflowError, OSError):      # (not ISO; a year the clock functions cannot hold)
        return 1, 0.0, text


def short_date(created: str | None) -> str:
    """A session's creation time as the library shows it: an ISO one "2025-03-01 10:00"; one
    typed otherwise by hand ("Tue Nov 18 08:30:00 2026") its first 16 characters as they are."""
    return _ISO_DATE_T.sub(r"\1 ", (created or "")[:16], count=1)


def session_stats(events: list[dict], target: str | None = None,
                  scheme: GradingScheme | None = None) -> dict[str, Any]:
    """Key numbers of one session from its event dicts.

    ``score_pct`` is the share of cycles on ``target`` (mobilisation targets) or, for a V/HVLA
    target, the share of thrusts made without letting up on the preload, of those whose let-up
    is known (an IMU worn alone measures no force: its thrusts' let-up is unknown, as the
    trainer shows "–"); None when there is no target, no calibration or nothing to score.
    """
    scheme = (scheme or GradingScheme())
    cycles = [e for e in events if e.get("type") == "cycle"]
    thrusts = [e for e in events if e.get("type") == "thrust"]
    summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    on_target = None
    if target and cycles:
        sch = scheme.with_target(target)
        on = [sch.on_target(c.get("grade"), c.get("modifier"), bool(c.get("beyond_r2"))) for c in cycles]
        known = [o for o in on if o is not None]
        on_target = 100.0 * sum(known) / len(known) if known else None
    score = on_target
    if is_hvla(target):
        known = [t for t in thrusts if t.get("letup") or finite_number(t.get("letup_n"))]
        score = 100.0 * sum(not t.get("letup") for t in known) / len(known) if known else None
    peaks = [float(t["peak_n"]) for t in thrusts if t.get("peak_n") is not None]   # (an IMU's: no force)
    ttps = [float(t["time_to_peak_ms"]) for t in thrusts]
    if summary is not None:
        duration = float(summary.get("duration_s") or 0.0)
    else:
        ends = [float(e.get("t_end") or e.get("t_peak") or 0.0) for e in cycles + thrusts]
        duration = max(ends) if ends else 0.0
    return {
        "score_pct": score, "on_target_pct": on_target, "duration_s": duration,
        "n_cycles": len(cycles), "n_thrusts": len(thrusts),
        "freq_cv_pct": _weighted_set_cv(cycles, "freq_hz"),
        "amplitude_cv_pct": _weighted_set_cv(cycles, "amplitude_n"),
        "peak_mean_n": float(np.mean(peaks)) if peaks else None, "peak_sd_n": _sd(peaks),
        "ttp_mean_ms": float(np.mean(ttps)) if ttps else None, "ttp_sd_ms": _sd(ttps),
    }


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


# what the library, the report and the review read of stored events: a number (N) or a number
# or null (n), ending in "?" when the key may be left out, under each event type; a key missing,
# or text where a number belongs, makes the stored events unusable (edited by hand, or written
# by something else) and the raw data is analysed again, as when they were made with another
# calibration
_NEEDED: dict[str, dict[str, str]] = {
    "cycle": {**dict.fromkeys(("t_start", "t_end", "t_crest", "crest_n", "trough_n", "amplitude_n", "freq_hz"), "N"),
              "set_index": "N?", "crest_pct": "n?"},
    "thrust": {**dict.fromkeys(("t_onset", "t_peak", "time_to_peak_ms"), "N"),
               **dict.fromkeys(("preload_n", "peak_n", "rate_n_per_s", "max_rate_n_per_s", "letup_n"), "n"),
               "index": "N?", "duration_ms": "n?"},
    "cavitation": {"t": "N", "thrust": "n?", "level_db": "n?", "confidence": "n?", "duration_ms": "n?",
                   "peak_hz": "n?"},
}
_SUMMARY_SET = {**dict.fromkeys(("set_index", "t_start", "t_end", "n_cycles", "beyond_r2"), "N"),
                **dict.fromkeys(("mean_freq_hz", "freq_cv_pct", "mean_amplitude_n", "amplitude_cv_pct",
                                 "mean_crest_n", "on_target_pct"), "n")}
_SUMMARY_THRUST = {**dict.fromkeys(("index", "t_peak", "time_to_peak_ms"), "N"),
                   **dict.fromkeys(("preload_n", "peak_n", "rate_n_per_s", "max_rate_n_per_s", "letup_n"), "n")}


def _unfit(d, needed: dict[str, str]) -> str | None:
    """The first key of ``d`` that is not what ``needed`` says, or None."""
    if not isinstance(d, dict):
        return "an entry that is not an object"
    for k, kind in needed.items():
        if k not in d:
            if not kind.endswith("?"):
                return f"{k} missing"
            continue
        v = d[k]
        if not ((kind.startswith("n") and v is None) or finite_number(v)):
            return f"{k} {repr(v)[:20]}"
    return None


def stored_events_problem(events: list[dict]) -> str | None:
    """Why stored events cannot be shown as they are (one line), or None."""
    for i, e in enumerate(events, 1):
        kind = e.get("type")
        why = _unfit(e, _NEEDED[kind]) if kind in _NEEDED else None
        if kind == "summary":
            if not isinstance(e.get("duration_s"), (int, float)) or not isinstance(e.get("grade_histogram", {}), dict):
                why = "duration_s or grade_histogram unusable"
            for key, needed in (("sets", _SUMMARY_SET), ("thrusts", _SUMMARY_THRUST),
                                ("pops_outside_thrusts", {"t": "N"})):
                items = e.get(key, [])
                bad = "not a list" if not isinstance(items, list) else \
                    next((w for w in (_unfit(x, needed) for x in items) if w), None)
                if why is None and bad:
                    why = f"{key}: {bad}"
            if why is None and not all(isinstance(x, dict) and isinstance(x.get("grade_histogram"), dict)
                                       for x in e.get("sets", [])):
                why = "sets: grade_histogram unusable"
        if why:
            return f"event {i} ({kind}): {why}"
    return None


def _grades(cycles: list[dict]) -> dict[str, int]:
    """A grade histogram of cycle dicts, keyed as the summary's ("III--", "ungraded")."""
    from analysis.summary import grade_label
    return dict(sorted(Counter(grade_label(c.get("grade"), c.get("modifier")) for c in cycles).items()))


def _histogram_text(hist: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in hist.items()) or "none"


def summary_disagreement(events: list[dict]) -> str | None:
    """Where stored events ending in a summary contradict it (one line), or None: the cycles'
    grades, overall and per set, their count and crests beyond R2, the thrusts and their let-ups,
    each as the summary gives them. A file edited by hand (a grade changed, the summary left)
    read 83 % on target from its cycles beside 'III--: 12, on target 100 %' from its summary."""
    s = events[-1]
    cycles = [e for e in events if e.get("type") == "cycle"]
    thrusts = [e for e in events if e.get("type") == "thrust"]
    hist = _grades(cycles)
    if len(cycles) != s.get("n_cycles", len(cycles)) or hist != s.get("grade_histogram", hist):
        return (f"its cycles' grades ({_histogram_text(hist)}) disagree with its summary's "
                f"({_histogram_text(s.get('grade_histogram', {}))})")
    for st in s.get("sets", []):
        mine = [c for c in cycles if int(c.get("set_index", 0)) == st["set_index"]]
        beyond = sum(bool(c.get("beyond_r2")) for c in mine)
        if len(mine) != st["n_cycles"] or _grades(mine) != st["grade_histogram"] or beyond != st["beyond_r2"]:
            return (f"the grades of set {int(st['set_index']) + 1} in its cycles ({_histogram_text(_grades(mine))}, "
                    f"{beyond} beyond R2) disagree with its summary's ({_histogram_text(st['grade_histogram'])}, "
                    f"{st['beyond_r2']} beyond R2)")
    if len(thrusts) != s.get("n_thrusts", len(thrusts)) or len(s.get("thrusts", [])) not in (0, len(thrusts)):
        return f"its {len(thrusts)} thrusts disagree with its summary's {s.get('n_thrusts')}"
    for t, row in zip(thrusts, s.get("thrusts", [])):
        if bool(t.get("letup")) != bool(row.get("letup")) or not all(
                _same(t.get(k), row.get(k)) for k in ("t_peak", "peak_n", "preload_n", "letup_n")):
            return f"thrust {int(row['index']) + 1} disagrees with its summary's (let-up, peak or preload)"
    return None


def stored_pops_without_sound(inp) -> int:
    """How many pops the stored events (``inp.events``) hold that were heard in sound the folder
    no longer has (its audio file and entry deleted to save space, say); 0 when its sound is
    there. Such pops are left out, as replaying the folder finds none: the stored events are not
    used (:func:`use_stored_events`) and the pops are unknown, as for a session recorded without
    sound."""
    if getattr(inp, "audio_path", None) is not None:
        return 0
    return sum(e.get("type") == "cavitation" for e in inp.events or ())


def use_stored_events(inp, meta: SessionMeta, folder: str | os.PathLike) -> bool:
    """True when the session's stored events (``inp.events``) end in a summary made with the
    calibration in ``meta``, hold what is read of them (see :func:`stored_events_problem`) and
    agree with their summary (see :func:`summary_disagreement`), and hold no pops heard in sound
    the folder no longer has (see :func:`stored_pops_without_sound`). When what they hold is the
    reason they are not used (not another calibration), that is added to ``inp.warnings``, in
    one line. The library, the report and the review window all decide by this."""
    events = inp.events
    if not events:
        return False
    why = stored_events_problem(events)
    if why is not None:
        inp.warnings.append(f"{Path(folder) / 'events.jsonl'}: {why}; analysed again from the raw data")
        return False
    if events[-1].get("type") != "summary":
        return False
    s = events[-1]
    why = summary_disagreement(events)
    gone = stored_pops_without_sound(inp)
    if why is None and gone:
        why = (f"its {gone} pop{'s' if gone != 1 else ''} were heard in sound the folder no longer has "
               f"(pops left out, unknown)")
    if why is not None:
        inp.warnings.append(f"{Path(folder) / 'events.jsonl'}: {why}; analysed again from the raw data")
        return False
    target = meta.target
    if target:
        g, m = parse_target(target)
        target = g + (m or "")
    return (_same(s.get("r1_n"), meta.r1_n) and _same(s.get("r2_n"), meta.r2_n)
            and _same(s.get("alpha"), meta.alpha) and _same(s.get("target"), target))


def session_events(folder: str | os.PathLike) -> tuple[list[dict], str, Any]:
    """Events of a session folder: ``(events, source, ReplayInput)``; source "stored"/"analysis"."""
    from firmware_bridge.replay import analyze_input, load_input

    inp = load_input(folder)
    meta = inp.meta or SessionMeta()
    if use_stored_events(inp, meta, folder):
        return list(inp.events), "stored", inp
    scheme = GradingScheme(meta.r1_n, meta.r2_n, alpha=meta.alpha).with_min_amplitude(stored_min_amplitude(meta)[0])
    if meta.target:
        scheme = scheme.with_target(meta.target)
    return [e.to_dict() for e in analyze_input(inp, scheme)], "analysis", inp


# --- the index --------------------------------------------------------------------------------

def discover(root: Path) -> list[Path]:
    """Session folders under ``root`` (folders holding a session.json), sorted."""
    return sorted(p.parent for p in root.rglob("session.json") if p.is_file())


def sessions_inside(path: str | Path) -> list[Path]:
    """The session folders under ``path`` when it is a folder of sessions (a class's) rather
    than a session itself, else none."""
    d = Path(path)
    return discover(d) if d.is_dir() and not (d / "session.json").exists() else []


def folder_of_sessions(path: str | Path, under: list[Path]) -> str:
    """"PATH: a folder of N session folders, not a session" (the start of a one-line error)."""
    return f"{path}: a folder of {len(under)} session folder{'s' if len(under) != 1 else ''}, not a session"


def finished(folder: str | os.PathLike) -> bool:
    """Whether a session folder's session.json says its recording finished (``complete``):
    False while it is being recorded, or when it was cut off (a crash, a copy taken meanwhile),
    as replay and report warn that it "did not finish cleanly"; True when that cannot be read
    (an unreadable session is said otherwise)."""
    try:
        meta = json.loads((Path(folder) / "session.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):                      # (bad JSON and bad UTF-8 are ValueErrors)
        return True
    return not isinstance(meta, dict) or meta.get("complete") is True


def _signature(folder: Path) -> str:
    """Changes whenever any file of the session changes (mtime and size). An index kept in
    the folder itself (ROOT given as a session folder) is not part of the session: it changes
    at every refresh, which read the session again each time."""
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
    """
    mp = folder / "session.json"
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
           "created": meta.created or time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(mp.stat().st_mtime)),
           "technique": meta.technique or "", "target": meta.target or "", "stats_source": source}
    row.update(session_stats(events, meta.target, scheme))
    return row


@dataclass
class RefreshResult:
    added: int = 0
    updated: int = 0
    moved: int = 0
    dropped: int = 0
    unchanged: int = 0
    failed: list = field(default_factory=list)   # one-line messages

    def __str__(self) -> str:
        s = (f"{self.added} added, {self.updated} updated, {self.moved} moved, {self.dropped} dropped, "
             f"{self.unchanged} unchanged")
        return s + (f", {len(self.failed)} unreadable" if self.failed else "")


class Library:
    """The index of the sessions under ``root``.

    Parameters
    ----------
    root : path
        Folder holding session folders (at any depth).
    db : str, optional
        ``postgresql://…`` for a shared server, a file path or ``sqlite:///path`` for SQLite
        (not inside a recorded session's folder); default ``ROOT/gradecoach-library.sqlite``.
    repair : bool
        Move a damaged SQLite index aside (``….broken``) and start a new one instead of
        refusing it with :class:`IndexDamaged`; what ``rebuild`` wants.
    memory_if_read_only : bool
        Where the SQLite index cannot be written (a read-only share whose index needs a schema
        upgrade, a full disk, another station writing it for longer than ``busy_timeout_s``),
        go on with a copy in memory (:meth:`keep_in_memory`) instead of raising
        :class:`IndexReadOnly`; what ``list`` and the review window want.
    busy_timeout_s : float, optional
        Seconds to wait for another station writing the SQLite index (default
        :data:`BUSY_TIMEOUT_S`), then :class:`IndexBusy`.

    Attributes
    ----------
    notes : list of str
        One-line messages about the index itself (a damaged one moved aside).
    unsaved : str or None
        Why the index is kept in memory only, not saved (see :meth:`keep_in_memory`).
    """

    def __init__(self, root: str | os.PathLike, db: str | None = None, *, repair: bool = False,
                 memory_if_read_only: bool = False, busy_timeout_s: float | None = None) -> None:
        self.busy_timeout_s = BUSY_TIMEOUT_S if busy_timeout_s is None else busy_timeout_s
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise InputError(f"{root}: no such folder")
        self.db = db or str(self.root / INDEX_NAME)
        self.notes: list[str] = []
        self._unmade = False                    # (SQLite: no index file yet, see _open_sqlite)
        self._newer = False                     # (the index is of a newer version: IndexNewer)
        self.unsaved: str | None = None         # why the index is only in memory (keep_in_memory)
        self.pg = self.db.startswith(("postgresql://", "postgres://"))
        if self.pg:
            from ui.library_pg import connect
            self.conn = connect(self.db)
            self.migrate()
            return
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", self.db)
        if scheme and scheme.group(1).lower() != "sqlite":
            raise InputError(f"{self.db}: unsupported index URL (give an SQLite file or postgresql://…)")
        self.path = self.db[len("sqlite:///"):] if self.db.startswith("sqlite:///") else self.db
        if os.path.isdir(self.path):
            raise InputError(f"--db {self.db}: a folder; give a file name, e.g. "
                             f"{os.path.join(self.path, INDEX_NAME)}")
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(folder):          # (said so, rather than that it cannot be written)
            raise InputError(f"--db {self.db}: no such folder {folder}")
        if db is not None:                     # not into a recording's folder, as no output goes
            from ui.options import output_path
            output_path(self.path, option="--db")
        try:
            self._open_sqlite()
            if repair:
                self._check()
        except IndexDamaged as e:
            if not repair:
                raise
            self._start_afresh(e)
        except IndexReadOnly as e:
            if not memory_if_read_only:
                raise
            self.keep_in_memory(str(e))

    # --- SQLite: open, check, errors ---------------------------------------------------------------
    def _rebuild_command(self) -> str:
        default = self.db == str(self.root / INDEX_NAME)
        return f"gradecoach library rebuild {self.root}" + ("" if default else f" --db {self.db}")

    def _index_error(self, e: sqlite3.Error) -> InputError | None:
        """The one-line message for an SQLite error a user's file can cause; None for a bug."""
        name = getattr(e, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_BUSY"):
            return IndexBusy(f"library index {self.path}: busy (another gradecoach has been writing it for "
                             f"{self.busy_timeout_s:g} s); try again")
        if name.startswith("SQLITE_FULL"):
            return IndexFull(f"library index {self.path}: cannot be written ({e}); free some space there, "
                             f"or give --db FILE on another disk")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return IndexDamaged(f"{self.path}: the library index is damaged ({e}); "
                                f"'{self._rebuild_command()}' remakes it from the session folders", str(e))
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
            # a read-only share, or a folder this user may not write: the index needs writing
            # whenever a session is new or changed
            folder = os.path.dirname(os.path.abspath(self.path))
            return IndexReadOnly(f"{folder}: cannot write the library index there ({e}); "
                                 f"give --db FILE somewhere writable")
        return None

    @contextmanager
    def _errors(self):
        """Turn SQLite errors a user's file can cause into one-line :class:`InputError`s."""
        if self.pg:
            yield
            return
        try:
            yield
        except sqlite3.Error as e:
            err = self._index_error(e)
            if err is None:
                raise
            raise err from None

    def _open_sqlite(self) -> None:
        """Open the index file; one that does not exist yet is made when the first session is
        indexed (a folder without sessions gets no index), meanwhile an empty one in memory."""
        self._unmade = not os.path.exists(self.path)
        if self._unmade:
            self.conn = sqlite3.connect(":memory:")
            self.migrate()
            return
        self._refuse_other_files()
        self._open_file()

    def _refuse_other_files(self) -> None:
        """An InputError for a file that is no SQLite file, unless it bears the index's own name:
        'rebuild' moves a damaged index aside, and must not take a CSV's or a report's place."""
        if os.path.basename(self.path) == INDEX_NAME or not os.path.isfile(self.path):
            return
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as e:
            raise InputError(f"{self.path}: cannot read the library index ({e.strerror or e})") from None
        if head and head != SQLITE_MAGIC[:len(head)]:
            raise InputError(f"{self.path}: not a library index (not an SQLite file), left as it is; "
                             f"give --db a new file name")

    def _make_file(self) -> None:
        """The index file made, at the first session to be written into it."""
        empty = self.conn
        try:
            self._open_file()
        except InputError:
            self.conn = empty                   # (still none: a read-only share, say)
            raise
        empty.close()
        self._unmade = False

    def _open_file(self) -> None:
        try:
            self.conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s)
        except sqlite3.Error as e:
            raise self._index_error(e) or InputError(f"{self.path}: cannot open the library index ({e})") from None
        try:
            self._refuse_other_databases()
        except InputError:
            self.conn.close()
            self.conn = None                    # (none to copy into memory: keep_in_memory)
            raise
        self.migrate()

    def _refuse_other_databases(self) -> None:
        """An InputError for an SQLite file of another program, read before anything is written:
        migrating it added our tables beside its own (or failed with a traceback on its own
        'sessions' table). Ours holds schema_migrations and at most our sessions table; an empty
        database (no tables) may still become one."""
        tables = {n for (n,) in self.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")}
        ours = not tables or ("schema_migrations" in tables and tables <= {"schema_migrations", "sessions"})
        if ours and "sessions" in tables:
            cols = {r[1] for r in self.execute("PRAGMA table_info(sessions)")}
            ours = {"path", "fingerprint", "signature", "trainee"} <= cols
        if not ours:
            raise InputError(f"{self.path}: an SQLite file of another program, not a gradecoach library "
                             f"index; left as it is; give --db a new file name")

    def _check(self) -> None:
        """Raise :class:`IndexDamaged` unless SQLite finds the file sound (cheap: the index is small)."""
        problems = [r[0] for r in self.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            first = problems[0] if problems else "no answer to a check"
            raise IndexDamaged(f"{self.path}: the library index is damaged ({first}); "
                               f"'{self._rebuild_command()}' remakes it from the session folders", first)

    def _start_afresh(self, damage: IndexDamaged) -> None:
        """Move a damaged index (and its journal) aside and open a new, empty one."""
        if getattr(self, "conn", None) is not None:
            self.conn.close()
        suffixes = ("", "-journal", "-wal", "-shm")
        broken, n = self.path + ".broken", 1
        while any(os.path.lexists(broken + x) for x in suffixes):      # an earlier one is kept
            n += 1
            broken = f"{self.path}.broken-{n}"
        try:
            for suffix in suffixes:             # a stale journal must not meet the new file
                if os.path.exists(self.path + suffix):
                    os.replace(self.path + suffix, broken + suffix)
        except OSError as e:
            raise InputError(f"{self.path}: the library index is damaged ({damage.reason}) and cannot be "
                             f"moved aside ({e.strerror})") from None
        self._open_sqlite()
        self.notes.append(f"{self.path}: the library index was damaged ({damage.reason}); "
                          f"moved it aside to {broken} and made a new one")

    def keep_in_memory(self, why: str) -> None:
        """Go on with a copy of the index in memory, where the file cannot be written (a
        read-only share): the sessions are read and listed as ever, the file is left as it is,
        and :attr:`unsaved` says why it was not saved (``why``). The copy is the file's whole
        content, brought up to this version's schema in memory when the file is older."""
        mem = sqlite3.connect(":memory:")
        conn = getattr(self, "conn", None)
        if conn is not None and not self._unmade and not self._newer:
            try:                                # its rows: only new and changed folders are read
                conn.rollback()
                mem.executescript("\n".join(conn.iterdump()))
            except sqlite3.Error as e:
                if self._index_error(e) is None:
                    raise
                mem.close()                     # (a file that could not even be read: none to copy)
                mem = sqlite3.connect(":memory:")
        if conn is not None:
            conn.close()
        self.conn = mem
        self._unmade = False
        self.unsaved = why
        self.migrate()

    def write_or_keep_in_memory(self, write: Callable[[], Any]) -> Any:
        """``write()`` (a change to the index); where the index file cannot be written (a
        read-only share), ``write()`` again on a copy kept in memory (:meth:`keep_in_memory`)."""
        try:
            return write()
        except IndexReadOnly as e:
            if self.unsaved is not None:
                raise
            self.keep_in_memory(str(e))
            return write()

    # --- plumbing -----------------------------------------------------------------------------
    def _sql(self, q: str) -> str:
        return q.replace("?", "%s") if self.pg else q

    def execute(self, q: str, params: tuple = ()) -> list[tuple]:
        with self._errors():
            cur = self.conn.cursor()
            try:
                cur.execute(self._sql(q), params)
                return cur.fetchall() if cur.description else []
            finally:
                cur.close()

    def commit(self) -> None:
        with self._errors():
            self.conn.commit()

    def version(self) -> int:
        self.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT)")
        rows = self.execute("SELECT MAX(version) FROM schema_migrations")
        return int(rows[0][0] or 0)

    def migrate(self) -> None:
        """Apply every migration newer than the index's version, all in one transaction, one
        station at a time: two stations opening a new index at once made the same tables twice,
        and one of them failed with a traceback. PostgreSQL: an advisory lock held from reading
        the version to the commit; SQLite: a write lock taken once a migration is needed (an
        index that is up to date stays readable on a read-only share)."""
        if self.pg:
            self.execute("SELECT pg_advisory_xact_lock(?)", (PG_MIGRATION_LOCK,))
        v = self.version()
        if not self.pg or v >= SCHEMA_VERSION:
            self.commit()
        if v > SCHEMA_VERSION:
            self._newer = True
            raise IndexNewer(f"{self.db}: library index version {v} is newer than this gradecoach "
                             f"({SCHEMA_VERSION}), left as it is (the newer gradecoach may keep in it what the "
                             f"session folders do not); upgrade gradecoach, or give --db FILE for an index of "
                             f"this version's own")
        if v == SCHEMA_VERSION:
            return
        if not self.pg:
            with self._errors():
                self.conn.execute("BEGIN IMMEDIATE")    # waits for another process migrating it
            v = self.version()                      # ... which may have done it all meanwhile
        try:
            for n in range(v + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[n]:
                    self.execute(stmt)
                self.execute("INSERT INTO schema_migrations (version, applied) VALUES (?, ?)",
                             (n, time.strftime("%Y-%m-%dT%H:%M:%S")))
            self.commit()
        except Exception:
            with self._errors():
                self.conn.rollback()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ------------------------------------------------------------------------------
    def rows(self, trainee: str | None = None) -> list[dict[str, Any]]:
        """All rows (``path`` made absolute), oldest first (by the instant each was recorded,
        :func:`time_key`); optionally one trainee's.

        ``trainee`` matches whatever the case, accents, spacing and Unicode form ("anna" finds
        "Anna" and "Anna ", "zeynep celik" "Zeynep Çelik", as ``report --trainee`` and the
        review's filter find them), as names are typed by hand at each recording (see
        :func:`name_key`); compared in Python because SQL's LOWER folds ASCII only ("Chloé").
        """
        out = []
        want = None if trainee is None else name_key(trainee)
        for r in self.execute(f"SELECT {', '.join(COLUMNS)} FROM sessions"):
            d = dict(zip(COLUMNS, r))
            if want is not None and name_key(d["trainee"]) != want:
                continue
            d["folder"] = str(self.root / d["path"])
            out.append(d)
        return sorted(out, key=lambda d: (time_key(d["created"]), d["path"]))

    def copies(self) -> list[list[str]]:
        """The sessions indexed more than once: for each recording found in several folders (a
        folder copied by hand, a backup kept under the root), their paths, sorted; each is
        listed and counted in every report on the class."""
        by: dict[str, list[str]] = {}
        for path, fp in self.execute("SELECT path, fingerprint FROM sessions"):
            by.setdefault(fp, []).append(path)
        return sorted(sorted(paths) for paths in by.values() if len(paths) > 1)

    def trainees(self) -> list[str]:
        """Each trainee once, as :meth:`rows` matches them (whatever the case, accents, spacing
        and Unicode form), under the spelling most of their sessions have (:func:`spellings`);
        sorted ignoring case and accents (:func:`sort_key`)."""
        names = spellings(self.execute("SELECT trainee, created FROM sessions"))
        return sorted(names.values(), key=sort_key)

    # --- writing ------------------------------------------------------------------------------
    def _upsert(self, row: dict[str, Any]) -> None:
        if not self.pg and self._unmade:
            self._make_file()
        cols = ", ".join(COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        sets = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "path")
        self.execute(f"INSERT INTO sessions ({cols}) VALUES ({marks}) ON CONFLICT (path) DO UPDATE SET {sets}",
                     tuple(row.get(c) for c in COLUMNS))

    def refresh(self, progress: Callable[[int, int, str], None] | None = None,
                read: Callable[[Path, Path], dict[str, Any]] | None = None) -> RefreshResult:
        """Bring the index up to date with the folders under the root.

        Only new and changed folders are read: ``progress(i, n, path)`` is called before
        reading the i-th (from 0) of those ``n``, and ``(n, n, "")`` at the end.
        ``read(folder, root)`` makes a folder's row (default :func:`index_row`; the review
        window runs it on a worker thread). Each row is committed as it is read.
        """
        read = read or index_row
        if not self.pg and self._unmade and os.path.exists(self.path):
            self._make_file()                   # another station made it meanwhile: its rows are used
        res = RefreshResult()
        known = {p: (fp, sig) for p, fp, sig in self.execute("SELECT path, fingerprint, signature FROM sessions")}
        folders = discover(self.root)
        found = {f.relative_to(self.root).as_posix(): f for f in folders}
        gone = {p: known[p][0] for p in known if p not in found}
        todo = []
        for rel, folder in found.items():
            if rel in known and known[rel][1] is not None and known[rel][1] == _signature(folder):
                res.unchanged += 1
            else:
                todo.append((rel, folder))
        for i, (rel, folder) in enumerate(todo):
            if progress:
                progress(i, len(todo), rel)
            try:
                row = read(folder, self.root)
            except InputError as e:
                res.failed.append(str(e))
                if rel in known:                # its old numbers no longer match its files (as after rebuild)
                    self.execute("DELETE FROM sessions WHERE path = ?", (rel,))
                    self.commit()
                    res.dropped += 1
                continue
            if rel in known:
                res.updated += 1
            else:
                old = next((p for p, fp in gone.items() if fp == row["fingerprint"]), None)
                if old is not None:          # the same recording, moved by hand
                    self.execute("DELETE FROM sessions WHERE path = ?", (old,))
                    del gone[old]
                    res.moved += 1
                else:
                    res.added += 1
            self._upsert(row)
            self.commit()
        for p in gone:
            self.execute("DELETE FROM sessions WHERE path = ?", (p,))
            res.dropped += 1
        self.commit()
        if progress:
            progress(len(todo), len(todo), "")
        return res

    def update(self, folder: str | os.PathLike) -> None:
        """Index one session folder under the root again (it was changed from here, e.g. a
        saved analysis), without looking at the others."""
        folder = Path(folder).resolve()
        if self.root not in folder.parents:               # not one of this library's sessions
            return
        self._upsert(index_row(folder, self.root))
        self.commit()

    def rebuild(self, progress: Callable[[int, int, str], None] | None = None,
                read: Callable[[Path, Path], dict[str, Any]] | None = None) -> RefreshResult:
        """Forget every row and index the folders again (a damaged SQLite index is moved aside);
        ``progress`` and ``read`` as for :meth:`refresh`."""
        if not self.pg:
            try:
                self._check()
            except IndexDamaged as e:
                self._start_afresh(e)
        self.execute("DELETE FROM sessions")
        self.commit()
        return self.refresh(progress, read)
