"""The force processor: resample → thrust detector → cycle detector, one object per stream."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from analysis.chunk import Chunk
from analysis.cycles import CycleDetector
from analysis.events import Event, GapEvent, ThrustEvent
from analysis.resample import MAX_GAP_S, Resampler
from analysis.scheme import GradingScheme, ThrustScheme
from analysis.thrust import ThrustDetector


# the peak is looked for from 20 ms before the running maximum that began at the trigger
# (analysis/thrust.py, ThrustDetector._measure), plus a sample of the grid
PEAK_BEFORE_TRIGGER_S = 0.025


class TareCheck:
    """Signs of a sensor that was not zeroed before recording, from the smoothed force.

    The force is taken in fixed half-``tare_rest_s`` blocks of each run of the grid (so the
    result does not depend on chunking): a run of blocks wholly below ``-tol`` is a negative
    rest; the lowest block mean is the recording's floor; the first ``tare_rest_s`` of the
    first run and the last of the last are its start and end (see ``GradingScheme``).
    """

    def __init__(self, scheme: GradingScheme, rate_hz: float) -> None:
        self.fs = float(rate_hz)
        self.tol = self.tolerance(scheme)
        self.n_rest = max(2, int(round(scheme.tare_rest_s * rate_hz)))
        self.nb = self.n_rest // 2
        self.floor = np.inf                     # lowest block mean so far
        self.start: tuple[float, float] | None = None    # (mean, spread) of the first rest
        self._first: list[np.ndarray] | None = []        # blocks of the first run, until two
        self.neg_best = (0, -np.inf)            # (blocks, highest force) of the longest negative run
        self._neg = (0, -np.inf)                # the run going on
        self._pend = np.empty(0)
        self._runs = 0

    @staticmethod
    def tolerance(scheme: GradingScheme) -> float:
        """How far below zero (N) the force may rest before the sensor counts as not zeroed."""
        return max(scheme.tare_tol_n, scheme.tare_tol_frac * (scheme.r1_n or 0.0))

    def feed(self, y: np.ndarray, new: bool) -> None:
        if new:
            self._pend, self._neg = np.empty(0), (0, -np.inf)
            self._runs += 1
            if self._runs > 1:
                self._first = None              # the first run was shorter than a rest
        buf = np.concatenate([self._pend, y])
        n_full = len(buf) // self.nb
        self._pend = buf[n_full * self.nb:].copy()
        if not n_full:
            return
        blocks = buf[:n_full * self.nb].reshape(n_full, self.nb)
        means, tops = blocks.mean(axis=1), blocks.max(axis=1)
        self.floor = min(self.floor, float(means.min()))
        if self._first is not None:
            self._first.extend(blocks[:2 - len(self._first)])
            if len(self._first) == 2:
                a = np.concatenate(self._first)
                self.start, self._first = (float(a.mean()), float(np.ptp(a))), None
        run, top = self._neg
        for hi in tops.tolist():
            run, top = (run + 1, max(top, hi)) if hi < -self.tol else (0, -np.inf)
            if run > self.neg_best[0]:
                self.neg_best = (run, top)
        self._neg = (run, top)

    def notes(self, end: np.ndarray) -> list[str]:
        """Warnings for the recording, given its last smoothed samples ``end``."""
        run, top = self.neg_best
        if run * self.nb >= self.n_rest and self.start is not None and abs(self.start[0]) <= self.tol \
                and self.start[1] <= self.tol and self.floor < -3 * self.tol:
            # at rest near zero, and pushes went down from there: not an offset (that would rest
            # below zero too), the sensor's sign is the other way round
            return [f"the force rested at {self.start[0]:.0f} N, then went down from there and stayed below "
                    f"{top:.0f} N for {run * self.nb / self.fs:.1f} s: pushes read negative, so the "
                    f"sensor's sign is reversed (a load cell wired or set up for pull); reverse it and record "
                    f"again (every grade and thrust figure is wrong until then)"]
        if run * self.nb >= self.n_rest:
            return [f"the force stayed below {top:.0f} N for {run * self.nb / self.fs:.1f} s, "
                    f"which no push gives: the sensor was not zeroed, so every force reads low; "
                    f"tare it with nothing on it and record again"]
        if not self.floor > 2 * self.tol:
            return []
        end = end[-self.n_rest:] if len(end) >= self.n_rest else None
        rests = {"start": self.start, "end": None if end is None else (float(end.mean()), float(np.ptp(end)))}
        # one end is enough: a recording started with the hand already on (or stopped with it
        # still on) has no rest at that end, and its offset is as wrong as any
        still = [k for k, r in rests.items() if r is not None and r[0] - self.floor <= self.tol and r[1] <= self.tol]
        if still:
            where = " and ".join(still)
            return [f"the force never fell below {self.floor:.0f} N and sat steadily at that level at the "
                    f"{where} of the recording: if nothing pressed on the sensor then, it was not "
                    f"zeroed and every force reads {self.floor:.0f} N high; tare it with nothing on it "
                    f"and record again"]
        return []


def _least_peak(g: GradingScheme, thrust: ThrustScheme) -> float | None:
    """The least peak (N) of a thrust with a calibration: past the limit of range, beyond what a
    crest beyond R2 is flagged at; None without one."""
    if g.r1_n is None or g.r2_n is None:
        return None
    return thrust.min_peak_r2 * g.r2_n + g.beyond_tol * (g.r2_n - g.r1_n)


class ForceProcessor:
    """Stateful force analysis; ``feed(chunk)`` returns events ordered by decision time.

    Output depends only on the samples, never on how they were chunked (tested with
    hypothesis). Samples whose time does not advance are skipped and counted in
    ``dropped_backwards``; pauses over ``max_gap_s``, and joins registered with
    :meth:`cut_before`, produce a :class:`GapEvent` (a "dropout").
    """

    stream = "force"
    BLOCK = 4096

    def __init__(self, scheme: GradingScheme | None = None, thrust: ThrustScheme | None = None,
                 grid_hz: float = 1000.0, max_gap_s: float = MAX_GAP_S) -> None:
        self.scheme = scheme or GradingScheme()
        self.thrust_scheme = thrust or ThrustScheme()
        self.resampler = Resampler(grid_hz, max_gap_s)
        self.cycles = CycleDetector(self.scheme, grid_hz)
        self.thrusts = ThrustDetector(self.thrust_scheme, grid_hz, self.scheme.r2_n,
                                      _least_peak(self.scheme, self.thrust_scheme))
        self.tare = TareCheck(self.scheme, grid_hz)
        self._n_gaps = 0
        self._accepted: list = []           # thrusts so far (recent ones are enough)
        self._pending: list = []            # hold-like cycles waiting for a thrust decision
        self._set_index, self._set_end = 0, None    # set of the cycles kept, and where it ended
        self.t_first: float | None = None
        self.t_last: float | None = None
        self.n_samples = 0
        self.n_steps, self.sampled_s = 0, 0.0
        self.gridded = False                # whether any sample reached the uniform grid yet

    def regrade(self, scheme: GradingScheme, thrust: ThrustScheme) -> None:
        """Go on with another calibration (R1, R2), target or thrust corridors: what was seen and
        the cycle in progress are kept, and what is found from now on is graded with them (the
        cycles' grades, hysteresis and minimum amplitude read R1 and R2 as they go; a thrust's least
        peak and the tare check's tolerance are worked out again as they are on making)."""
        self.scheme, self.thrust_scheme = scheme, thrust
        self.cycles.scheme = scheme
        self.thrusts.s, self.thrusts.r2_n = thrust, scheme.r2_n
        self.thrusts.min_peak_n = _least_peak(scheme, thrust)
        self.tare.tol = TareCheck.tolerance(scheme)

    def cut_before(self, t_s: float) -> None:
        """Treat the step into the first sample at or after ``t_s`` (s) as a dropout: the detectors
        restart there, no cycle or thrust spans it, and a "dropout" gap is given from the sample
        before it (the caller that knows why marks it with its reason). For a join the times do
        not show: a logger's clock that stepped back, the rows between skipped. Register it before
        feeding those samples; the result does not depend on chunking."""
        self.resampler.cut_before(t_s)

    @property
    def dropped_backwards(self) -> int:
        return self.resampler.dropped_backwards

    def feed(self, chunk: Chunk) -> list[Event]:
        return self.feed_arrays(chunk.t_s, chunk.values)

    def feed_arrays(self, t_s: np.ndarray, force_n: np.ndarray) -> list[Event]:
        t_s = np.asarray(t_s, dtype=np.float64)
        force_n = np.asarray(force_n, dtype=np.float64)
        if force_n.ndim > 1:
            force_n = force_n[:, 0]
        if len(t_s) == 0:
            return []
        # the sampling rate, from the steps between samples (a dropout is not sampling time)
        steps = np.diff(t_s if self.t_last is None else np.concatenate([[self.t_last], t_s]))
        steps = steps[(steps > 0) & (steps <= self.resampler.max_gap_s)]
        self.sampled_s += float(steps.sum())
        self.n_steps += len(steps)
        if self.t_first is None:
            self.t_first = float(t_s[0])
        self.t_last = float(t_s[-1]) if self.t_last is None else max(self.t_last, float(t_s[-1]))
        self.n_samples += len(t_s)
        out: list[Event] = []
        for seg in self.resampler.feed(t_s, force_n):
            self.gridded = self.gridded or len(seg.x) > 0
            if seg.new:
                # (the gaps up to this run's start: one split off later in the same samples comes
                # after this run's events, as it does fed in chunks)
                out.extend(self._gaps(float(seg.t_s[0])) if len(seg.t_s) else [])
            # blocks bounded well inside the detectors' histories
            for b in range(0, len(seg.x), self.BLOCK):
                k0 = seg.k0 + b
                tb, xb = seg.t_s[b:b + self.BLOCK], seg.x[b:b + self.BLOCK]
                new = seg.new and b == 0
                n_res = self.thrusts.n_resolved
                thrusts = self.thrusts.feed(k0, tb, xb, new)
                self._accepted.extend(thrusts)
                cycles = self.cycles.feed(k0, tb, xb, new)
                self.tare.feed(self.cycles.hist.get(k0, k0 + len(xb)), new)
                out.extend(sorted(thrusts + self._gate(cycles, self.thrusts.resolved[len(self.thrusts.resolved) - (self.thrusts.n_resolved - n_res):]),
                                  key=lambda e: (e.t_detect_s, e.TYPE)))
        out.extend(self._gaps())
        return out

    def _gate(self, cycles: list, resolved: list) -> list[Event]:
        """Drop cycles that overlap an accepted thrust (± ``guard_s``): the preload, let-up and
        release around a thrust are never also cycles.

        A cycle confirmed while a thrust candidate was still undecided waits for that decision
        when it sat near its crest for a good part of its period (like a held preload), or when
        the candidate began within it (a rise waiting to show whether cycles of its size follow
        it is such a cycle, or a thrust), or when it began within ``guard_s`` after the cycle and
        either had risen more than the cycle's height over its crest by the time the cycle was
        confirmed or the cycle itself never rose at half the candidate's trigger rate (a thrust
        out of a preload, not the set's next cycle); other oscillations never wait, and are
        dropped only for a thrust decided by the time they were confirmed. These rules depend on
        the samples only, so the output does not depend on chunking.
        """
        g = self.thrust_scheme.guard_s
        self._accepted = self._accepted[-20:]

        def clear(c, by_s: float = np.inf) -> bool:
            return not any(t.t_onset - g <= c.t_end and c.t_start <= t.t_peak + g
                           for t in self._accepted if t.t_detect_s <= by_s)

        def watch(c, k_trig: int) -> bool:
            t_trig = self._t_of(k_trig)
            if (c.crest_dwell_pct or 0.0) > self.thrust_scheme.pend_dwell_pct or c.t_start <= t_trig <= c.t_end:
                return True
            if not c.t_end < t_trig <= c.t_end + g:
                return False
            # a rise begun within the guard after the cycle that is no next cycle of its set: the
            # cycle's own steepest rise (a sine's, pi * amplitude * frequency) was under half the
            # rate that set the candidate off, or the rise had already gone further over the
            # cycle's crest than the cycle's height when the cycle was confirmed (a thrust out of
            # the held preload that "cycle" was part of)
            if np.pi * c.amplitude_n * c.freq_hz < 0.5 * self.thrust_scheme.trigger_rate_n_per_s:
                return True
            rise = self.cycles.hist.get(k_trig, self._k_of(c.t_detect_s) + 1)
            return rise.size > 0 and float(rise.max()) - c.crest_n >= max(c.amplitude_n,
                                                                             self.thrust_scheme.min_amplitude_n)

        out = []
        waiting, self._pending = self._pending + [(c, None) for c in cycles], []
        active = self.thrusts.active_since
        for c, _ in waiting:
            k_c = self._k_of(c.t_detect_s)
            blocking = [r for r in resolved if r[0] <= k_c < r[1] and watch(c, r[0])]
            if blocking:
                if clear(c):
                    out.append(replace(c, t_detect_s=max(c.t_detect_s, self._t_of(max(r[1] for r in blocking)))))
            elif active is not None and active <= k_c and watch(c, active):
                self._pending.append((c, None))
            elif clear(c, c.t_detect_s):
                out.append(c)
        return [self._number_set(c) for c in out]

    def _number_set(self, c):
        """Number the sets among the cycles kept: the detector's numbers also counted cycles
        dropped here as parts of a thrust, so sets were missing from the count (6, then 9)."""
        if self._set_end is not None and c.t_start - self._set_end > self.scheme.set_gap_s:
            self._set_index += 1
        self._set_end = c.t_end if self._set_end is None else max(self._set_end, c.t_end)
        return c if c.set_index == self._set_index else replace(c, set_index=self._set_index)

    def force_between(self, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Smoothed force (N) between two times, from the cycle detector's bounded history."""
        c = self.cycles
        k0, k1 = self._k_of(t0_s + c.delay_s) - 1, self._k_of(t1_s + c.delay_s) + 2
        y = c.hist.get(k0, k1)
        k_first = max(k0, c.hist.k_start)
        return self._t_of(k_first) - c.delay_s + np.arange(len(y)) / self.resampler.rate_hz, y.copy()

    def thrusts_decided_through(self, t: float) -> bool:
        """Whether every thrust whose peak lies at or before ``t`` (s) has been decided (given,
        or committed: see :attr:`analysis.thrust.ThrustDetector.committed`), so that
        another stream's event can be related to them whatever the chunking. A peak lies at
        most ``PEAK_BEFORE_TRIGGER_S`` before its candidate's trigger, and a trigger not yet
        found lies past the samples fed. False before any sample reached the grid."""
        if not self.gridded:
            return False
        d = self.thrusts
        if d._t(d.hist.k_end - 1) - PEAK_BEFORE_TRIGGER_S < t:
            return False
        # (a thrust committed, its event waiting for its release, is decided)
        return d.active_since is None or d.committed is not None or d._t(d.active_since) - PEAK_BEFORE_TRIGGER_S > t

    def thrusts_to_one_in_progress(self, t: float) -> list[tuple[ThrustEvent, float]] | None:
        """With a thrust in progress at ``t`` (s) — its candidate triggered at or before ``t`` and
        not decided by then, and found a thrust (committed or given) — that thrust and those given
        before it, each with the time it was known, as :meth:`thrusts_begun_by`: a thrust triggered
        after it is not one ``t`` lies in, so no more of the force need be waited for. ``[]`` while
        that candidate is not yet known to be a thrust or not; None when no candidate was in
        progress at ``t``, it was found no thrust, or the samples analysed have not reached ``t``
        (:meth:`thrusts_decided_through` and :meth:`thrusts_begun_by` then decide). Once the
        samples have reached ``t``, the same whatever the chunking, but for that wait."""
        if not self.gridded:
            return None
        d = self.thrusts
        at = d.in_progress_at(t)
        if at is None:
            return None
        t_trig, ev, given = at
        if ev is None:                           # (not yet known: wait)
            return []
        out = [(e, t_known) for t_e, e, t_known in d.given if t_e <= t_trig]
        if not given:                            # (committed: its event still to come)
            out.append((ev, ev.t_detect_s))
        return out

    def thrusts_begun_by(self, t: float) -> list[tuple[ThrustEvent, float]]:
        """The thrusts (given and not forgotten, or committed) that had begun by ``t`` (s) — their trigger,
        less ``PEAK_BEFORE_TRIGGER_S``, at or before it — or peaked by then, each with the time it
        was known (its commitment, or its event): once :meth:`thrusts_decided_through` ``t``, the
        same whatever the chunking."""
        d = self.thrusts
        c = d.committed
        begun = d.given + ([(d._t(d.trig_k), c, c.t_detect_s)] if c is not None else [])
        return [(ev, t_known) for t_trig, ev, t_known in begun
                if ev.t_peak <= t or t_trig - PEAK_BEFORE_TRIGGER_S <= t]

    def forget_thrusts(self, t: float) -> None:
        """Forget, for :meth:`thrusts_begun_by`, the thrusts decided (so peaked) before ``t`` (s)."""
        self.thrusts.forget_given(t)

    def _k_of(self, t: float) -> int:
        d = self.thrusts
        return d._run_k0 + int(round((t - d._run_t0) * self.resampler.rate_hz))

    def _t_of(self, k: int) -> float:
        return self.thrusts._t(k)

    def _gaps(self, upto_s: float = np.inf) -> list[Event]:
        """The gaps not yet given that end by ``upto_s``, as events."""
        gaps = [g for g in self.resampler.gaps[self._n_gaps:] if g[1] <= upto_s]
        self._n_gaps += len(gaps)
        return [GapEvent(t_start=a, t_end=b, stream="force", reason="dropout", t_detect_s=b) for a, b in gaps]

    def finish(self) -> list[Event]:
        """End of stream: an unfinished cycle is not a cycle, and is not emitted; small cycles
        still held on a slow rise are; a thrust whose release had not yet reached half of it is,
        without a duration."""
        thrusts = self.thrusts.finish()
        self._accepted.extend(thrusts)
        return thrusts + self._gate(self.cycles.finish(), []) + self._gaps()

    def notes(self) -> list[str]:
        """What the user should know about the recording as a whole (for the summary's
        warnings), one message each: a sensor that was not zeroed, thrusts with no held preload,
        oscillations too small to be graded, a thrust the data break off before its peak."""
        h = self.cycles.hist
        out = self.tare.notes(h.get(h.k_end - self.tare.n_rest, h.k_end)) + self.cycles.small.notes()
        hold_s = self.thrust_scheme.hold_s
        for i, t_onset, move, f_onset in self.thrusts.no_hold:
            out.append(f"thrust {i + 1} at {t_onset:.1f} s came with no preload held: the force moved "
                       f"{move:.0f} N in the {hold_s:g} s before it (a ramp or an oscillation), so its "
                       f"preload is the {f_onset:.0f} N it started from and no let-up is measured; hold "
                       f"the preload, then thrust")
        out.extend(msg for _, msg in self.thrusts.faults)
        for t_a, t_last, end in self.thrusts.cut_off:
            # (a thrust broken off after its peak is given, without a duration)
            out.append(f"a thrust began at {t_a:.1f} s, but the force data "
                       f"{'ended' if end else 'stopped (a dropout)'} {1e3 * (t_last - t_a):.0f} ms into it, "
                       f"before its peak: it is not measured, nor counted")
        rate_hz = self.n_steps / self.sampled_s if self.n_steps > 10 and self.sampled_s > 0 else None
        timing_hz = self.thrust_scheme.min_timing_rate_hz
        if self.thrusts.count and rate_hz is not None and round(rate_hz) < timing_hz:
            n = self.thrusts.count
            out.append(f"force sampled at {rate_hz:.0f} Hz: the time to peak of {'each' if n > 1 else 'the'} "
                       f"thrust is known only to about {1e3 / rate_hz:.0f} ms (a thrust takes 60-250 ms; "
                       f"{timing_hz:g} Hz or more times it to a few ms)")
        return out
