"""Per-set statistics for the end-of-file summary and the trainer's set panel."""

from __future__ import annotations

from collections import Counter

import numpy as np

from analysis.events import CavitationEvent, CycleEvent, Event, GapEvent, SummaryEvent, ThrustEvent
from analysis.scheme import GradingScheme


def _cv(x: list[float]) -> float | None:
    """Coefficient of variation in percent (None for fewer than two values)."""
    if len(x) < 2:
        return None
    a = np.asarray(x, dtype=float)
    m = a.mean()
    return float(100.0 * a.std(ddof=1) / m) if m else None


def grade_label(grade: str | None, modifier: str | None) -> str:
    if grade is None:
        return "ungraded"
    return grade + (modifier or "")


def recording_length_s(t_first_s: float, t_last_s: float, gap_ends_s=()) -> float:
    """A recording's length (s): from its first sample (``t_first_s``) to its last
    (``t_last_s``), or to the end of a gap it marked after that (``gap_ends_s``: a sensor lost
    before the end, the recording going on waiting for it up to its duration), whichever is
    later. The time without data counts, as it counts in the duration the recording was made
    for; a recording with no gap past its last sample spans its samples."""
    return max([float(t_last_s), *(float(b) for b in gap_ends_s)]) - float(t_first_s)


def set_stats(cycles: list[CycleEvent], scheme: GradingScheme) -> dict:
    """Statistics for one set of cycles (all in one ``set_index``). ``beyond_r2`` is how many
    crests went beyond R2, None when no cycle was checked against one (no R2: its cycles'
    ``beyond_r2`` None), as "on target" is unknown then."""
    freqs = [c.freq_hz for c in cycles]
    amps = [c.amplitude_n for c in cycles]
    hist = Counter(grade_label(c.grade, c.modifier) for c in cycles)
    on = [scheme.on_target(c.grade, c.modifier, c.beyond_r2) for c in cycles]
    on_known = [o for o in on if o is not None]
    checked = [c.beyond_r2 for c in cycles if c.beyond_r2 is not None]
    return {
        "set_index": cycles[0].set_index,
        "t_start": cycles[0].t_start,
        "t_end": cycles[-1].t_end,
        "n_cycles": len(cycles),
        "grade_histogram": dict(sorted(hist.items())),
        "mean_freq_hz": float(np.mean(freqs)),
        "freq_cv_pct": _cv(freqs),
        "mean_amplitude_n": float(np.mean(amps)),
        "amplitude_cv_pct": _cv(amps),
        "mean_crest_n": float(np.mean([c.crest_n for c in cycles])),
        "on_target_pct": 100.0 * sum(on_known) / len(on_known) if on_known else None,
        "beyond_r2": sum(1 for b in checked if b) if checked else None,
    }


def consistency_score(cycles: list[CycleEvent]) -> float | None:
    """0–100: 100 minus the mean of the frequency and amplitude CVs (clipped), for the GUI."""
    if len(cycles) < 3:
        return None
    f = _cv([c.freq_hz for c in cycles]) or 0.0
    a = _cv([c.amplitude_n for c in cycles]) or 0.0
    return float(max(0.0, 100.0 - (f + a) / 2))


class Summarizer:
    """Collects events (in order) and builds the :class:`SummaryEvent`."""

    def __init__(self, scheme: GradingScheme) -> None:
        self.scheme = scheme
        self.cycles: list[CycleEvent] = []
        self.thrusts: list[ThrustEvent] = []
        self.pops: list[CavitationEvent] = []
        self.gap_ends_s: list[float] = []     # where each gap given ends: one past the data lengthens it

    def add(self, events: list[Event]) -> None:
        """Take events in order: cycles, thrusts and pops are summed up; a gap's end (the
        analysis's own, or one the recording marked) counts in the recording's length
        (:func:`recording_length_s`)."""
        for e in events:
            if isinstance(e, GapEvent):
                self.gap_ends_s.append(float(e.t_end))
            elif isinstance(e, CycleEvent):
                self.cycles.append(e)
            elif isinstance(e, ThrustEvent):
                self.thrusts.append(e)
            elif isinstance(e, CavitationEvent):
                self.pops.append(e)

    def sets(self) -> list[dict]:
        by: dict[int, list[CycleEvent]] = {}
        for c in self.cycles:
            by.setdefault(c.set_index, []).append(c)
        return [set_stats(v, self.scheme) for _, v in sorted(by.items())]

    def thrust_rows(self, heard: tuple[float, float] | None = None, window_s: float = 0.0,
                    lead_s: float = float("inf"), loud=()) -> list[dict]:
        """Each thrust with its pops. ``heard`` is the times (s) the audio could find a pop at (its
        span, less what the detector needs at either end), None without audio. A pop is tied to a
        thrust whose peak lies within ``window_s`` of it and that had begun by ``lead_s`` after it,
        so a thrust's pops are known (0: none tied) only when ``heard`` covers its peak ±
        ``window_s`` from ``lead_s`` before its onset on; otherwise ``pops`` and
        ``first_pop_ms_from_peak`` are None, not 0 (every thrust, without audio), unless a pop was
        tied to it all the same: then the pops heard are counted, and ``pops_partly_heard`` (else
        False) says the count is a least number and the first pop heard may not be the first.
        ``pops_masked`` says that a thrust had its peak in one of ``loud`` (s: stretches of sound
        that hides pops, the detector's ``loud_spans``), so pops may have been missed there: none
        heard may not be none, and a count is a least number."""
        rows = []
        for t in self.thrusts:
            d = t.to_dict()
            pops = [p for p in self.pops if p.thrust == t.index] if heard is not None else []
            whole = window_heard(t.t_onset, t.t_peak, heard, window_s, lead_s)
            if not pops and not whole:
                d["pops"] = d["first_pop_ms_from_peak"] = None
                d["pops_partly_heard"] = d["pops_masked"] = False
                rows.append(d)
                continue
            d["pops"] = len(pops)
            d["first_pop_ms_from_peak"] = (
                1000.0 * (min(p.t for p in pops) - t.t_peak) if pops else None)
            # some of its window went unheard: more pops, or an earlier first, may have come there
            d["pops_partly_heard"] = not whole
            # (its peak in loud sound: where its pops come, a few tens of ms either side of it)
            d["pops_masked"] = near_spans(t.t_peak, loud)
            rows.append(d)
        return rows

    def free_pops(self, sets: list[dict], recorded: tuple[float, float] | None = None) -> list[dict]:
        """Pops tied to no thrust heard while the sensor was recorded (during mobilisation, a
        partner's knuckles), with the set of oscillations they fell in, if any. ``recorded`` is the
        sensor's first and last sample times (s; the force's, else the IMU's), None for none (sound
        alone: every pop counts); pops before or after it are :meth:`pops_without_force`."""
        out = []
        for p in self._untied():
            if _when(p.t, recorded) is None:
                inside = [s["set_index"] for s in sets if s["t_start"] - 0.5 <= p.t <= s["t_end"] + 0.5]
                out.append({"t": p.t, "set_index": inside[0] if inside else None})
        return out

    def pops_without_force(self, recorded: tuple[float, float] | None) -> list[dict]:
        """Pops heard where no force (or IMU data) was recorded: before the sensor's first sample
        or after its last (``recorded``, s), the sound started earlier or lasting longer; each
        with ``when`` it was, "before" or "after". None with no sensor recorded."""
        return [{"t": p.t, "when": w} for p in self._untied() if (w := _when(p.t, recorded))]

    def _untied(self) -> list[CavitationEvent]:
        """The pops tied to no thrust given: none, or an IMU's thrust its data broke off in before
        the thrust was known, which is not given (:meth:`ImuProcessor.thrust_in_progress
        <analysis.imu.ImuProcessor.thrust_in_progress>`)."""
        given = {t.index for t in self.thrusts}
        return [p for p in self.pops if p.thrust is None or p.thrust not in given]

    def summary(self, duration_s: float, skipped_rows: int = 0, warnings: list[str] | None = None,
                heard: tuple[float, float] | None = None, window_s: float = 0.0,
                lead_s: float = float("inf"), recorded: tuple[float, float] | None = None,
                loud=()) -> SummaryEvent:
        """The summary; ``heard``, ``window_s``, ``lead_s`` and ``loud`` as in :meth:`thrust_rows`
        (``heard`` None: no audio, pops unknown); ``recorded`` as in :meth:`free_pops`."""
        s = self.scheme
        hist = Counter(grade_label(c.grade, c.modifier) for c in self.cycles)
        return SummaryEvent(
            n_cycles=len(self.cycles), n_thrusts=len(self.thrusts), n_cavitations=len(self.pops),
            duration_s=duration_s, sets=(sets := self.sets()), thrusts=self.thrust_rows(heard, window_s, lead_s, loud),
            pops_outside_thrusts=self.free_pops(sets, recorded), pops_without_force=self.pops_without_force(recorded),
            grade_histogram=dict(sorted(hist.items())), skipped_rows=skipped_rows,
            warnings=list(warnings or []), r1_n=s.r1_n, r2_n=s.r2_n, alpha=s.alpha,
            target=(s.target_grade + (s.target_modifier or "")) if s.target_grade else None,
        )


def _when(t_s: float, recorded: tuple[float, float] | None) -> str | None:
    """"before" or "after" the sensor's samples (``recorded``: first and last, s) the time ``t_s``
    lies; None within them, or with none recorded."""
    if recorded is None:
        return None
    return "before" if t_s < recorded[0] else "after" if t_s > recorded[1] else None


def window_heard(t_onset: float, t_peak: float, heard: tuple[float, float] | None, window_s: float,
                 lead_s: float) -> bool:
    """Whether ``heard`` (the times a pop could be found at, s; None: no sound) covers every time
    a pop could be tied to a thrust at: its peak ± ``window_s``, from no earlier than ``lead_s``
    before its onset (:meth:`Summarizer.thrust_rows`)."""
    lo = max(t_peak - window_s, min(t_onset, t_peak) - lead_s)
    return heard is not None and heard[0] <= lo and t_peak + window_s <= heard[1]


def near_spans(t_s: float, spans, window_s: float = 0.0) -> bool:
    """Whether the time ``t_s`` lies within ``window_s`` of one of ``spans`` (s, start and end)."""
    return any(a - window_s <= t_s <= b + window_s for a, b in spans)


def pops_unplaced(summary):
    """A summary (:class:`~analysis.events.SummaryEvent`) of sound not placed in time with the
    force (an input far off its own rate): every thrust's pops unknown (None, "–" in tables) and
    no pop listed as outside the thrusts, since a pop near a thrust, or none, says nothing of it;
    its pops are only counted. ``record``, the trainer's recording and replay alike."""
    from dataclasses import replace
    return replace(summary, pops_outside_thrusts=[], thrusts=[
        {**t, "pops": None, "first_pop_ms_from_peak": None, "pops_partly_heard": False, "pops_masked": False}
        for t in summary.thrusts])


def unheard_in(rows: list[dict], spans: list[tuple[float, float]], window_s: float = 0.0) -> list[dict]:
    """Thrust rows (:meth:`Summarizer.thrust_rows`) with the pops of each thrust whose peak lies
    within ``window_s`` (the tie window) of one of ``spans`` (s), so that its tie window reaches
    into it, unknown (None), as where no audio was heard, unless a pop was tied to it all the
    same (then ``pops_partly_heard``: its count is a least number). The spans are stretches of
    audio with no usable sound (a muted or dead microphone, 1 s or more silent, at one level or
    at full scale) and the times a recording's microphone was off. The window is the plain peak ± ``window_s``: not clipped at the thrust's onset,
    and without the detector's 10 ms at the span's ends, unlike the audio's own ends
    (:meth:`Summarizer.thrust_rows`)."""
    out = []
    for d in rows:
        if near_spans(d["t_peak"], spans, window_s):
            d = ({**d, "pops_partly_heard": True} if d.get("pops")
                 else {**d, "pops": None, "first_pop_ms_from_peak": None, "pops_partly_heard": False,
                       "pops_masked": False})
        out.append(d)
    return out


def untie_dangling(events: list[dict]) -> list[dict]:
    """``events`` (dicts of a whole recording) with each pop that names a thrust none of them is
    tied to none (``thrust`` None), as the summary counts it: a pop heard during an IMU's thrust
    names it at once, and the data may break off in that thrust before it is known, when it is
    not given (:meth:`Analyzer.thrusts_cut <analysis.pipeline.Analyzer.thrusts_cut>`)."""
    given = {e.get("index") for e in events if e.get("type") == "thrust"}
    return [{**e, "thrust": None} if e.get("type") == "cavitation" and e.get("thrust") is not None
            and e["thrust"] not in given else e for e in events]


def unaligned_note(summary: SummaryEvent) -> str | None:
    """A warning when pops were heard and thrusts found, the audio was listened to around some
    thrust, yet no pop lies within the tie window of any: the audio is most likely placed wrong
    on the force's timeline (it did not start with the force, or its clock ran at another
    rate). None otherwise, and none when every thrust without a pop lay in loud sound
    (``pops_masked``): talk over the thrusts hides their pops wherever the audio lies."""
    known = [t for t in summary.thrusts if t.get("pops") is not None]
    n = summary.n_cavitations
    if (not n or not summary.n_thrusts or any(t["pops"] for t in known)
            or all(t.get("pops_masked") for t in known)):
        return None
    return (f"{n} pop{'s' if n != 1 else ''} heard, none near a thrust: is the audio aligned with the force? "
            f"(--audio-start S gives the force's time of its first sample, --audio-rate HZ its measured rate)")


MASKED = "no pop heard (loud sound)"


def pops_count(n: int, partly_heard: bool = False, masked: bool = False) -> str:
    """A thrust's pop count as a number is shown (the trainer's panel, the report's table): "≥2"
    when it is a least number, part of its pop window unheard or its pops heard in sound that
    hides most of them (:func:`describe_pops`' ``partly_heard`` and ``masked``); none is "0"."""
    return ("≥" if n and (partly_heard or masked) else "") + str(n)


def describe_pops(n: int | None, first_ms_from_peak: float | None, peak: str = "peak force",
                  partly_heard: bool = False, masked: bool = False) -> str:
    """What a thrust's pops were, in words: ``"3 pops, first 12 ms before peak force"``;
    ``"–"`` when they are unknown (None: no audio was heard around the thrust). ``peak`` names
    the thrust's peak: ``"peak"`` for an IMU's thrust, whose peak is the hand's deepest point.
    ``partly_heard``: part of the thrust's pop window went unheard, so the count is a least
    number and the first is the first heard (``"at least 2 pops, first heard 12 ms before
    peak force"``). ``masked``: the pops were listened for in sound that hides most of them (a
    voice, music: the summary's ``pops_masked``), so more may have been missed: none is
    ``MASKED``, some a least number as ``partly_heard``'s, with " (loud sound)" after it."""
    if n is None:
        return "–"
    if n <= 0:
        return MASKED if masked else "no pop"
    least = partly_heard or masked
    head = ("at least " if least else "") + ("1 pop" if n == 1 else f"{n} pops")
    tail = " (loud sound)" if masked else ""
    if first_ms_from_peak is None:
        return head + tail
    ms = round(first_ms_from_peak)
    when = f"at {peak}" if ms == 0 else f"{abs(ms)} ms {'before' if ms < 0 else 'after'} {peak}"
    first = "first heard" if least else "first"
    return (f"{head}, {when}" if n == 1 and not least else f"{head}, {first} {when}") + tail
