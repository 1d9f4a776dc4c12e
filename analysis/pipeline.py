"""One analysis pipeline for live use and replay: chunks in, events out.

``Analyzer.feed(chunk)`` dispatches by ``chunk.stream`` to the registered processor. The
registry maps a stream name to a factory ``f(analyzer) -> processor``; a processor has
``feed(chunk) -> list[Event]`` and ``finish() -> list[Event]``. Thrusts are announced to
processors that want them (``note_thrust``). Each cavitation pop is tied here to the thrust
whose peak is nearest within the tie window: the force sensor's thrusts, or with a worn IMU and
no force sensor, the IMU's (a pop during an IMU's thrust whose deepest point is not known yet
is that thrust's).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from analysis.cavitation_features import joined
from analysis.chunk import Chunk
from dataclasses import replace

from analysis.events import CavitationEvent, CycleEvent, Event, GapEvent, ThrustEvent, WarningEvent
from analysis.force import PEAK_BEFORE_TRIGGER_S, ForceProcessor
from analysis.scheme import GradingScheme, ThrustScheme
from analysis.summary import Summarizer, recording_length_s

# how long after a pop a thrust may begin and still have it: short, so that tying a pop to its
# thrust waits for no force beyond what has come when the detector gives the pop (37 ms after it)
POP_LOOK_AHEAD_S = 0.01

# said without R1/R2 when a force's first cycle is found (not before: a thrust needs no calibration,
# and a session of thrusts alone was warned of a calibration it did not need); without the R2
# test a thrust must rise at ThrustScheme.min_rate_uncalibrated_n_per_s, so a slower one is read
# as a cycle, which is said too (three thrusts read as three one-cycle sets, said only ungraded)
NO_CALIBRATION = "no calibration (R1/R2): cycles are measured but not graded"


def no_calibration(thrust: ThrustScheme) -> str:
    """The warning :data:`NO_CALIBRATION`, with the rate a thrust must rise at without R1/R2."""
    return (f"{NO_CALIBRATION}, and a thrust must rise at {thrust.min_rate_uncalibrated_n_per_s:g} N/s or "
            f"faster to count as one")


# the audio finds no pop in its first 10 ms (the detector's noise floor is not yet there), and not
# always one with less than 10 ms of it before its end (what follows a pop tells it from a knock:
# 39 of 40 found with 6 or 8 ms of it, all 40 from 10 ms on; docs/audio.md, analysis/cavitation.py)
POP_FOUND_FROM_S = 0.010
POP_FOUND_BEFORE_END_S = 0.010

# a force cycle or thrust waits for the IMU this long past the last time it is measured to (the
# IMU's grid is resampled from the samples around each instant, so it lags the last one a little)
IMU_WAIT_S = 0.1

MIN_FORCE_RATE_HZ = 50.0      # below it a 1 Hz cycle has under 50 samples and a thrust's rise a handful
# hands give at most about a kilonewton (side-posture HVLA: 1011 N mean peak, J Chiropr Educ 37(2):73);
# a force file read five times beyond it, for this many samples, is not in newtons
MAX_HAND_FORCE_N = 5000.0
MIN_SAMPLES_BEYOND = 10

PROCESSORS: dict[str, Callable[["Analyzer"], object]] = {
    "force": lambda a: ForceProcessor(a.scheme, a.thrust_scheme),
}


def register_processor(stream: str, factory: Callable[["Analyzer"], object]) -> None:
    """Register the processor for a stream name (one line per new stream kind)."""
    PROCESSORS[stream] = factory


def _load_optional() -> None:
    # processors living in their own modules register themselves on import
    for mod in ("analysis.imu", "analysis.cavitation"):
        try:
            __import__(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise


class Analyzer:
    """Feed chunks of any stream; collects a summary. Deterministic: no clocks, no threads."""

    def __init__(self, scheme: GradingScheme | None = None, thrust: ThrustScheme | None = None,
                 streams: tuple[str, ...] | None = None, options: dict | None = None,
                 audio_name: str | None = None) -> None:
        """``audio_name`` is where the sound comes from (its file, or the microphone): the
        warnings about it name it, as every other warning about the audio does."""
        _load_optional()
        self.audio_name = str(audio_name) if audio_name else None
        self.scheme = scheme or GradingScheme()
        self.thrust_scheme = thrust or ThrustScheme()
        self.options = dict(options or {})
        self.processors: dict[str, object] = {}
        self.summarizer = Summarizer(self.scheme)
        self.warnings: list[str] = []
        self.skipped_rows = 0
        self.tie_window_s = float(self.options.get("tie_window_s", self.thrust_scheme.pop_window_ms / 1000.0))
        self._pops: list[CavitationEvent] = []
        self._held: list[Event] = []           # force cycles and thrusts waiting for the IMU
        self._t_min: float | None = None
        self._t_max: float | None = None
        self._spans: dict[str, list[float]] = {}   # per stream: first and last sample time (s)
        self._loud: list[tuple[float, float]] = []   # loud sound of audio processors let go (s)
        self._cuts: dict[str, list[float]] = {}    # per stream: joins registered (cut_before)
        self._n_beyond = 0                      # force samples beyond MAX_HAND_FORCE_N …
        self._max_beyond = 0.0                  # … and the largest of them (N)
        for s in streams or ():
            self._proc(s)

    # what a new calibration or target changes of the settings; the analysis goes on with them
    # (regrade), where a change of anything else needs a fresh one
    REGRADED = ("r1_n", "r2_n", "target_grade", "target_modifier")
    RETARGETED = ("preload_corridor_n", "peak_corridor_n")

    def regrade(self, scheme: GradingScheme, thrust: ThrustScheme) -> bool:
        """Go on with ``scheme`` and ``thrust`` when they differ from this analysis's own only in
        the calibration (R1, R2) and the target: what it has seen and the cycle in progress are
        kept, and what it finds from now on is graded with them. False, and nothing changed, for
        any other difference, which needs a fresh analysis. Its summary is then not one of the
        recording: it judges every set, those before the change too, by the new target (the
        trainer, which regrades, keeps its own sets; replay and record never regrade)."""
        old, old_thrust = self.scheme, self.thrust_scheme
        if (replace(scheme, **{k: getattr(old, k) for k in self.REGRADED}) != old
                or replace(thrust, **{k: getattr(old_thrust, k) for k in self.RETARGETED}) != old_thrust):
            return False
        self.scheme, self.thrust_scheme = scheme, thrust
        self.summarizer.scheme = scheme
        force = self.processors.get("force")
        if isinstance(force, ForceProcessor):
            force.regrade(scheme, thrust)
        return True

    def _proc(self, stream: str):
        p = self.processors.get(stream)
        if p is None:
            factory = PROCESSORS.get(stream)
            if factory is None:
                return None
            p = self.processors[stream] = factory(self)
            for t in self._cuts.pop(stream, ()) if hasattr(p, "cut_before") else ():
                p.cut_before(t)
        return p

    def cut_before(self, t_s: float, stream: str = "force") -> None:
        """A join in ``stream``'s times that they do not show (a logger's clock that stepped back,
        the rows between skipped): its processor restarts at its first sample at or after ``t_s``
        (s) as after a dropout, with no cycle or thrust across it. Register it before feeding
        that stream's samples around it. Only processors that can restart so take it (the force
        sensor's, :meth:`ForceProcessor.cut_before`, and the IMU's,
        :meth:`~analysis.imu.ImuProcessor.cut_before`); for others it is ignored."""
        p = self.processors.get(stream)
        if p is None:
            self._cuts.setdefault(stream, []).append(float(t_s))
        elif hasattr(p, "cut_before"):
            p.cut_before(float(t_s))

    def loud_spans(self) -> list[tuple[float, float]]:
        """The stretches (s) of sound that hides pops (a voice, music) its pop detectors heard,
        those let go by :meth:`finish_stream` too (:attr:`CavitationDetector.loud_spans`)."""
        return [*self._loud, *getattr(self.processors.get("audio"), "loud_spans", [])]

    def thrusts_cut(self) -> set[int]:
        """The indices of the IMU's thrusts its data broke off in before they were known
        (:meth:`ImuProcessor.thrusts_cut <analysis.imu.ImuProcessor.thrusts_cut>`): a pop given
        with one of them (it named the thrust in progress at once) is tied to no thrust given, as
        the summary counts it."""
        imu = self.processors.get("imu")
        return imu.thrusts_cut() if hasattr(imu, "thrusts_cut") else set()

    def start_events(self) -> list[Event]:
        """Warnings known before any data (e.g. missing calibration, rows of the file skipped):
        at no time of the data (``t_detect_s`` None)."""
        return [WarningEvent(message=w, t_detect_s=None) for w in self.warnings]

    def marked(self, gaps: list[GapEvent]) -> None:
        """Gaps the source or the recording marked (a sensor lost, samples it dropped), which
        the caller emits, not this analysis: one past the last sample (the sensor lost before
        the end) counts in the summary's ``duration_s``, as the time without data of a
        recording made for a duration does."""
        self.summarizer.add(list(gaps))

    def feed(self, chunk: Chunk) -> list[Event]:
        if len(chunk) == 0:
            return []
        t0, t1 = float(chunk.t_s[0]), float(chunk.t_s[-1])
        self._t_min = t0 if self._t_min is None else min(self._t_min, t0)
        self._t_max = t1 if self._t_max is None else max(self._t_max, t1)
        sp = self._spans.setdefault(chunk.stream, [t0, t1])
        sp[0], sp[1] = min(sp[0], t0), max(sp[1], t1)
        if chunk.stream == "force":
            v = np.abs(np.asarray(chunk.values, dtype=np.float64))
            big = v[np.isfinite(v) & (v > MAX_HAND_FORCE_N)]
            if big.size:
                self._n_beyond += int(big.size)
                self._max_beyond = max(self._max_beyond, float(big.max()))
        p = self._proc(chunk.stream)
        if p is None:
            return []
        events = self._uncalibrated(self._one_source_of_thrusts(p.feed(chunk), chunk.stream), chunk.stream)
        self._announce(events, chunk.stream)
        events = self._tie_pops(events)
        events = self._add_loops(events)
        self.summarizer.add(events)
        return events

    def finish_stream(self, stream: str) -> list[Event]:
        """``stream`` ended while the others go on (a played recording's sound cut before its
        force, a microphone turned off): its processor gives what waited for more of it, as at
        the end of the data, and is let go; its events go on as any it gives (pops tied to their
        thrusts as the force passes them). More of that stream later starts a processor anew."""
        p = self.processors.pop(stream, None)
        if p is None:
            return []
        self._loud += getattr(p, "loud_spans", [])
        events = self._uncalibrated(self._one_source_of_thrusts(p.finish(), stream), stream)
        self._announce(events, stream)
        events = self._tie_pops(events)
        events = self._add_loops(events)
        self.summarizer.add(events)
        return events

    def _uncalibrated(self, events: list[Event], origin: str) -> list[Event]:
        """``events`` with :func:`no_calibration`'s warning before the force's first cycle when
        there are no R1/R2 (only force cycles are graded: an IMU alone measures millimetres)."""
        if origin != "force" or self.scheme.calibrated:
            return events
        said = no_calibration(self.thrust_scheme)
        if said in self.warnings:
            return events
        for i, e in enumerate(events):
            if isinstance(e, CycleEvent):
                self.warnings.append(said)
                return [*events[:i], WarningEvent(message=said, t_detect_s=e.t_detect_s), *events[i:]]
        return events

    def _add_loops(self, events: list[Event], final: bool = False) -> list[Event]:
        """With force and IMU together, give each cycle its displacement amplitude and its
        force–displacement loop (Maitland's movement diagram), and each force thrust the hand's
        movement from its onset to its deepest point (``displacement_mm``). A cycle waits until
        the IMU stream has passed its end, a thrust until it has passed its peak (and
        ``force_peak_slack_s``), by ``IMU_WAIT_S``: what they are given then does not depend on
        how either stream was chunked. Without an IMU nothing waits."""
        imu, force = self.processors.get("imu"), self.processors.get("force")
        if imu is None or force is None:
            return events
        from analysis.imu import force_displacement_loop

        def waits(e: Event) -> bool:
            return isinstance(e, CycleEvent) or (isinstance(e, ThrustEvent) and e.source == "force")

        self._held.extend(e for e in events if waits(e))
        out = [e for e in events if not waits(e)]
        keep: list[Event] = []
        for c in self._held:
            if isinstance(c, ThrustEvent):
                if not final and not imu.measured_through(c.t_peak + imu.s.force_peak_slack_s + IMU_WAIT_S):
                    keep.append(c)
                    continue
                moved = imu.thrust_movement(c.t_onset, c.t_peak)
                out.append(c if moved is None else replace(c, displacement_mm=round(moved, 3)))
                continue
            if not final and (imu.t_last is None or imu.t_last < c.t_end + IMU_WAIT_S):
                keep.append(c)
                continue
            td, d = imu.displacement(c.t_start, c.t_end)
            tf, f = force.force_between(c.t_start, c.t_end)
            loop = force_displacement_loop(tf, f, td, d, c.t_start, c.t_end)
            if loop:
                ds = [p[0] for p in loop]
                c = replace(c, loop=loop, displacement_mm=round(max(ds) - min(ds), 3))
            out.append(c)
        self._held = keep
        return out

    def _tie_pops(self, events: list[Event], final: bool = False) -> list[Event]:
        """Tie each cavitation pop to the thrust whose peak is nearest within ``tie_window_s``,
        before or after the pop, among the thrusts that had begun by ``POP_LOOK_AHEAD_S`` after it:
        the force sensor's thrusts, or with a worn IMU and no force sensor, the IMU's.

        A pop waits until the stream of thrusts has passed that time (the force also
        ``PEAK_BEFORE_TRIGGER_S`` more, for a peak found just before its trigger) and every
        thrust begun by then has been decided, so the result does not depend on chunk sizes or
        on how the streams were interleaved. A pop during a force thrust known by then (its
        candidate triggered by that time and not yet decided, and found a thrust: see
        :meth:`ForceProcessor.thrusts_to_one_in_progress
        <analysis.force.ForceProcessor.thrusts_to_one_in_progress>`) is tied among that thrust
        and those before it, without that 25 ms more: with a BLE sensor's packets 12.5 ms apart,
        that wait gave such pops up to 48 ms after they began, in the data's own time. The
        look-ahead is short so as to cost no latency: the detector gives a pop 37 ms after it
        began, by when the force has passed it. A thrust
        that begins later, whose rise a pop came before, is not waited for: a pop belongs to the
        thrust it came in. So, with an IMU's thrusts, a pop during a thrust whose deepest point is
        not known yet (:meth:`ImuProcessor.thrust_in_progress
        <analysis.imu.ImuProcessor.thrust_in_progress>`) is that thrust's whatever the window, and
        is given at once rather than when the hand has come back from that point.
        """
        self._pops.extend(e for e in events if isinstance(e, CavitationEvent))
        if not self._pops:
            return events
        out = [e for e in events if not isinstance(e, CavitationEvent)]
        force, imu = self.processors.get("force"), self.processors.get("imu")
        keep = []
        for pop in self._pops:
            horizon = pop.t + POP_LOOK_AHEAD_S
            if force is not None:
                # (pops kept in order: one may be given before the force passes an earlier one's)
                upto = force.thrusts_to_one_in_progress(horizon) if not keep else []
                if upto is not None and not upto and not final:
                    keep.append(pop)
                    continue
                if upto:
                    # a pop during a thrust known (its index and peak final) is tied among it and
                    # those before it once the force has passed the horizon: no wait for a thrust
                    # that might begin later and peak before its trigger
                    known, end = upto, horizon
                elif not final and not force.thrusts_decided_through(horizon):
                    keep.append(pop)
                    continue
                else:
                    # every thrust begun (or peaking) by the horizon is decided here, whatever the
                    # chunking; each known from its commitment on, when that came before its event
                    known = force.thrusts_begun_by(horizon)
                    # decided once the force passed the horizon and those thrusts were decided (a
                    # time from the samples alone)
                    end = horizon + PEAK_BEFORE_TRIGGER_S
                last = force.t_last
            elif imu is not None and hasattr(imu, "thrusts_known_through"):
                going = imu.thrust_in_progress(horizon) if not keep else None   # (pops kept in order)
                if going is not None:
                    # a pop during a thrust whose deepest point is not known yet is the thrust's,
                    # given at once (its peak is known only once the hand comes back, 10-38 ms
                    # after it, and pops come up to ~50 ms before it)
                    t_dec = max(pop.t_detect_s, horizon)
                    out.append(replace(pop, thrust=going, t_detect_s=round(t_dec, 6)))
                    continue
                if not final and not imu.thrusts_known_through(horizon):
                    keep.append(pop)
                    continue
                # (an IMU's thrust peaks after its onset: those begun by the horizon), each known
                # from its peak on, when that came before its event
                known = imu.thrusts_begun_by(horizon)
                end = horizon
                last = imu.t_analysed
            else:
                out.append(pop)
                continue
            if last is None or last < end:           # (final: the stream ended before it)
                end = last if last is not None else pop.t_detect_s
            t_dec = max([pop.t_detect_s, end] + [t_known for _, t_known in known])
            near = [(abs(ev.t_peak - pop.t), ev) for ev, _ in known if abs(ev.t_peak - pop.t) <= self.tie_window_s]
            if near:
                _, ev = min(near, key=lambda x: x[0])
                pop = replace(pop, thrust=ev.index)
            out.append(replace(pop, t_detect_s=round(t_dec, 6)))
        self._pops = keep
        self._forget_thrusts(force, imu)
        return out

    def _forget_thrusts(self, *procs) -> None:
        """Let the thrust streams forget the thrusts no pop can be tied to any more: those that
        peaked more than the tie window (and a second) before the earliest pop still waiting and
        before the sound analysed so far (a pop is given within a fraction of a second of it)."""
        audio = self.processors.get("audio")
        if audio is None or audio.t_last is None:
            return
        t = min([p.t for p in self._pops] + [audio.t_last]) - self.tie_window_s - 1.0
        for p in procs:
            if p is not None and hasattr(p, "forget_thrusts"):
                p.forget_thrusts(t)

    def _one_source_of_thrusts(self, events: list[Event], origin: str) -> list[Event]:
        """With force, a thrust is the force's: the IMU's view of the same thrust (no forces in
        it) would count it twice."""
        if origin == "imu" and "force" in self.processors:
            return [e for e in events if not isinstance(e, ThrustEvent)]
        return events

    def _announce(self, events: list[Event], origin: str) -> None:
        thrusts = [e for e in events if isinstance(e, ThrustEvent)]
        if not thrusts:
            return
        for name, p in self.processors.items():
            if name != origin and hasattr(p, "note_thrust"):
                for t in thrusts:
                    p.note_thrust(t)

    def finish(self) -> list[Event]:
        """Flush every processor and append the summary (always the last event)."""
        out: list[Event] = []
        for name, p in self.processors.items():
            ev = self._uncalibrated(self._one_source_of_thrusts(p.finish(), name), name)
            self._announce(ev, name)
            out.extend(ev)
        out = self._tie_pops(out, final=True)
        out = self._add_loops(out, final=True)
        self.summarizer.add(out)
        force = self.processors.get("force")
        if self._n_beyond >= MIN_SAMPLES_BEYOND:
            self.warnings.append(f"the force reaches {self._max_beyond:.0f} N, far beyond what hands give (about "
                                 f"1000 N at most): is it in newtons? Millinewtons, grams or raw sensor counts read "
                                 f"a thousand times too large (name the units: force_units in session.json, \"mN\" for "
                                 f"millinewtons, or force_mn, force_kgf, force_lbf in a CSV's header); until then "
                                 f"every grade and thrust figure is wrong")
        if isinstance(force, ForceProcessor):
            self.warnings.extend(force.notes())
        if isinstance(force, ForceProcessor) and force.dropped_backwards:
            n = force.dropped_backwards
            self.warnings.append(f"{n} sample{'s' if n != 1 else ''} skipped: time did not advance")
        if isinstance(force, ForceProcessor):
            # flat for four of the sensor's own samples at least: two or three equal readings at a
            # slow rate's broad peak are only its resolution
            step_ms = 1e3 * force.sampled_s / force.n_steps if force.n_steps else 0.0
            for i, top, ms in force.thrusts.flat_tops:
                if ms < 4 * step_ms:
                    continue
                self.warnings.append(f"thrust {i + 1}: the force stays at {top:.0f} N for {ms:.0f} ms at its "
                                     f"peak: the sensor may have reached the end of its range (the peak "
                                     f"and time to peak then read low)")
        if isinstance(force, ForceProcessor) and force.n_steps > 10 and force.sampled_s > 0:
            rate = force.n_steps / force.sampled_s
            if rate < MIN_FORCE_RATE_HZ:
                self.warnings.append(f"force sampled at {rate:.0f} Hz, under the {MIN_FORCE_RATE_HZ:g} Hz the "
                                     f"analysis needs: crests, grades and thrust timing may be wrong")
        if getattr(self.processors.get("audio"), "nonfinite", 0):
            n = self.processors["audio"].nonfinite
            said, were = (f"{n} audio samples were not numbers", "were") if n != 1 else \
                ("1 audio sample was not a number", "was")
            where = f"{self.audio_name}: " if self.audio_name else ""
            self.warnings.append(f"{where}{said} (NaN or infinite) or {were} beyond any full scale (over 1e12) "
                                 f"and {were} read as silence")
        # (a gap marked past the last sample, the sensor lost before the end: in the length)
        dur = recording_length_s(self._t_min, self._t_max, self.summarizer.gap_ends_s) if self._t_min is not None else 0.0
        heard = None
        if "audio" in self.processors:
            # the times a pop could be found at; a thrust's pops are known only when they cover
            # every time a pop could be tied to it at: its peak ± the tie window, from no earlier
            # than the look-ahead and the trigger's 25 ms before its onset (a pop is tied only to
            # a thrust begun by then; so the start of the force, before which none began, clips
            # the window too)
            a0, a1 = self._spans.get("audio", (np.inf, -np.inf))
            heard = (a0 + POP_FOUND_FROM_S, a1 - POP_FOUND_BEFORE_END_S)
        sensor = self._spans.get("force") or self._spans.get("imu")
        loud = self.loud_spans()
        summary = self.summarizer.summary(dur, self.skipped_rows, self.warnings, heard, self.tie_window_s,
                                          POP_LOOK_AHEAD_S + PEAK_BEFORE_TRIGGER_S,
                                          tuple(sensor) if sensor else None, loud)
        out.append(replace(summary,
                           audio="audio" in self.processors,
                           spans_s={k: [round(v[0], 6), round(v[1], 6)] for k, v in self._spans.items()},
                           loud_s=[[round(a, 3), round(b, 3)] for a, b in joined(loud)]))
        return out
