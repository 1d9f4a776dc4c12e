"""A recording's counts as the report's page and its CSVs both give them: its cycles, its thrusts
with a let-up and its pops (each thrust's, those tied to its thrusts, all heard, or in words why
they are unknown), so the overview, the thrusts table, the "pops" line and the CSVs agree."""

from __future__ import annotations

from ui.library import stored_pops_without_sound
from ui.report.recordings import ReportItem
from ui.review.data import NO_SOUND, count_cycles, describe_pops_heard
from ui.table import imu_thrust


def thrust_pops(t: dict | None, audio: bool = True) -> tuple[int | None, float | None]:
    """A summary's thrust row ``t`` (``summary.thrusts[]``): its pops and its first pop's ms from
    the peak, as the thrusts table and the CSV give them; ``(None, None)`` when they are unknown
    (no sound recorded or analysed, ``audio`` False; none listened to over this thrust, its
    ``pops`` null; no such row). 0 pops is sound heard and no pop in it."""
    if not audio or t is None or t.get("pops", 0) is None:
        return None, None
    return int(t.get("pops", 0)), t.get("first_pop_ms_from_peak")


def pops_masked(t: dict | None) -> bool:
    """Whether a thrust row's pops were listened for in sound that hides most pops (a voice,
    music: ``pops_masked`` in the summary; false in summaries written before), so more may have
    been missed: "no pop heard (loud sound)", or a count that is a least number ("≥2 (loud
    sound)"). False where the pops are unknown."""
    return bool(isinstance(t, dict) and t.get("pops") is not None and t.get("pops_masked"))


def pops_partly_heard(t: dict | None) -> bool:
    """Whether a thrust row's pop count is a least number: pops were heard, but part of its pop
    window was not (``pops_partly_heard`` in the summary; false in summaries written before)."""
    return bool(isinstance(t, dict) and t.get("pops") and t.get("pops_partly_heard"))


def cycles_cell(item: ReportItem) -> str:
    """The overview's count of cycles, as the review's comparison counts them (a recording made
    with a hand-worn IMU alone: "16 (IMU)")."""
    return count_cycles(item.events, item.stats.get("n_cycles"))


def letups_cell(item: ReportItem) -> str:
    """The overview's count of a recording's thrusts with a let-up (the thrusts table's
    "flagged"): "" for a recording without thrusts, "–" where none of its thrusts' let-ups is
    known (an IMU's thrusts alone: no force)."""
    thrusts = [e for e in item.events if e.get("type") == "thrust"]
    known = [e for e in thrusts if not imu_thrust(e)]
    if not thrusts:
        return ""
    return str(sum(bool(e.get("letup")) for e in known)) if known else "–"


# the pops of a recording whose sound given could not be read at all (a damaged file): unknown
SOUND_UNREADABLE = "unknown: the sound could not be read"


def pops_said(item: ReportItem) -> str:
    """A recording's pops in words, as its page's "pops" line gives them: "9 (0 with a thrust)",
    "none heard", "no audio recorded", "unknown: no usable sound", …"""
    s = item.summary
    pops = [e for e in item.events if e.get("type") == "cavitation"]
    gone = stored_pops_without_sound(item.inp)
    # (sound that held nothing to hear, or cannot be analysed, has unknown pops, worded as the
    # review's details word them: the thrusts table's "–" are the summary's, as replay's)
    return (f"unknown: the sound file is gone; the {gone} pop{'s' if gone != 1 else ''} of the "
            f"stored analysis left out" if gone and not item.has_audio else
            SOUND_UNREADABLE if s.get("audio_unreadable") else
            f"not analysed: {' and '.join(a.name for a in item.sound_beside)} beside it "
            f"{'was' if len(item.sound_beside) == 1 else 'were'} not given with --audio" if item.sound_beside else
            NO_SOUND if item.inp.audio_path is None else
            describe_pops_heard(s, pops, item.inp.analyse_audio, item.inp.dead_audio, item.pop_window_s))


def pops_heard(item: ReportItem) -> int | None:
    """How many pops a recording's page counts in its "pops" line, tied to a thrust or not, as
    replay's "9 pops" counts them; None where that line has no count (no sound analysed, or its
    pops unknown), 0 where it says "none heard"."""
    said = pops_said(item)
    if not (said[:1].isdigit() or said.startswith("none heard")):
        return None
    return sum(e.get("type") == "cavitation" for e in item.events)


def pops_cell(item: ReportItem) -> str:
    """The overview's count of the pops tied to a recording's thrusts, the sum of the thrusts
    table's "pops": "" for a recording without thrusts, "–" where no thrust's pops are known (no
    sound recorded or usable around them), "3 (unknown at 1)" where some are not, "≥3" where
    some thrust's count is a least number (:func:`pops_partly_heard`, or heard in loud sound:
    :func:`pops_masked`)."""
    if not item.stats.get("n_thrusts"):
        return ""
    known, unknown = _thrusts_pops(item)
    if not known:
        return "–"
    partly = any(pops_partly_heard(t) or pops_masked(t) for t in item.summary.get("thrusts") or ())
    return ("≥" if partly else "") + f"{sum(known)}" + (f" (unknown at {unknown})" if unknown else "")


def _thrusts_pops(item: ReportItem) -> tuple[list[int], int]:
    """The pops of each of a recording's thrusts whose pops are known (the thrusts table's
    "pops"), and how many thrusts' are not."""
    pops = [thrust_pops(t, item.has_audio)[0] for t in item.summary.get("thrusts") or () if isinstance(t, dict)]
    known = [n for n in pops if n is not None]
    return known, len(pops) - len(known)
