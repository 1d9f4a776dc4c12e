"""What the review's details (and the report) say in words: of one event, of the whole session
(its calibration and the one it was recorded with, the trainer's screen changes and feedback
schedules, a recording stopped early), and the names recordings are shown by side by side. No Qt."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import InputError
from analysis.scheme import GradingScheme, parse_target
from firmware_bridge.session import STOPPED_EARLY, SessionMeta, describe_stop
from firmware_bridge.session_meta import finite_number
from ui.library import (ON_TARGET, cycles_shown, describe_target, describe_thrust_verdict, is_hvla, session_stats,
                        session_target, short_date)
from ui.library.stats import NO_THRUST_DONE, count_cell
from ui.review.cut_files import describe_cut_short
from ui.review.pops import NO_SOUND, describe_pops_heard, pop_window_s
from ui.review.trace import describe_gaps
from ui.table import describe_lengths, describe_letup, describe_settings, number_or_none, pct_text

if TYPE_CHECKING:
    from ui.review.data import ReviewSession


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
