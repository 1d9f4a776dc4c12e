"""A session opened for review: data, events, re-analysis, comments. No Qt.

Opening is fast for long recordings: a clean, complete session is read with the fast force
reader and its stored events; anything else (truncated, corrupt rows, no events) goes
through :func:`firmware_bridge.replay.load_input`, which skips what is torn and says so.
The raw data is never written; ``events.jsonl`` only when the user saves a re-analysis;
``session.json`` only for comments and for the calibration of a saved re-analysis.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.scheme import GradingScheme, parse_target
from firmware_bridge import json_text
from firmware_bridge.replay import ReplayInput, analyze_input, load_input
from firmware_bridge.replay.analyze import with_stored_audio_notes
from firmware_bridge.replay.inputs import (RECORDED_SPANS, CutStream, cut_short, recorded_ends, seconds_text,
                                           streams_cut_short)
from firmware_bridge.session import STOPPED_EARLY, SessionMeta, describe_stop
from firmware_bridge.session_meta import finite_number
from firmware_bridge.session_scheme import stored_min_amplitude, stored_pop_window, stored_thrust_scheme
from firmware_bridge.shared_write import folder_lock, write_beside
from ui.library import (ON_TARGET, cycles_shown, describe_target, describe_thrust_verdict, is_hvla, session_stats,
                        session_target, short_date, use_stored_events)
from ui.library.stats import NO_THRUST_DONE, count_cell
from ui.review.trace import ForceScale, describe_gaps, force_scale, gap_spans, imu_movement
from ui.table import describe_lengths, describe_letup, describe_settings, number_or_none, pct_text


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


def distinct_names(paths) -> list[str]:
    """Names to show for recordings side by side: each folder's or file's own name, with as
    many of its parent folders as it takes to tell apart two of the same name
    ("groupA/s1", "groupB/s1")."""
    parts = [Path(os.path.abspath(p)).parts[1:] for p in paths]     # (without the root)
    depth = [1] * len(parts)
    while True:
        names = ["/".join(pp[-d:]) for pp, d in zip(parts, depth)]
        owners: dict[str, set] = {}
        for n, pp in zip(names, parts):
            owners.setdefault(n, set()).add(pp)
        grow = [i for i, n in enumerate(names) if len(owners[n]) > 1 and depth[i] < len(parts[i])]
        if not grow:
            return names
        for i in grow:
            depth[i] += 1


def describe(e: dict[str, Any], aim=None) -> list[tuple[str, str]]:
    """Label/value pairs of one event for the details panel; a thrust against a V/HVLA target
    (``aim``, :func:`ui.library.session_target`) ends with whether it was on target, as the
    trainer judges it ("no — peak 702 N above 400–650 N")."""
    def f(v, spec="{:.1f}", unit=""):
        return "–" if v is None else spec.format(v) + unit       # (no unit after an unknown value)

    def kilo(v):
        return None if v is None or not math.isfinite(v) else v / 1000.0
    if e.get("type") == "cycle":
        g = (e.get("grade") or "ungraded") + (e.get("modifier") or "")
        return [("event", "cycle"), ("set", str(int(e.get("set_index", 0)) + 1)), ("grade", g),
                ("time", f"{e['t_start']:.2f}–{e['t_end']:.2f} s"), ("crest", f(e["crest_n"], unit=" N")),
                ("trough", f(e["trough_n"], unit=" N")), ("amplitude", f(e["amplitude_n"], unit=" N")),
                ("frequency", f(e["freq_hz"], "{:.2f}", unit=" Hz")),
                ("crest in R1–R2", "–" if e.get("crest_pct") is None else f"{pct_text(e['crest_pct'])} %"),
                # (an ungraded cycle: no R2 it could be checked against)
                ("beyond R2", "–" if e.get("grade") is None else "yes" if e.get("beyond_r2") else "no"),
                # a hand-worn IMU beside the force: how far the hand went into the tissue in it
                *([("hand moved", f(e["displacement_mm"], unit=" mm"))] if e.get("displacement_mm") is not None
                  else [])]
    if e.get("type") == "imu_cycle":
        # a hand-worn IMU's cycle: movement, no force, so no grade (as the trainer shows it)
        return [("event", "cycle (IMU)"), ("grade", IMU_NO_GRADE),
                ("time", f"{e['t_start']:.2f}–{e['t_end']:.2f} s"), ("crest at", f"{e['t_crest']:.2f} s"),
                ("hand moved", f(e.get("displacement_mm"), unit=" mm")),
                ("frequency", f(e.get("freq_hz"), "{:.2f}", unit=" Hz"))]
    if e.get("type") == "thrust":
        return [("event", "thrust"), ("number", str(int(e.get("index", 0)) + 1)),
                ("onset", f"{e['t_onset']:.3f} s"), ("peak at", f"{e['t_peak']:.3f} s"),
                ("preload", f(e["preload_n"], unit=" N")), ("peak", f(e["peak_n"], unit=" N")),
                # a hand-worn IMU's thrust: how far the hand went from onset to peak, as the trainer says
                *([("hand moved", f(e["displacement_mm"], unit=" mm"))] if e.get("displacement_mm") is not None else []),
                ("time to peak", f(e["time_to_peak_ms"], "{:.0f}", unit=" ms")),
                # an IMU's thrust: how long the hand accelerated (docs/imu.md), which may end before
                # the hand's deepest point; a force thrust's: until the force is back to half of it
                ("acceleration burst" if e.get("source") == "imu" else "duration",
                 f(e.get("duration_ms"), "{:.0f}", unit=" ms")),
                # the amplitude over the time to peak, named and written as the trainer's panels
                # give it ("mean rate 3.7 kN/s"); the steepest rate beside it in the same unit
                ("mean rate", f(kilo(e["rate_n_per_s"]), unit=" kN/s")),
                ("max rate", f(kilo(e["max_rate_n_per_s"]), unit=" kN/s")),
                # as measured, whether it counts after it ("flagged", "(under 7.7 N: none)"); an IMU's
                # thrust has no forces: its let-up is unknown
                ("let-up", describe_letup(e.get("letup_n"), bool(e.get("letup")), unit=" N",
                                          preload_n=number_or_none(e.get("preload_n")))),
                *([(ON_TARGET, describe_thrust_verdict(e, aim))] if aim is not None else [])]
    if e.get("type") == "cavitation":
        return [("event", "pop"), ("time", f"{e['t']:.3f} s"), ("level", f(e.get("level_db"), unit=" dB")),
                ("thrust", "–" if e.get("thrust") is None else str(int(e["thrust"]) + 1)),
                ("confidence", f(e.get("confidence"), "{:.2f}")),
                ("duration", f(e.get("duration_ms"), unit=" ms")),
                ("peak frequency", f(e.get("peak_hz"), "{:.0f}", unit=" Hz")),
                ("why", str(e.get("reason") or "–"))]
    return [(k, str(v)) for k, v in e.items()]


# an IMU's cycle has no grade: grades are read against R1 and R2, forces, which it cannot weigh
IMU_NO_GRADE = "– (no force: grades need force)"


def describe_imu(events: list[dict]) -> str:
    """The hand-worn IMU's cycles in a few words: "19, 1.6 mm and 1.55 Hz on average"."""
    from ui.table import mean_movement
    cyc = [e for e in events if e.get("type") == "imu_cycle"]
    if not cyc:
        return "none"
    mm, hz = mean_movement(cyc)
    return f"{len(cyc)}" + (f", {mm:.1f} mm and {hz:.2f} Hz on average" if mm is not None and hz is not None else "")


def count_cycles(events: list[dict], n_force: int | None) -> str:
    """A recording's cycles counted in a few characters (:func:`ui.library.cycles_shown`): the
    force's (``n_force``); with none but a hand-worn IMU's in ``events``, those ("16 (IMU)")."""
    return cycles_shown(n_force, sum(e.get("type") == "imu_cycle" for e in events))


# after a calibration recorded with no force (a hand-worn IMU alone): nothing was graded with it
CALIBRATION_UNUSED = "not used: no force recorded"


def describe_calibration(r1_n, r2_n, alpha=None, *, spec: str = "{:.0f}", force: bool = True) -> str:
    """A calibration in words, as the review's details and the report give it: "R1 40 N, R2 120 N"
    (``spec`` formats the newtons; ", alpha 0.5" after them when ``alpha`` is given). One recorded
    with no force (``force`` False: a hand-worn IMU alone), with which nothing was graded, says so:
    "R1 40 N, R2 120 N (not used: no force recorded)"."""
    def n(v) -> str:
        return "–" if v is None else spec.format(v)
    words = f"R1 {n(r1_n)} N, R2 {n(r2_n)} N" + ("" if alpha is None else f", alpha {alpha:g}")
    return words if force else f"{words} ({CALIBRATION_UNUSED})"


RECORDED_WITH = "recorded with"     # the details' (and the report's) row of the calibration practised against


def recorded_with(raw: dict, meta: SessionMeta | None, r1_n, r2_n, alpha=None, target: str | None = None, *,
                  spec: str = "{:.0f}", with_alpha: bool = False) -> list[tuple[str, str]]:
    """The session details' (and the report's) row of the calibration the trainee practised
    against, when the grades shown were graded with another (a re-analysis, saved or not, or the
    report's ``--r1/--r2/--alpha/--target``): ``("recorded with", "R1 40 N, R2 120 N
    (re-analysed)")``, its target named first where that differs too, its alpha after it where
    not 0.5 (always with ``with_alpha``, as the report's calibration gives it). The recording's own is
    session.json's ``recorded_calibration`` once a re-analysis was saved (``raw``), else its
    calibration. None when the grades shown are the recording's own."""
    if meta is None:
        return []
    rec = raw.get("recorded_calibration") if isinstance(raw.get("recorded_calibration"), dict) else {}
    own = (number_or_none(rec.get("r1_n", meta.r1_n)), number_or_none(rec.get("r2_n", meta.r2_n)))
    own_alpha = number_or_none(rec.get("alpha", meta.alpha))
    own_target = _target_text(rec.get("target", meta.target))
    now = (number_or_none(r1_n), number_or_none(r2_n))

    def same(a, b) -> bool:
        return (a is None) == (b is None) and (a is None or abs(a - b) < 1e-6)
    a_own = DEFAULT_ALPHA if own_alpha is None else own_alpha
    a_now = DEFAULT_ALPHA if number_or_none(alpha) is None else number_or_none(alpha)
    other_target = target is not None and own_target != _target_text(target)     # (HVLA is V, iii is III)
    if all(same(x, y) for x, y in zip(own, now)) and same(a_own, a_now) and not other_target:
        return []
    cal = (describe_calibration(*own, a_own if with_alpha or a_own != DEFAULT_ALPHA else None, spec=spec)
           if all(v is not None for v in own) else "no calibration")
    aim = (f"target {own_target}, " if own_target else "no target, ") if other_target else ""
    return [(RECORDED_WITH, f"{aim}{cal} (re-analysed)")]


def _target_text(text) -> str | None:
    """A target as the grades word it ("V" for "hvla", "III" for "iii"); None for none, or for a
    stored one that is not a target (session.json edited by hand)."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        grade, modifier = parse_target(text)
    except InputError:
        return None
    return grade + (modifier or "")


def screen_changes(raw: dict, meta: SessionMeta) -> list[tuple[float, str, bool]]:
    """What the trainer's screen graded with where it differed from the recording's own settings
    (session.json's ``extra.screen_changes``, format.md): ``(t_s, settings in words, own)`` per
    change in time order, ``own`` True for a change back to the recording's own settings. Entries
    without a usable time (edited by hand) are left out."""
    changes = meta.extra.get("screen_changes")
    if not isinstance(changes, list):
        return []
    # the recording's own: as recorded, also after a saved re-analysis changed the folder's calibration
    rec = raw.get("recorded_calibration") if isinstance(raw.get("recorded_calibration"), dict) else {}
    own_r = (number_or_none(rec.get("r1_n", meta.r1_n)), number_or_none(rec.get("r2_n", meta.r2_n)))
    own_detail = meta.extra.get("target_detail") if isinstance(meta.extra.get("target_detail"), dict) else None
    own_text = rec.get("target", meta.target) or ""
    out = []
    for c in sorted((c for c in changes if isinstance(c, dict) and number_or_none(c.get("t_s")) is not None),
                    key=lambda c: c["t_s"]):
        detail = c.get("target_detail") if isinstance(c.get("target_detail"), dict) else {}
        same_target = detail == own_detail if own_detail is not None else (detail.get("text") or "") == own_text
        own = same_target and (number_or_none(c.get("r1_n")), number_or_none(c.get("r2_n"))) == own_r
        out.append((number_or_none(c["t_s"]), describe_settings(detail, c.get("r1_n"), c.get("r2_n")), own))
    return out


def describe_screen_changes(raw: dict, meta: SessionMeta, own_shown: bool | None = None) -> list[tuple[str, str]]:
    """The session details' (and the report's) rows of :func:`screen_changes`: ``("screen from
    15.0 s", "target IV-, R1 30 N, R2 100 N")`` per change; one back to the recording's own
    settings says so ("the recording's own again"), and names them too unless ``own_shown`` (the
    rows above show the recording's own target and calibration; by default, unless a saved
    re-analysis changed those)."""
    plain = not isinstance(raw.get("recorded_calibration"), dict) if own_shown is None else own_shown
    return [(f"screen from {t:.1f} s", ("the recording's own again" + ("" if plain else f": {words}")) if own
             else words) for t, words, own in screen_changes(raw, meta)]


def feedback_changes(extra: dict) -> list[tuple[float | None, str]]:
    """The feedback schedules the trainer showed while recording (session.json's ``extra.feedback``
    and ``extra.feedback_changes``), as ``(from_s, schedule)`` in time order, the first from None
    (the start): each as ``gradecoach screenshot`` takes the one shown at a time
    (:func:`ui.cmd_screenshot.feedback_at`), a change to the schedule already shown left out. A
    name this gradecoach does not know is kept, said to be unknown ("summary (a schedule this
    version does not know)"), not shown as the concurrent one the screenshot falls back to.
    None at all for a recording the trainer did not make (``gradecoach record``: no grade shown)."""
    from ui.cmd_screenshot import feedback_at
    changes = extra.get("feedback_changes")
    changes = changes if isinstance(changes, list) else []
    if extra.get("feedback") is None and not changes:
        return []
    from ui.trainer.feedback import MODES
    shown = [(None, feedback_at(extra, -math.inf, known_only=False))]
    times = sorted({float(ch["t_s"]) for ch in changes if isinstance(ch, dict) and finite_number(ch.get("t_s"))})
    for t in times:
        now = feedback_at(extra, t, known_only=False)
        if now != shown[-1][1]:
            shown.append((t, now))
    return [(t, m if m in MODES else f"{m[:40]} (a schedule this version does not know)") for t, m in shown]


def describe_feedback(extra: dict) -> list[tuple[str, str]]:
    """The session details' (and the report's) rows of the feedback schedules a recording was
    practised with (:func:`feedback_changes`), named as the trainer names them: ``("feedback",
    "terminal")``, then ``("feedback from 12.5 s", "blind")`` per change."""
    return [("feedback" if t is None else f"feedback from {t:.1f} s", mode) for t, mode in feedback_changes(extra)]


def screen_then(raw: dict, meta: SessionMeta, t_s: float) -> str | None:
    """What the trainer's screen graded with at recording time ``t_s`` (:func:`screen_changes`)
    when that was not the recording's own settings, else None."""
    now = [(words, own) for t, words, own in screen_changes(raw, meta) if t <= t_s]
    return now[-1][0] if now and not now[-1][1] else None


def describe_stopped(meta: SessionMeta | None) -> list[tuple[str, str]]:
    """The session details' (and the report's) row of a recording that stopped early because
    its folder refused a write (session.json's ``extra.stopped``): ``("stopped early", "at
    12.3 s: disk full, force.csv")``, worded as replay's warning words it
    (:func:`firmware_bridge.session.describe_stop`); none for one that did not."""
    words = describe_stop(meta.extra.get("stopped"), row=True) if meta is not None else None
    return [(STOPPED_EARLY, words)] if words else []


CUT_SHORT = "cut short"     # the details' row of a finished session whose stream file was cut short after
FIGURES = "figures"         # ... and the row after it: whose figures the details and the event list give




# (the saved summary of a re-analysis of such a session: RECORDED_SPANS, the stream spans the
# recording had, beside its own ``spans_s``, those of what the files hold)


def _recorded_spans(events: list) -> dict:
    """The stream spans the recording had, as the last summary of ``events`` keeps them: those a
    saved re-analysis of a file cut short kept (:data:`RECORDED_SPANS`) over its own."""
    s = next((e for e in reversed(events or ()) if isinstance(e, dict) and e.get("type") == "summary"), None)
    if s is None:
        return {}
    spans = dict(s["spans_s"]) if isinstance(s.get("spans_s"), dict) else {}
    if isinstance(s.get(RECORDED_SPANS), dict):
        spans.update(s[RECORDED_SPANS])
    return spans


def cut_streams(rs: ReviewSession) -> list[CutStream]:
    """The stream files (force, IMU) of a finished recording that end before its stored summary
    recorded (:func:`firmware_bridge.replay.inputs.cut_short`); none for a recording not said
    finished or whose files end where it recorded them. Reads nothing: what was read on opening."""
    if not rs.meta.complete:
        return []
    return streams_cut_short(rs.path, rs.meta, rs.inp.events, {"force": rs.inp.force, "imu": rs.inp.imu})


def describe_cut_short(rs: ReviewSession) -> list[tuple[str, str]]:
    """The session details' rows of a finished recording whose force.csv or imu.csv ends before
    its stored summary recorded (:func:`cut_streams`: cut short after the recording, at a line
    end: a copy broken off, a disk error), each file's end against the recording's as replay's
    warning gives them, and whose figures are shown: ``[("cut short", "force.csv ends at 6.73 s
    of 11.24 s"), ("figures", "the whole recording's, as stored")]``, or, where the events shown
    were analysed from what the file holds (a re-analysis, saved or not, another calibration),
    "of what the file holds". None at all for a recording not said finished (said otherwise) or
    whose files end where it recorded them. Reads nothing: what was read on opening."""
    cuts = cut_streams(rs)
    if not cuts:
        return []
    shown = recorded_ends(rs.events, own=True)       # (the spans of the summary of the events shown)
    whole = any(c.name in shown and cut_short(Path(c.file), c.end_s, shown[c.name], c.rate_hz, c.skipped) is not None
                for c in cuts)
    n = len(cuts)
    return [(CUT_SHORT, "; ".join(f"{c.file} ends at {seconds_text(c.end_s)} s of {seconds_text(c.recorded_s)} s"
                                  for c in cuts)),
            (FIGURES, "the whole recording's, as stored" if whole
             else f"of what the file{'' if n == 1 else 's'} hold{'s' if n == 1 else ''}")]


def _event_stream(e: dict) -> str | None:
    """The stream an event was found in: a cycle's the force, an IMU's cycle or thrust the IMU's."""
    kind = e.get("type")
    if kind == "cycle" or (kind == "thrust" and e.get("source") != "imu"):
        return "force"
    if kind == "imu_cycle" or kind == "thrust":
        return "imu"
    return None                                     # (a pop: the sound's, which is not cut short here)


def not_in_file(cuts: list[CutStream], e: dict, t_s: float) -> CutStream | None:
    """Of the stream files cut short (``cuts``, :func:`cut_streams`), the one that no longer
    holds the event ``e`` at ``t_s`` (a stored cycle recorded after where the file now ends), or
    None."""
    stream = _event_stream(e)
    return next((c for c in cuts if c.name == stream and t_s > c.end_s), None)


def not_in_file_words(c: CutStream, kind: str, t_s: float) -> str:
    """What the review says on selecting a ``kind`` ("cycle") at ``t_s`` that the file ``c`` no
    longer holds: "cycle at 7.62 s: force.csv no longer holds it (the file ends at 6.73 s of the
    11.24 s recorded); its figures are the stored summary's"."""
    return (f"{kind} at {t_s:.2f} s: {c.file} no longer holds it (the file ends at {seconds_text(c.end_s)} s of the "
            f"{seconds_text(c.recorded_s)} s recorded); its figures are the stored summary's")


def not_in_file_row(c: CutStream) -> tuple[str, str]:
    """The details' row of such an event: ``("in force.csv", "no longer: it ends at 6.73 s;
    figures as stored")``."""
    return f"in {c.file}", f"no longer: it ends at {seconds_text(c.end_s)} s; figures as stored"


def not_in_file_tip(c: CutStream, kind: str) -> str:
    """The event list's tooltip of such an event: "not in force.csv any more: it ends at 6.73 s
    (cut short); this cycle is the stored summary's"."""
    return (f"not in {c.file} any more: it ends at {seconds_text(c.end_s)} s (cut short); "
            f"this {kind} is the stored summary's")


def cut_stretch_words(c: CutStream) -> str:
    """The tooltip of the stretch of the plots the file ``c`` no longer holds."""
    return (f"{seconds_text(c.end_s)}–{seconds_text(c.recorded_s)} s: recorded, but {c.file} no longer holds it (the file "
            f"was cut short after the recording: a copy, a disk error?)")




NO_SOUND = "no audio recorded"     # the pops of a session without sound, in the review and the report


def _of_thrusts(n: int, total: int) -> str:
    """"at 1 of 3 thrusts", "at all 3 thrusts", "at the thrust" (its only one)."""
    if total == 1:
        return "at the thrust"
    return f"at all {total} thrusts" if n == total else f"at {n} of {total} thrusts"


def _dead_around(t: dict, dead, audio_span, window_s: float) -> bool:
    """Whether the thrust row ``t``, its pops unknown, is so for a stretch of no usable sound (a
    muted or dead microphone, the time it was off) rather than for the sound not reaching
    around it (it ended before the thrust, began after it, lies elsewhere): its tie window
    (``window_s``) reaches into one of ``dead`` (s), or, those not known (events as stored),
    lies within the sound's span (``audio_span``, the summary's ``spans_s.audio``)."""
    from analysis.summary import near_spans
    peak = t.get("t_peak")
    if peak is None:
        return False
    if dead:
        return near_spans(peak, dead, window_s)
    if not audio_span:
        return False
    a0, a1 = audio_span[:2]
    return a0 is not None and a1 is not None and a0 <= peak - window_s and peak + window_s <= a1


def pop_window_s(meta: SessionMeta | None) -> float | None:
    """The tie window (s) the session ``meta`` was recorded with (``--pop-window``), or None: the
    default."""
    ms = stored_pop_window(meta)[0]
    return None if ms is None else ms / 1000.0


def stored_events(inp: ReplayInput, meta: SessionMeta | None) -> list[dict]:
    """The events the recorder stored for ``inp`` (dicts, the summary last), its summary with the
    warnings about the sound that replay's whole analysis gives and the recorder's live one cannot
    (pops drifting against the thrusts, pops near none of them:
    :func:`firmware_bridge.replay.analyze.with_stored_audio_notes`), pops tied within the pop
    window the session was recorded with."""
    from analysis.scheme import ThrustScheme
    from analysis.summary import untie_dangling
    window = pop_window_s(meta)
    return with_stored_audio_notes(untie_dangling(list(inp.events)), inp,
                                   ThrustScheme().pop_window_ms / 1000.0 if window is None else window)


def describe_pops_heard(summary: dict | None, pops: list[dict], analysed: bool = True, dead=(),
                        window_s: float | None = None) -> str:
    """The pops of a recording with sound, in words, for the review's session details and the
    report: "3 (2 with a thrust)", "none heard", "none heard; unknown at 2 of 3 thrusts", or, no
    thrust's pops known, "unknown: no usable sound" (a muted or dead microphone around them),
    "unknown: no sound around the thrusts" (the sound ended before them, began after them or
    lies elsewhere), "unknown: no usable sound at 2 thrusts, no sound around 1" (both), or
    "unknown: recorded, cannot be analysed" (the warning says why). Whether a thrust's pops are
    known is the summary's (``summary``) per-thrust ``pops``, with the stretches of no usable
    sound applied, as replay's table gives them ("–"); ``analysed`` False is audio whose pops
    cannot be analysed at all (under 16 kHz: the summary's ``audio`` is false). ``dead`` is the
    stretches of no usable sound found on reading the audio (s), which say why a thrust's pops
    are unknown (its tie window, ``window_s``: 150 ms unless given, as the session's own or
    ``--pop-window``, reaches into one) and what
    was heard of a recording without thrusts."""
    s = summary or {}
    if not analysed or s.get("audio", True) is False:
        return "unknown: recorded, cannot be analysed"
    thrusts = [t for t in s.get("thrusts") or () if isinstance(t, dict)]
    unknown = [t for t in thrusts if t.get("pops", 0) is None]
    some = f"unknown {_of_thrusts(len(unknown), len(thrusts))}"
    if pops:
        heard = f"{len(pops)} ({sum(p.get('thrust') is not None for p in pops)} with a thrust)"
        return f"{heard}; {some}" if unknown else heard
    audio_span = (s.get("spans_s") or {}).get("audio")
    if thrusts and len(unknown) == len(thrusts):
        from analysis.scheme import ThrustScheme
        w = ThrustScheme().pop_window_ms / 1000.0 if window_s is None else window_s
        n_dead = sum(_dead_around(t, dead, audio_span, w) for t in unknown)
        if n_dead == len(unknown):
            return "unknown: no usable sound"
        if not n_dead:
            return f"unknown: no sound around the thrust{'s' if len(thrusts) != 1 else ''}"
        return (f"unknown: no usable sound at {n_dead} thrust{'s' if n_dead != 1 else ''}, no sound "
                f"around {len(unknown) - n_dead}")
    if unknown:
        return f"none heard; {some}"
    if not thrusts and dead:
        a0, a1 = (audio_span or (None, None))[:2]
        whole = a0 is not None and sum(b - a for a, b in dead) >= 0.99 * (a1 - a0)
        return "unknown: no usable sound" if whole else "none heard where the sound was usable"
    return "none heard"


DEFAULT_ALPHA = GradingScheme().alpha      # the large-amplitude ratio unless one is given
HVLA_SCORE = "thrusts on target"     # the details' row of a V/HVLA session's score


def thrust_target(rs: ReviewSession):
    """The HVLA target the session's thrusts are judged against (:func:`ui.library.session_target`),
    or None for a session whose target is not V/HVLA."""
    return session_target(rs.meta.target, rs.meta.extra.get("target_detail"))


def describe_session(rs: ReviewSession) -> list[tuple[str, str]]:
    """Label/value pairs of the whole session, shown while no event is selected."""
    m = rs.meta
    s = rs.summary or {}
    # the calibration the events shown were graded with: a re-analysis's, even none at all
    r1, r2 = (s.get("r1_n"), s.get("r2_n")) if rs.summary is not None else (m.r1_n, m.r2_n)
    alpha = s.get("alpha") or m.alpha
    scheme = GradingScheme(r1, r2, alpha) if r1 and r2 else None
    st = session_stats(rs.events, m.target, scheme, m.extra.get("target_detail"))
    pops = rs.of_type("cavitation")
    # as the report and replay's table say it: the force's, the sound's beside it where that
    # differs ("16.4 s (audio 16.9 s)"); the sound's alone read as the force's
    length = describe_lengths(s) if rs.summary is not None else f"{st['duration_s']:.1f} s"
    rows = [("trainee", m.trainee or "–"), ("technique", m.technique or "–"), ("target", describe_target(m.target, m.extra.get("target_detail"))),
            ("recorded", short_date(m.created) or "–"), ("length", length),
            *describe_stopped(m), *describe_cut_short(rs),
            # (alpha named when not the usual: the same cycles were graded otherwise, as the report says)
            ("calibration", describe_calibration(r1, r2, None if alpha == DEFAULT_ALPHA else alpha,
                                                 force=not rs.imu_only) if scheme else "none"),
            # the grades shown graded with another calibration than the trainee practised against
            *([] if rs.imu_only else recorded_with(rs.raw_meta, m, r1, r2, alpha)),
            *describe_screen_changes(rs.raw_meta, m), *describe_feedback(m.extra)]
    if not rs.imu_only:
        # (with an IMU alone there is no force to find cycles in: its own are the only ones, a
        # "cycles: 0" beside them read as if none were done)
        rows.append(("cycles", str(st["n_cycles"])))
        if st["n_cycles"]:
            # (a safety matter, which only a cycle's own details said: "–" where not known, no R2)
            rows.append(("beyond R2", count_cell(st["n_beyond_r2"])))
    if st["on_target_pct"] is not None:
        rows.append(("on target", f"{pct_text(st['on_target_pct'])} %"))
    if rs.inp.imu is not None:
        rows.append(("IMU cycles", describe_imu(rs.events)))
    rows.append(("thrusts", str(st["n_thrusts"])))
    if st["peak_mean_n"] is not None:
        rows.append(("thrust peak, mean", f"{st['peak_mean_n']:.0f} N"))
    if is_hvla(m.target) and st["score_pct"] is not None:
        # the score of a V/HVLA session, which the library's row and the report give beside it
        rows.append((HVLA_SCORE, f"{pct_text(st['score_pct'])} %"))
    elif is_hvla(m.target) and not st["n_thrusts"]:
        # (a V session without one is not one whose thrusts could not be judged, which has no row)
        rows.append((HVLA_SCORE, NO_THRUST_DONE))
    audio = NO_SOUND if rs.inp.audio_path is None else \
        describe_pops_heard(rs.summary, pops, rs.inp.analyse_audio, rs.inp.dead_audio, pop_window_s(rs.meta))
    rows += [("pops", audio), ("comments", str(len(rs.comments)))]
    gaps = describe_gaps(rs.events, rs.meta.gaps)      # (worded as the report and replay's table word them)
    if gaps:
        rows.append(("gaps", gaps))
    return rows
