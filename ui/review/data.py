"""A session opened for review: data, events, re-analysis, comments. No Qt.

Opening is fast for long recordings: a clean, complete session is read with the fast force
reader and its stored events; anything else (truncated, corrupt rows, no events) goes
through :func:`firmware_bridge.replay.load_input`, which skips what is torn and says so.
The raw data is never written; ``events.jsonl`` only when the user saves a re-analysis;
``session.json`` only for comments and for the calibration of a saved re-analysis.

This module opens, re-analyses and saves a session (:class:`ReviewSession`) and its comments;
what is said of it in words is in :mod:`ui.review.details` (an event's and the session's
details), :mod:`ui.review.pops` (its pops and pop window, the events as stored) and
:mod:`ui.review.cut_files` (stream files cut short after the recording), whose names others
import from here too.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import InputError
from analysis.scheme import GradingScheme
from firmware_bridge import json_text
from firmware_bridge.replay import ReplayInput, analyze_input, load_input
from firmware_bridge.replay.inputs import RECORDED_SPANS
from firmware_bridge.session import SessionMeta
from firmware_bridge.session_meta import finite_number
from firmware_bridge.session_scheme import stored_min_amplitude, stored_thrust_scheme
from firmware_bridge.shared_write import folder_lock, write_beside
from ui.library import short_date, use_stored_events
from ui.review.cut_files import (_recorded_spans, cut_stretch_words, cut_streams, not_in_file, not_in_file_row,
                                 not_in_file_tip, not_in_file_words)
from ui.review.details import (DEFAULT_ALPHA, HVLA_SCORE, count_cycles, describe, describe_calibration,
                               describe_feedback, describe_imu, describe_screen_changes, describe_session,
                               describe_stopped, distinct_names, recorded_with, screen_changes, screen_then,
                               thrust_target)
from ui.review.pops import NO_SOUND, describe_pops_heard, pop_window_s, stored_events
from ui.review.trace import ForceScale, force_scale, gap_spans, imu_movement

__all__ = ["DEFAULT_ALPHA", "HVLA_SCORE", "NO_SOUND", "ReviewSession", "add_comment", "analyse_events",
           "apply_reanalysis", "check_calibration", "count_cycles", "cut_stretch_words", "cut_streams", "describe",
           "describe_calibration", "describe_feedback", "describe_imu", "describe_pops_heard",
           "describe_screen_changes", "describe_session", "describe_stopped", "distinct_names", "imu_only",
           "merge_warnings", "not_in_file", "not_in_file_row", "not_in_file_tip", "not_in_file_words",
           "open_review", "pop_window_s", "recorded_with", "save_analysis", "screen_changes", "screen_then",
           "short_date", "stored_events", "thrust_target"]


@dataclass
class ReviewSession:
    """One session in the review window. ``events`` are dicts (the events.jsonl form)."""

    path: Path
    inp: ReplayInput
    raw_meta: dict
    events: list
    source: str                       # "stored" | "analysis" | "re-analysis"
    warnings: list = field(default_factory=list)
    dirty: bool = False               # a re-analysis not yet saved
    scale: ForceScale | None = None   # what the force plots span (None: no force)
    # with no force, the hand's movement (mm) from a worn IMU, ``(t_s, disp_mm)``: what the plots
    # show (None until computed: see :func:`open_review`)
    movement: tuple | None = None

    @property
    def imu_only(self) -> bool:
        """No force recorded, a worn IMU's data: the hand's movement is shown instead."""
        return imu_only(self.inp)

    @property
    def meta(self) -> SessionMeta:
        return self.inp.meta or SessionMeta()

    @property
    def comments(self) -> list[dict]:
        """The comments that can be shown: an entry without a time or text (edited by hand) is
        left out here, as on reading session.json, but kept in the file."""
        raw = self.raw_meta.get("comments")
        return [c for c in raw if _usable_comment(c)] if isinstance(raw, list) else []

    @property
    def summary(self) -> dict | None:
        return next((e for e in reversed(self.events) if e.get("type") == "summary"), None)

    @property
    def shown_warnings(self) -> list[str]:
        """The warnings the review shows, each once: those found on opening (``warnings``), then
        those the summary of the events shown keeps (the stored one's, as the report and replay
        give them: "recording stopped early…", samples lost, sound unreadable after some
        seconds; a re-analysis's own)."""
        kept = (self.summary or {}).get("warnings")
        kept = [str(w) for w in kept] if isinstance(kept, list) else []     # (edited by hand: not a list)
        return merge_warnings(self.warnings, kept, self.path)

    def of_type(self, kind: str) -> list[dict]:
        return [e for e in self.events if e.get("type") == kind]

    @property
    def gaps(self):
        """The recording's signal gaps, ``(k, 2)`` spans in seconds, overlapping marks of one
        gap merged (see :func:`ui.review.trace.gap_spans`)."""
        return gap_spans(self.events, self.meta.gaps)

    @property
    def force_gaps(self):
        """The gaps in the force: where its line is broken."""
        return gap_spans(self.events, self.meta.gaps, stream="force")


def merge_warnings(found, kept, folder: str | os.PathLike) -> list[str]:
    """The warnings found on opening ``folder`` (``found``), then those its stored analysis
    kept (``kept``), each once. A kept warning that differs from a found one only in the folder
    it names is the same warning said when the folder was elsewhere (moved or renamed since its
    analysis was saved: "…/old/ana/audio.wav: audio lost…" beside "…/ana/audio.wav: audio
    lost…"): it is left out, the one naming the folder where it is now kept. Any other
    difference (another file, another count) keeps both."""
    found = list(dict.fromkeys(str(w) for w in found))
    out = list(found)
    for w in dict.fromkeys(str(w) for w in kept):
        if w not in out and not any(_moved_copy(w, f, str(Path(folder))) for f in found):     # ("ana/": "ana")
            out.append(w)
    return out


def _moved_copy(kept: str, found: str, folder: str) -> bool:
    """Whether ``kept`` is ``found`` with another folder path where ``found`` names ``folder``
    (a folder opened as "." names its files without it: ``found`` then follows the other path)."""
    splits = []
    if folder in ("", "."):
        splits.append(("", found, True))
    else:
        i = found.find(folder)
        while i >= 0:
            nxt = found[i + len(folder):i + len(folder) + 1]
            if nxt == "" or not (nxt.isalnum() or nxt in "_-."):         # (not "ana" inside "ana10")
                splits.append((found[:i], found[i + len(folder):], False))
            i = found.find(folder, i + 1)
    for before, after, bare in splits:
        if len(kept) > len(before) + len(after) and kept.startswith(before) and kept.endswith(after):
            path = kept[len(before):len(kept) - len(after)]
            if "\n" not in path and (not bare or path.endswith(("/", "\\"))):
                return True
    return False


def imu_only(inp: ReplayInput) -> bool:
    """Whether a recording holds no force but a worn IMU's data (the review and the report show
    the hand's movement, and its calibration grades nothing)."""
    f, imu = inp.force, inp.imu
    return (f is None or not len(f.values)) and imu is not None and len(imu.t_s) > 0


def _usable_comment(c) -> bool:
    return isinstance(c, dict) and finite_number(c.get("t_s")) and isinstance(c.get("text", ""), str)


def open_review(path: str | os.PathLike, movement: bool = True) -> ReviewSession:
    """Open a session folder for review; a damaged one opens with warnings (InputError if
    nothing at all can be read). With no force, the hand's movement is computed from a worn
    IMU's whole recording (seconds for an hour) unless ``movement`` is False (a view that does
    not draw it)."""
    path = Path(path)
    inp = load_input(path)
    mp = path / "session.json"
    try:
        # (utf-8-sig: a session.json saved with a byte order mark, as Windows Notepad does, read
        # as replay reads it)
        raw = json_text.loads(mp.read_text(encoding="utf-8-sig")) if mp.exists() else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        raw = {}
    meta = inp.meta or SessionMeta()
    if use_stored_events(inp, meta, path):
        events, source = stored_events(inp, meta), "stored"
    else:
        events, source = _analyse(inp, meta.r1_n, meta.r2_n, meta.alpha, meta.target, meta), "analysis"
    rs = ReviewSession(path, inp, raw, events, source, list(inp.warnings))
    f = inp.force
    if f is not None and len(f.values):
        rs.scale = force_scale(f.values)
        note = rs.scale.note(f.t_s, f.values)
        if note:
            rs.warnings.append(note)
    elif movement and inp.imu is not None and len(inp.imu.t_s):
        rs.movement = imu_movement(inp.imu)
    return rs


def _scheme(r1, r2, alpha, target) -> GradingScheme:
    scheme = GradingScheme(r1, r2, alpha=alpha if alpha is not None else 0.5)
    return scheme.with_target(target) if target else scheme


def _analyse(inp: ReplayInput, r1, r2, alpha, target, meta=None) -> list[dict]:
    """The events of ``inp`` graded with this calibration and the fixed minimum amplitude the
    session was recorded with, its pops tied with the pop window it was recorded with (``meta``'s,
    when it kept them)."""
    scheme = _scheme(r1, r2, alpha, target).with_min_amplitude(stored_min_amplitude(meta)[0])
    return [e.to_dict() for e in analyze_input(inp, scheme, stored_thrust_scheme(meta))]


def check_calibration(r1_n: float | None, r2_n: float | None, alpha: float, target: str | None = None) -> None:
    """A one-line InputError for a calibration the analysis would refuse (quick, before any work)."""
    _scheme(r1_n, r2_n, alpha, target)


def analyse_events(rs: ReviewSession, r1_n, r2_n, alpha, target=None) -> list[dict]:
    """The events of a re-analysis, without touching ``rs`` (safe on a worker thread)."""
    return _analyse(rs.inp, r1_n, r2_n, alpha, target if target is not None else rs.meta.target, rs.meta)


def apply_reanalysis(rs: ReviewSession, events: list[dict], r1_n, r2_n, alpha, target=None) -> None:
    if target is None:
        target = rs.meta.target
    rs.events = events
    rs.source = "re-analysis"
    rs.dirty = True
    rs.raw_meta["_pending"] = {"r1_n": r1_n, "r2_n": r2_n, "alpha": alpha, "target": target}


def _write_tmp(path: Path, text: str) -> Path:
    """``text`` into a file of this save's own beside ``path`` (another station saving at the
    same moment writes its own), to be moved over it; a folder that cannot be written (a
    read-only share, a full disk) is a one-line InputError and leaves nothing beside it."""
    try:
        return write_beside(path, text)
    except OSError as e:
        raise InputError(f"{path}: cannot save ({e.strerror or e})") from None


def _discard(tmp: Path) -> None:
    """Remove the file of a save that failed before it was moved. What cannot be removed is
    left, as the failure is said anyway."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass                                        # (the save's own error is the one to tell)


def _move(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as e:
        raise InputError(f"{path}: cannot save ({e.strerror or e})") from None


def _json_text(d: dict) -> str:
    return json.dumps(d, indent=2) + "\n"


def _reread_meta(rs: ReviewSession) -> dict:
    """``rs.raw_meta`` made current from session.json just before it is rewritten, so what
    another review station saved since this one opened the session (a comment, a saved
    re-analysis) is kept; this station's unsaved state (keys starting with ``_``) stays. A
    session.json that is there but not a JSON object (edited by hand and broken) is an InputError:
    written over, its trainee, calibration and notes were gone."""
    mp = rs.path / "session.json"
    try:
        disk = json_text.loads(mp.read_text(encoding="utf-8-sig"))
    except OSError:
        disk = None                                 # unreadable now: the copy read on opening
    except json.JSONDecodeError as e:
        raise InputError(f"{mp}:{e.lineno}: not valid JSON ({e.msg}); correct it by hand first") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{mp}: not UTF-8 text (byte {e.start}); correct it by hand first") from None
    if disk is not None and not isinstance(disk, dict):
        raise InputError(f"{mp}: not a JSON object; correct it by hand first")
    if isinstance(disk, dict):
        mine = {k: v for k, v in rs.raw_meta.items() if k.startswith("_")}
        rs.raw_meta.clear()
        rs.raw_meta.update(disk, **mine)
    return rs.raw_meta


def _meta_to_write(rs: ReviewSession) -> dict:
    return {k: v for k, v in rs.raw_meta.items() if not k.startswith("_")}


def _kept_cut_short(rs: ReviewSession) -> list:
    """The events of a re-analysis to save, its summary keeping what tells that a stream file was
    cut short after the recording (:func:`cut_streams`): the spans the recording had
    (:data:`RECORDED_SPANS`, beside its own ``spans_s``, those of what the files hold) and replay's
    line in its warnings. Without them a saved summary, ending where the file ends, told nothing of
    it once the session was opened again (the review reads the end recorded from the summary)."""
    cuts = cut_streams(rs)
    summary = rs.summary
    if not cuts or summary is None:
        return rs.events
    had = _recorded_spans(rs.inp.events)
    kept = dict(summary)
    kept[RECORDED_SPANS] = {c.name: had[c.name] for c in cuts}
    warnings = [str(w) for w in summary.get("warnings")] if isinstance(summary.get("warnings"), list) else []
    kept["warnings"] = warnings + [c.line for c in cuts if c.line not in warnings]
    i = max(k for k, e in enumerate(rs.events) if e is summary)
    return rs.events[:i] + [kept] + rs.events[i + 1:]


def save_analysis(rs: ReviewSession) -> None:
    """Write a re-analysis: events.jsonl replaced, the new calibration into session.json (the
    one used while recording kept as ``recorded_calibration``). Raw data is untouched. A stream
    file cut short after the recording stays said so (:func:`_kept_cut_short`). A folder no
    longer there (renamed or moved since it was opened) is said so (:func:`folder_gone`), the
    re-analysis kept, unsaved."""
    pending = rs.raw_meta.get("_pending")
    if not rs.dirty or pending is None:
        return
    _still_there(rs, "analysis")
    events = _kept_cut_short(rs)
    ep, mp = rs.path / "events.jsonl", rs.path / "session.json"
    with folder_lock(rs.path):                      # (another station's save waits, then reads this one's)
        try:
            _reread_meta(rs)
        except InputError as e:
            raise InputError(f"analysis not saved: {e}") from None
        new = _meta_to_write(rs)
        new.setdefault("recorded_calibration", {k: new.get(k) for k in ("r1_n", "r2_n", "alpha", "target")})
        new.update(pending)
        # both written beside the originals first: a folder that cannot be written changes neither,
        # and the re-analysis stays on screen, unsaved, to be saved again
        tmps = []
        try:
            tmps.append(_write_tmp(ep, "".join(json.dumps(e) + "\n" for e in events)))
            tmps.append(_write_tmp(mp, _json_text(new)))
            _move(tmps[0], ep)
            _move(tmps[1], mp)
        except InputError as e:
            raise InputError(f"analysis not saved: {e}") from None
        finally:
            for t in tmps:                           # none left behind, whatever failed
                _discard(t)
    rs.raw_meta.clear()
    rs.raw_meta.update(new)
    rs.events = events
    rs.inp.meta = SessionMeta.from_dict(new)
    rs.dirty = False
    rs.source = "stored"


def folder_gone(folder: str | os.PathLike) -> str:
    """What the review says of a session whose folder is no longer where it was opened from
    (renamed, moved or deleted meanwhile, by hand or at another station)."""
    return f"{folder}: the folder is no longer there (renamed or moved?): press Refresh (F5)"


def _still_there(rs: ReviewSession, what: str) -> None:
    """An InputError saying ``what`` ("comment", "analysis") was not saved when the session's
    folder, or its session.json, is no longer there: written, a save made a file that was not
    there or failed on "No such file or directory"."""
    if not rs.path.is_dir():
        raise InputError(f"{what} not saved: {folder_gone(rs.path)}")
    if not (rs.path / "session.json").exists():
        raise InputError(f"{what} not saved: {rs.path}: its session.json is no longer there (moved or deleted?)")


def add_comment(rs: ReviewSession, t_s: float, text: str, author: str = "") -> dict:
    """Append a comment at ``t_s`` seconds and save it into session.json at once; a folder no
    longer there (renamed or moved since it was opened) is said so (:func:`folder_gone`)."""
    text = text.strip()
    if not text:
        raise InputError("a comment needs some text")
    _still_there(rs, "comment")
    c = {"t_s": round(float(t_s), 3), "text": text, "author": author}
    mp = rs.path / "session.json"
    # read, added to and written while no other station (nor the recorder) does the same: each
    # adds to what the one before saved
    with folder_lock(rs.path):
        try:
            have = _reread_meta(rs).setdefault("comments", [])
        except InputError as e:
            raise InputError(f"comment not saved: {e}") from None
        if not isinstance(have, list):              # (not ours to replace: said, and kept)
            raise InputError(f"comment not saved: {mp}: its comments are not a list; correct them by hand first")
        have.append(c)
        # by time; entries without one (edited by hand) stay, first
        have.sort(key=lambda d: d["t_s"] if _usable_comment(d) else -math.inf)
        try:
            _move(_write_tmp(mp, _json_text(_meta_to_write(rs))), mp)
        except InputError as e:
            rs.raw_meta["comments"].remove(c)       # not saved: not shown as if it were
            raise InputError(f"comment not saved: {e}") from None
    return c
