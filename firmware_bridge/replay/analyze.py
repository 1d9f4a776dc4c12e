"""A whole recording run through the same processors as live use, with the gaps its session
marked, and what only the whole analysis can say about its audio."""

from __future__ import annotations

import heapq

import numpy as np

from analysis.events import GapEvent
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK
from firmware_bridge.replay.chunks import iter_chunks
from firmware_bridge.replay.inputs import ReplayInput
from firmware_bridge.session import found_again


def marked_gaps(inp: ReplayInput) -> list[GapEvent]:
    """The gaps a recorded session marked (``session.json``'s ``gaps``, with the reason it knew:
    disconnected, dropped samples), as the force stream's gap events in the order of their ends,
    as its recorder writes them; a BLE capture's, as its source told them; and the holes found in
    a file's times that none of them marks (a bare CSV's, a session folder's force.csv)."""
    out = []
    for g in inp.marked_gaps:
        a, b, why = float(g["t_start"]), float(g["t_end"]), g.get("reason")
        if b >= a:
            out.append(GapEvent(a, b, g.get("stream", "force"), why if isinstance(why, str) else "", t_detect_s=b))
    return sorted(out, key=lambda e: e.t_end)


def _found_again(e, marked: list[GapEvent]) -> bool:
    """A hole the analysis found (a "dropout") over a gap the recording marked: the same hole,
    in every stream of the device (it sent none of them then)."""
    return found_again(e, [(m.t_start, m.t_end) for m in marked])


def too_short(inp: ReplayInput, scheme=None) -> str | None:
    """A warning when the sensor's data (force, else IMU) span less than the shortest cycle the
    analysis measures (``min_period_s``): nothing can be found in them, and an empty summary
    would read as a practice with no cycle; None otherwise (audio alone: its pops need none)."""
    if inp.force is not None:
        sd, stream = inp.force, "force"
    elif inp.imu is not None:
        sd, stream = inp.imu, "imu"
    else:
        return None
    n = len(sd.t_s)
    return short_note(n, float(sd.t_s[-1] - sd.t_s[0]) if n else 0.0, stream, scheme)


def short_note(n: int, span_s: float, stream: str = "force", scheme=None) -> str | None:
    """:func:`too_short`'s warning for ``n`` samples of ``stream`` ("force" or "imu") spanning
    ``span_s``, as a recording being made says it of what it recorded; None when long enough."""
    from analysis.imu import ImuSettings
    from analysis.scheme import GradingScheme

    what, need = (("force", (scheme or GradingScheme()).min_period_s) if stream == "force"
                  else ("IMU data", ImuSettings().min_period_s))
    if span_s >= need:
        return None
    return (f"only {n} sample{'s' if n != 1 else ''} of {what} ({span_s:.3f} s): too little to analyse; "
            f"the shortest cycle measured takes {need:g} s, so record a few seconds of practice at least")


def analyze_input(inp: ReplayInput, scheme=None, thrust=None, chunk_s: float = 10.0, on_events=None) -> list:
    """Run the same processors as live use over a whole recording; returns all events,
    the summary last. ``on_events(list)`` is called as events appear (progress, streaming).

    The gaps a recorded session marked are given as it marked them, each where the data reach
    its end; the analysis's own "dropout" over one of them is left out. Where the force's clock
    stepped back (a gap marked so), the analysis restarts, as after a dropout. One past the last
    sample (the sensor lost before the end) counts in the summary's ``duration_s``. A bare file's holes
    are the ones the analysis finds."""
    from analysis.pipeline import Analyzer

    streams = tuple(n for n, present in (("force", inp.force), ("imu", inp.imu),
                                         ("audio", inp.audio_path if inp.analyse_audio else None))
                    if present is not None)
    a = Analyzer(scheme, thrust, streams=streams, audio_name=inp.audio_path if "audio" in streams else None)
    a.warnings.extend(inp.warnings)
    short = too_short(inp, scheme)
    if short:
        a.warnings.append(short)
    a.skipped_rows = inp.skipped_rows
    out = a.start_events()
    if on_events and out:                               # warnings known before any data
        on_events(list(out))
    n_known = len(inp.warnings)
    marked, k = marked_gaps(inp), 0
    for g in marked:                                    # (a clock that stepped back: a new run from there)
        if g.reason == CLOCK_STEPPED_BACK:
            a.cut_before(g.t_end, g.stream)

    def with_marked(ev: list, t_s: float) -> list:
        """``ev`` without the holes marked already, with the marks whose end ``t_s`` reached."""
        nonlocal k
        ev = [e for e in ev if not _found_again(e, marked)]
        j = k
        while j < len(marked) and marked[j].t_end <= t_s:
            j += 1
        ev, k = list(heapq.merge(ev, marked[k:j], key=lambda e: e.t_detect_s)), j
        return ev

    for ch in iter_chunks(inp, chunk_s, streams):
        ev = _untied(with_marked(a.feed(ch), float(ch.t_s[-1])), inp)
        if ev:
            out.extend(ev)
            if on_events:
                on_events(ev)
    a.warnings.extend(inp.warnings[n_known:])          # found while reading (a torn audio file)
    a.marked(marked)                                    # (one past the data: in the length)
    tail = a.finish()
    tail = _untied(with_marked(tail[:-1], np.inf), inp) + tail[-1:]   # (the summary stays last)
    tail[-1] = _with_audio_notes(tail[-1], inp, a.tie_window_s)
    if on_events:
        on_events(tail)
    out.extend(tail)
    return _untie_cut(out, a.thrusts_cut())


def _untie_cut(ev: list, cut: set[int]) -> list:
    """``ev`` with the pops that named an IMU thrust the data then broke off in (``cut``: not
    given) tied to none, as the summary counts them. (Those already handed to ``on_events`` as
    they came keep its index; the warning names that thrust as not measured.)"""
    from dataclasses import replace

    if not cut:
        return ev
    return [replace(e, thrust=None) if e.TYPE == "cavitation" and e.thrust in cut else e for e in ev]


def _untied(ev: list, inp: ReplayInput) -> list:
    """``ev`` with its pops tied to no thrust where the session's sound is not placed in time with
    the force (``inp.audio_unplaced``): a pop heard near a thrust's peak says nothing of it."""
    from dataclasses import replace

    if not inp.audio_unplaced:
        return ev
    return [replace(e, thrust=None) if e.TYPE == "cavitation" and e.thrust is not None else e for e in ev]


def _with_audio_notes(summary, inp: ReplayInput, tie_window_s: float = 0.0):
    """The summary with what only the whole analysis can say about the audio: audio given that
    could not be read at all has its pops unknown (``audio_unreadable``), not none; the thrusts whose
    tie window (``tie_window_s``) reaches into audio with no usable sound, or into a time the
    session's microphone was off, have unknown pops (a pop there was not heard), and pops heard
    but none near a thrust are a warning (misplaced audio). Sound not placed in time with the
    force (``inp.audio_unplaced``) leaves every thrust's pops unknown, lists no pop as outside the
    thrusts, and says nothing of where the pops lie against them: its pops are only counted."""
    from dataclasses import replace

    from analysis.summary import pops_unplaced, unheard_in

    if inp.audio_unplaced:
        return pops_unplaced(summary)

    if inp.audio_unreadable:                            # (no sound at all could be read: pops unknown)
        summary = replace(summary, audio=False, audio_unreadable=True, thrusts=[
            {**t, "pops": None, "first_pop_ms_from_peak": None} if not t.get("pops") else t for t in summary.thrusts])
    if inp.dead_audio:
        summary = replace(summary, thrusts=unheard_in(summary.thrusts, inp.dead_audio, tie_window_s))
    if inp.audio_off and inp.analyse_audio:
        summary = replace(summary, thrusts=unheard_in(summary.thrusts, inp.audio_off, tie_window_s))
    notes = [*([part] if (part := part_note(summary, inp)) else []), *audio_notes(summary, inp, tie_window_s),
             *([late] if (late := start_note(summary, inp)) else [])]
    if placed_off(summary, inp, tie_window_s):
        summary = pops_unplaced(summary)
    return replace(summary, warnings=[*summary.warnings, *notes]) if notes else summary


# the start-up samples the encoders here put before the sound (FFmpeg's AAC, MP2 and AC-3, LAME's MP3
# with its decoder's 529, libopus), as the fixture's sound measured them in files that do not give them
START_UP = {"AAC": (1024, "FFmpeg's AAC encoder"), "MP3": (1105, "LAME's MP3 encoder and the decoder"),
            "MP2": (481, "FFmpeg's MP2 encoder"), "MPEG layer II": (481, "FFmpeg's MP2 encoder"),
            "Opus": (312, "libopus"), "AC-3": (256, "FFmpeg's AC-3 encoder")}


def start_note(summary, inp: ReplayInput) -> str | None:
    """A warning when the sound beside the force (or IMU) is in a file that does not give the
    start-up samples its encoder put before it (:func:`~firmware_bridge.sound_files.unstated_start`:
    AAC in an MPEG transport stream, a raw .aac …): its sound and pops lie late by them, as many as
    its encoder put, which only the file could say; ``--audio-start`` moves it. None otherwise."""
    from firmware_bridge.sound_files import unstated_start

    spans = summary.spans_s or {}
    if inp.audio_path is None or not summary.audio or not ({"force", "imu"} & set(spans)):
        return None
    said = unstated_start(inp.audio_path)
    if said is None:
        return None
    what, rate = said
    n, who = next((v for k, v in START_UP.items() if what.startswith(k + " ")), (None, None))
    ms = 1e3 * n / rate if n and rate else None
    typical = f" ({n} samples from {who}: {ms:.{1 if ms < 10 else 0}f} ms at {rate / 1e3:g} kHz)" if ms else ""
    return (f"{inp.audio_path}: {what} does not give the start-up samples its encoder put before the sound, so "
            f"the sound and its pops may lie late against the force by them{typical}; --audio-start moves the sound")


def part_note(summary, inp: ReplayInput) -> str | None:
    """A warning when the sound covers only part of the force and leaves thrusts outside it with
    unknown pops (a whole file shorter than the force, or one beginning after it): its span, the
    force's and how many thrusts. None when it covers them all, or overlaps none of the force
    (said on reading it, with the --audio-start that places it), or the file was cut short (said
    on reading it, with where its sound ends)."""
    spans = summary.spans_s or {}
    sound, force = spans.get("audio"), spans.get("force")
    if inp.audio_path is None or inp.audio_cut_said or not sound or not force or sound[1] < force[0] \
            or sound[0] > force[1]:
        return None
    out = [t for t in summary.thrusts if t.get("pops") is None and t.get("t_peak") is not None
           and not sound[0] <= float(t["t_peak"]) <= sound[1]]
    if not out:
        return None
    return (f"{inp.audio_path}: the sound, at {sound[0]:.1f}–{sound[1]:.1f} s, covers only part of the force, at "
            f"{force[0]:.1f}–{force[1]:.1f} s: the pops of {len(out)} of {len(summary.thrusts)} thrusts outside it "
            f"are unknown")


def audio_notes(summary, inp: ReplayInput, tie_window_s: float) -> list[str]:
    """The warnings only the whole analysis gives of where the audio lies against the force: pops
    none near a thrust (:func:`window_note`, else :func:`analysis.summary.unaligned_note`), and
    pops drifting against the thrusts (:func:`drift_note`). One rule for an analysis done now and
    for one stored at the end of a recording (:func:`with_stored_audio_notes`), so replay and the
    report say the same."""
    from analysis.summary import unaligned_note

    return [n for n in (window_note(summary, tie_window_s) or offset_note(summary, inp, tie_window_s)
                        or unaligned_note(summary), drift_note(summary, inp)) if n]


def placed_off(summary, inp: ReplayInput, tie_window_s: float) -> bool:
    """Whether :func:`audio_notes` says the sound is placed a constant time off the force
    (:func:`offset_note`): then no thrust's pops are known, nor which pops lie outside the
    thrusts, until it is placed (:func:`analysis.summary.pops_unplaced`), as of sound placed at
    no one time."""
    return window_note(summary, tie_window_s) is None and offset_note(summary, inp, tie_window_s) is not None


def with_stored_audio_notes(events: list[dict], inp: ReplayInput, tie_window_s: float) -> list[dict]:
    """Stored events (dicts, the summary last) with :func:`audio_notes` added to their summary's
    warnings where it lacks them: a recorder writes its summary as the live analysis ends, without
    them, and replay of the folder says them."""
    from analysis.events import SummaryEvent, event_from_dict

    if (not events or events[-1].get("type") != "summary" or inp.audio_path is None or not inp.analyse_audio
            or inp.audio_unplaced):
        return events
    s = events[-1]
    summary = event_from_dict(s)
    if not isinstance(summary, SummaryEvent):
        return events
    had = [w for w in s.get("warnings") or [] if isinstance(w, str)]
    new = [n for n in audio_notes(summary, inp, tie_window_s) if n not in had]
    off = placed_off(summary, inp, tie_window_s)
    if not new and not off:
        return events
    if off:
        s = {**s, "pops_outside_thrusts": [], "thrusts": [
            {**t, "pops": None, "first_pop_ms_from_peak": None, "pops_partly_heard": False} if isinstance(t, dict) else t
            for t in s.get("thrusts") or []]}
    return [*events[:-1], {**s, "warnings": [*(s.get("warnings") or []), *new]}]


def window_note(summary, tie_window_s: float) -> str | None:
    """In place of "none near a thrust" (:func:`analysis.summary.unaligned_note`), when pops were
    heard just beyond a pop window narrower than the default (``--pop-window``): the nearest pop
    lies within the default window of a thrust's peak, so the window, not the audio's place, left
    them out. None otherwise."""
    from analysis.summary import unaligned_note
    from analysis.scheme import ThrustScheme

    default_s = ThrustScheme().pop_window_ms / 1e3
    if not unaligned_note(summary) or tie_window_s >= default_s:
        return None
    peaks = [float(t["t_peak"]) for t in summary.thrusts if t.get("t_peak") is not None]
    pops = [float(p["t"]) for p in summary.pops_outside_thrusts or () if isinstance(p, dict) and "t" in p]
    if not peaks or not pops:
        return None
    near = min(abs(p - t) for p in pops for t in peaks)
    if near > default_s:
        return None
    n = summary.n_cavitations
    return (f"{n} pop{'s' if n != 1 else ''} heard, none within the pop window of a thrust "
            f"({1e3 * tie_window_s:g} ms): the nearest lies {1e3 * near:.0f} ms from a thrust's peak; widen "
            f"--pop-window (the default is {1e3 * default_s:g} ms)")


# sound placed a constant time off the force (a recorder started late, a clip cut from a longer
# one): the thrusts' pops all lie that time from their peaks. Said when OFFSET_MIN_THRUSTS thrusts
# or more, and OFFSET_SHARE of those the sound covers, have pops at one offset (within the pop
# window), given to OFFSET_ROUND_S: a first pop lies tens of ms either side of its peak by nature
OFFSET_MIN_THRUSTS = 3
OFFSET_SHARE = 0.5
OFFSET_ROUND_S = 0.01


def offset_note(summary, inp: ReplayInput, tie_window_s: float) -> str | None:
    """In place of "none near a thrust" (:func:`analysis.summary.unaligned_note`), when the
    thrusts' pops lie one time from their peaks: how far, and the ``--audio-start`` that places
    the sound so (``inp.audio_t0_s`` less that time). None otherwise."""
    from analysis.summary import unaligned_note

    if not unaligned_note(summary) or tie_window_s <= 0:
        return None
    peaks = np.array([float(t["t_peak"]) for t in summary.thrusts
                      if t.get("t_peak") is not None and t.get("pops") is not None])
    pops = np.sort([float(p["t"]) for p in [*(summary.pops_outside_thrusts or ()), *(summary.pops_without_force or ())]
                    if isinstance(p, dict) and isinstance(p.get("t"), (int, float))])
    if len(peaks) < OFFSET_MIN_THRUSTS or not len(pops):
        return None
    diffs = np.sort((pops[:, None] - peaks[None, :]).ravel())
    # the window of one pop window's width holding the most pop-to-peak times, and its middle
    counts = np.searchsorted(diffs, diffs + tie_window_s, side="right") - np.arange(len(diffs))
    i = int(np.argmax(counts))
    d = float(np.median(diffs[i:i + counts[i]]))
    near = np.abs(pops[np.clip(np.searchsorted(pops, peaks + d), 1, len(pops) - 1)[:, None] - [1, 0]]
                  - (peaks + d)[:, None]).min(axis=1)
    hit = near <= tie_window_s
    matched = int(np.count_nonzero(hit))
    if matched < max(OFFSET_MIN_THRUSTS, OFFSET_SHARE * len(peaks)):
        return None
    # the offset of each such thrust's first pop (later pops of a series lie further on)
    first = pops[np.searchsorted(pops, peaks[hit] + d - tie_window_s)]
    d = float(np.median(first - peaks[hit]))
    if abs(d) <= tie_window_s:
        return None
    d = round(d / OFFSET_ROUND_S) * OFFSET_ROUND_S
    start = round(inp.audio_t0_s - d, 3)
    n = summary.n_cavitations
    return (f"{n} pop{'s' if n != 1 else ''} heard, none near a thrust, but {matched} of {len(peaks)} thrusts have "
            f"pops {abs(d):.2f} s {'after' if d > 0 else 'before'} their peaks: the sound is placed "
            f"{abs(d):.2f} s {'late' if d > 0 else 'early'} on the force's timeline; --audio-start {start:g} "
            f"places it (the force's time of its first sample, now {inp.audio_t0_s:g}); until it is placed, the "
            f"thrusts' pops are unknown")


# the audio's clock against the force's: a sound card's crystal and the host's clock differ by tens
# of parts per million (docs/audio.md), so pops that lag or lead their thrusts' peaks more and more
# say audio placed at a wrong rate (a file whose header gives another rate than it was recorded at;
# a resampled export; a clock a thousandth slow). A first pop lies tens of ms either side of its
# peak by nature (the simulator: 30 ms before to 10 ms after), so a few thrusts' pops line up by
# chance: the trend is judged on DRIFT_MIN_THRUSTS thrusts' first pops or more, DRIFT_MIN_SPAN_S
# apart at least; its slope must be significant (p under DRIFT_P, a t-test on the fit's error), and
# the pops must move along it, from the first thrust to the last, by DRIFT_SPREADS times their
# scatter about the line or more, that scatter taken as POP_SCATTER_S at least.
DRIFT_MIN_THRUSTS = 5
DRIFT_MIN_SPAN_S = 5.0
DRIFT_P = 0.01
DRIFT_SPREADS = 4.0
POP_SCATTER_S = 0.015


def drift_note(summary, inp: ReplayInput) -> str | None:
    """A warning when the first pops of the thrusts lie further from their peaks the later the
    thrust, in a straight line that moves them much further than they scatter about it, on enough
    thrusts to tell (:data:`DRIFT_MIN_THRUSTS`, :data:`DRIFT_P`, :data:`DRIFT_SPREADS`): the
    audio's rate on the timeline may be wrong, and the ``--audio-rate`` that straightens the line (measured from the fit) is
    given; a trainee's pops coming earlier or later thrust by thrust draw the same line, and the
    words say so. None otherwise."""
    from scipy.stats import linregress

    from firmware_bridge.replay.audio_file import audio_info

    if inp.audio_path is None or not inp.analyse_audio:
        return None
    pts = [(float(t["t_peak"]), float(t["first_pop_ms_from_peak"]) / 1e3) for t in summary.thrusts
           if t.get("pops") and t.get("first_pop_ms_from_peak") is not None and t.get("t_peak") is not None]
    if len(pts) < DRIFT_MIN_THRUSTS:
        return None
    t, off = np.array(pts).T
    t = t - inp.audio_t0_s                               # time since the audio's first sample
    if np.ptp(t) < DRIFT_MIN_SPAN_S:
        return None
    fit = linregress(t, off)
    slope = float(fit.slope)
    scatter = float(np.std(off - (fit.intercept + slope * t), ddof=2))
    if not fit.pvalue < DRIFT_P or abs(slope) * np.ptp(t) < DRIFT_SPREADS * max(scatter, POP_SCATTER_S):
        return None
    try:
        rate = inp.audio_rate_hz or float(audio_info(inp.audio_path)[0])
    except Exception:                                    # (said already where the file was read)
        return None
    first, last = 1e3 * off[np.argmin(t)], 1e3 * off[np.argmax(t)]

    def said(ms: float) -> str:
        return f"{abs(ms):.0f} ms {'before' if ms < 0 else 'after'}"

    # (the trainee's first pops coming earlier or later thrust by thrust draw the same line: no
    # rule tells the two apart from the pops, so the rate is offered, not said to be wrong)
    return (f"{inp.audio_path}: the pops drift against the thrusts, from {said(first)} the peak to {said(last)} "
            f"it {np.ptp(t):.0f} s later ({100 * slope:+.2f} % of the time): if the audio's rate is off (a file "
            f"whose header gives another rate), replay with --audio-rate {rate * (1 + slope):.1f} to straighten "
            f"it; pops that came earlier or later over the practice draw the same line")
