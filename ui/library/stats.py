"""Key numbers of one session from its events (score, cycles, thrusts, spreads), as the
library's index, the report and the review window give them."""

from __future__ import annotations

from typing import Any

import numpy as np

from analysis.errors import InputError
from analysis.scheme import GradingScheme, parse_target
from ui.library.names import short_date, time_key
from ui.table import describe_settings, pct_text, recording_lengths
from ui.trainer.target import MISS_SEP, NO_FORCE_VERDICT, OFF_DASH, Target, thrust_misses


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
    """Whether a session's target is a thrust (V, HVLA): its score counts thrusts on target, as
    the trainer judges them (:func:`thrust_on_target`)."""
    return bool(target) and parse_target(target)[0] == "V"


def target_text(target: str | None) -> str:
    """A session's target as the library keeps and lists it: as the trainer and ``record
    --target`` store it (:attr:`ui.trainer.target.Target.text`: "hvla" is "V", "iv" "IV",
    " iii+ " "III+"), whatever spelling an older gradecoach wrote into session.json, so one
    target is listed, sorted and picked one way; one that names no grade as written; "" for none."""
    if not target:
        return ""
    try:
        return Target.parse(target).text
    except InputError:                      # (no grade: listed as written, scored as none)
        return target


SCORE_HEADING = "score (% on target)"


def score_heading(targets) -> str:
    """What the score of sessions with these targets counts (see :func:`session_stats`), as the
    report, the Compare and the Progress tables head it: cycles on target, or for a V/HVLA target
    thrusts on target, or both for a mix."""
    hvla = {is_hvla(t) for t in targets}
    if hvla == {True}:
        return "score (% of thrusts on target)"
    if hvla == {True, False}:
        return "score (% on target; V: % of thrusts on target)"
    return SCORE_HEADING


NO_THRUST = "no thrust"                 # the score of a V/HVLA session in which no thrust was done
NO_THRUST_DONE = "no thrust performed"  # ... as the review's details say it
NO_CYCLE = "no cycle"                   # the score of a session aimed at a grade in which no cycle was done


def score_shown(score_pct: float | None, target: str | None, n_thrusts: int | None,
                n_cycles: int | None = None) -> str:
    """A session's score (:func:`session_stats`) in a table's cell, as ``library list``, the
    review's table, Compare, Progress and the report give it: the percentage, whole and rounded
    half up (:func:`ui.table.pct_text`: 62.5 is "63"); "no thrust" for a
    V/HVLA session in which no thrust was done (the task not done at all, not a thrust that
    could not be judged); "no cycle" likewise for one aimed at a grade in which no cycle was done
    (``n_cycles``: its cycles, a worn IMU's counted; None: not known), as ``record`` says it; "–"
    for one that has no score (no target, no calibration, or thrusts that cannot be judged: an
    IMU worn alone measures no force)."""
    if score_pct is not None:
        return pct_text(score_pct)
    if is_hvla(target):
        return NO_THRUST if not n_thrusts else "–"
    return NO_CYCLE if target and n_cycles == 0 else "–"


def all_cycles(row) -> int | None:
    """A session's cycles for :func:`score_shown`: its force's and a worn IMU's (a stats dict or
    a library row); None when it does not say."""
    n = row.get("n_cycles")
    return None if n is None else int(n) + int(row.get("n_imu_cycles") or 0)


def dates_shown(created: list[str | None], day_alone: bool = False) -> list[str]:
    """When each of several sessions was recorded (their ``created`` stamps), told apart where
    they are shown together: as :func:`ui.library.short_date` gives it ("2026-12-02 13:21"), with
    its seconds where two share a minute ("2026-12-02 13:21:05": two sessions recorded one after
    the other read alike); with ``day_alone`` the day alone ("2026-12-02") where no other shares
    it, as Progress's axis and the report's chart label them. "" for a session with no stamp; a
    stamp typed otherwise by hand as :func:`ui.library.short_date` gives it, or whole where two
    begin alike."""
    minutes = [short_date(c) for c in created]
    out = []
    for c, m in zip(created, minutes):
        if not m:
            out.append("")
        elif day_alone and sum(x[:10] == m[:10] for x in minutes if x) == 1:
            out.append(m[:10])
        elif sum(x == m for x in minutes) == 1:
            out.append(m)
        elif time_key(c)[0]:                        # (typed by hand: the whole of it)
            out.append(" ".join(str(c).split()))
        else:
            out.append(short_date(c, seconds=True))
    return out


def full_date(created: str | None) -> str:
    """When a session was recorded, to the second, as the CSVs give it ("2026-12-03 09:05:00", in
    this computer's time zone as :func:`ui.library.short_date` gives it), whatever other sessions
    are written with it, so exports of different weeks line up; a stamp typed otherwise by hand
    whole; "" for none."""
    if not created:
        return ""
    if time_key(created)[0]:                        # (typed by hand: the whole of it)
        return " ".join(str(created).split())
    return short_date(created, seconds=True)


def cycles_shown(n_cycles: int | None, n_imu_cycles: int | None) -> str:
    """A recording's cycles counted in a few characters, as the report's overview, the Compare
    and the Progress tables count them: the force's (``n_cycles``); with none but a hand-worn
    IMU's, those, said to be the IMU's ("16 (IMU)"): a 0 beside an IMU's 16 read as if none had
    been done."""
    return f"{n_imu_cycles} (IMU)" if not n_cycles and n_imu_cycles else str(n_cycles or 0)


def thrust_on_target(thrust: dict, target: Target) -> bool | None:
    """Whether a thrust (an event dict) was on an HVLA ``target`` as the trainer judges it after
    each thrust (:func:`ui.trainer.target.thrust_verdict`): no let-up of the preload, and preload
    and peak within the target's corridors; None when it cannot be judged (an IMU's thrust: no
    forces measured)."""
    misses = thrust_misses(thrust, target)
    return None if misses is None else not misses


def session_target(target: str | None, target_detail=None) -> Target | None:
    """The HVLA target a V session's thrusts are judged against (:func:`thrust_on_target`): the
    corridors the recording kept (session.json's ``extra.target_detail``, a corridor left unset
    not judged), or the trainer's for V where it kept none (100–160 N and 400–650 N). None for a
    session whose target is not V/HVLA."""
    return Target.of_session(target, target_detail) if is_hvla(target) else None


def describe_target(target: str | None, target_detail=None) -> str:
    """A session's target in words, as the review's details, Compare and the report name it:
    "III"; a V/HVLA one with the corridors its thrusts are judged against
    (:func:`session_target`), worded as the trainer's settings word them: "V, preload 100–160 N,
    peak 400–650 N". "–" for none."""
    if not target:
        return "–"
    aim = session_target(target, target_detail)
    if aim is None:
        return str(target)
    words = describe_settings({"text": str(target), "preload_n": aim.preload_n, "peak_n": aim.peak_n},
                              None, None, sep="\n")
    return words.split("\n")[0].removeprefix("target ")


ON_TARGET = "on target"     # the review's thrust details' row, and the report's thrusts column, of a V target


def describe_thrust_verdict(thrust: dict, target: Target) -> str:
    """Whether a thrust (an event dict or a summary's row) was on an HVLA ``target``, as the
    trainer judges it after each thrust (:func:`thrust_on_target`): "yes"; "no — " and each
    miss ("no — preload 72 N below 100–160 N · let-up 15.1 N"); "– (an IMU measures no force)"
    for one that cannot be judged."""
    misses = thrust_misses(thrust, target)
    if misses is None:
        return f"– ({NO_FORCE_VERDICT})"
    return "yes" if not misses else "no" + OFF_DASH + MISS_SEP.join(misses)


def beyond_r2_count(events: list[dict]) -> int | None:
    """How many of a session's cycles had a crest beyond R2 (a safety matter, the trainer's red
    "beyond R2!"), from its cycle events' ``beyond_r2``, else its summary's sets' counts; 0 for a
    session without cycles; None where it is not known (no R2 to check against: cycles not
    graded; events written without the flag), which a table shows "–", not 0."""
    cycles = [e for e in events if e.get("type") == "cycle"]
    if not cycles:
        return 0
    if all(c.get("grade") is not None and isinstance(c.get("beyond_r2"), bool) for c in cycles):
        return sum(c["beyond_r2"] for c in cycles)
    summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    sets = summary.get("sets") if summary is not None and summary.get("r2_n") is not None else None
    if isinstance(sets, list) and sets and all(isinstance(x, dict) and isinstance(x.get("beyond_r2"), int)
                                               for x in sets):
        return sum(int(x["beyond_r2"]) for x in sets)
    return None


def pops_heard(events: list[dict]) -> int | None:
    """How many pops a session's sound held (its cavitation events, with a thrust or not); None
    where that is not known, which a table shows "–", not 0: no sound listened to (none
    recorded, or none the detector could analyse: the summary's ``audio`` false), or thrusts
    whose pops are all unknown (no usable sound around any of them) and no pop heard."""
    summary = next((e for e in reversed(events) if e.get("type") == "summary"), None)
    if summary is None or not summary.get("audio"):
        return None
    n = sum(e.get("type") == "cavitation" for e in events)
    thrusts = [t for t in summary.get("thrusts") or () if isinstance(t, dict)]
    if not n and thrusts and all(t.get("pops") is None for t in thrusts):
        return None
    return n


def count_cell(n: int | None) -> str:
    """A count in a table's cell (a session's cycles beyond R2, :func:`beyond_r2_count`, or its
    pops heard, :func:`pops_heard`): the count, "–" where it is not known (None), not 0."""
    return "–" if n is None else str(n)


def session_stats(events: list[dict], target: str | None = None,
                  scheme: GradingScheme | None = None, target_detail: dict | None = None) -> dict[str, Any]:
    """Key numbers of one session from its event dicts.

    ``n_imu_cycles`` counts a hand-worn IMU's cycles (see :func:`cycles_shown`);
    ``n_beyond_r2`` the cycles beyond R2 (:func:`beyond_r2_count`, None: not known), ``n_pops``
    the pops heard (:func:`pops_heard`, None: not known).
    ``duration_s`` is the recording's length as its report page gives it (the force's, else the
    IMU's: :func:`ui.table.recording_lengths`), ``audio_s`` its sound's (None: no sound), to the ms.
    ``score_pct`` is the share of cycles on ``target`` (mobilisation targets) or, for a V/HVLA
    target, the share of thrusts on target as the trainer judges each (:func:`thrust_on_target`):
    no let-up of the preload, preload and peak within the corridors the recording kept
    (session.json's ``extra.target_detail``, given as ``target_detail``: what the trainer's
    screen showed), or the trainer's for V where it kept none (``record --target V``: 100–160 N
    and 400–650 N); of those that can be judged (an IMU worn alone measures no force: its
    thrusts cannot, as the trainer shows "–"). None when there is no target, no calibration or
    nothing to score: a V session in which no thrust was done too, which
    :func:`score_shown` tells apart ("no thrust", not "–").
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
    aim = Target.of_session(target, target_detail) if is_hvla(target) else None
    if aim is not None:
        judged = [o for o in (thrust_on_target(t, aim) for t in thrusts) if o is not None]
        score = 100.0 * sum(judged) / len(judged) if judged else None
    peaks = [float(t["peak_n"]) for t in thrusts if t.get("peak_n") is not None]   # (an IMU's: no force)
    ttps = [float(t["time_to_peak_ms"]) for t in thrusts]
    audio = None
    if summary is not None:
        # the force's length (else the IMU's), as the report, the review and replay give it, not
        # the summary's duration_s, which runs to the end of any stream (a longer sound's)
        duration, audio = recording_lengths(summary)
        spans = summary.get("spans_s") if isinstance(summary.get("spans_s"), dict) else {}
        if audio is None and "audio" in spans and not ({"force", "imu"} & set(spans)):
            audio = duration                        # (sound recorded alone: its length is the recording's)
    else:
        ends = [float(e.get("t_end") or e.get("t_peak") or 0.0) for e in cycles + thrusts]
        duration = max(ends) if ends else 0.0
    return {
        "score_pct": score, "on_target_pct": on_target, "duration_s": round(duration, 3),
        "audio_s": None if audio is None else round(float(audio), 3),
        "n_cycles": len(cycles), "n_thrusts": len(thrusts),
        # cycles whose crest went beyond R2 (None: not known, see :func:`beyond_r2_count`)
        "n_beyond_r2": beyond_r2_count(events),
        # the pops heard (None: not known, see :func:`pops_heard`)
        "n_pops": pops_heard(events),
        # a hand-worn IMU's cycles (ungraded: movement, no force); with force they are its cycles
        # seen again, so only a recording without force cycles shows them (:func:`cycles_shown`)
        "n_imu_cycles": sum(e.get("type") == "imu_cycle" for e in events),
        "freq_cv_pct": _weighted_set_cv(cycles, "freq_hz"),
        "amplitude_cv_pct": _weighted_set_cv(cycles, "amplitude_n"),
        "peak_mean_n": float(np.mean(peaks)) if peaks else None, "peak_sd_n": _sd(peaks),
        "ttp_mean_ms": float(np.mean(ttps)) if ttps else None, "ttp_sd_ms": _sd(ttps),
    }
