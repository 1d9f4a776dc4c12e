"""Hand movement from a worn IMU: displacement per cycle, thrusts from acceleration, and the
force–displacement loop behind Maitland's movement diagram.

Method (causal filters with carried state, so the events do not depend on chunking; details
and limits in docs/imu.md):

1. Samples no hand can produce (``glitch_acc_mps2``, ``glitch_gyro_rads``, or not numbers)
   are glitches: left out and counted, so the rest reads as if they were absent. All six
   columns are then despiked and resampled onto one uniform grid
   (:class:`analysis.resample.Resampler`, fed the six as rows). A dropout
   restarts the analysis (a :class:`GapEvent` with ``stream="imu"``), as does a join the times
   do not show (a logger's clock that stepped back: :meth:`ImuProcessor.cut_before`); a run's
   first second is held back so its filters start from that second's mean rather than one
   sample, which a start mid-movement would set ringing for seconds.
2. **Axis: the vertical.** Gravity's direction in the sensor frame is tracked by a
   complementary filter (accelerometer low-pass at ``gravity_hz`` for the slow part, the
   gyroscope's ``−ω × g`` for the fast part). The vertical specific force ``s = a · ĝ`` is what
   a postero-anterior mobilisation or thrust on a lying patient changes; a sensor at any angle
   that rolls as the hand pushes changes ``s`` only in second order. Sideways movement is not
   measured.
3. **Band-limited double integration** of ``s`` for detection: high-pass, two leaky
   integrators, high-pass (one ``sosfilt`` cascade); gravity, offset and drift are removed
   instead of integrated. Its gain and phase lead at any frequency are known (``sosfreqz``).
4. Cycles are turning points of that displacement (:class:`analysis.cycles.CycleDetector` run
   on millimetres); their times are moved back by the lead at the cycle's frequency.
5. Each cycle is then **measured between its turning points**: ``s`` minus its mean between
   the troughs is integrated twice, the troughs are refined as the lowest points above the
   line joining them, and the amplitude is the crest above that line — no filter phase, no
   band gain. Ramps (troughs far apart, dips below them) and thrusts are not cycles, nor is a
   run's first cycle smaller than what is left of the band's start (``settle_left``) allows.
6. **Thrusts** are bursts of band-passed ``s`` over ``thrust_acc_mps2`` that stand
   ``thrust_snr`` times above the preceding second. Their peak and the hand's movement to it
   (``displacement_mm``) are measured as in 5, from the hand held before the onset; a thrust is
   known once the hand has come back from its peak (:meth:`ImuProcessor.thrusts_begun_by`), before
   its event, so a pop can be tied to it then; the curve of
   that movement drawn around a thrust has its drift taken off after the peak, where the
   acceleration shows the hand at rest (:meth:`ImuProcessor.thrust_curve`). The force
   fields of such a :class:`ThrustEvent` are NaN (null in JSON): acceleration cannot weigh.
7. :meth:`ImuProcessor.displacement` serves the movement between a force cycle's troughs from
   a bounded history, measured as in 5, for :func:`force_displacement_loop`.
8. **Units.** Data whose acceleration is not gravity's size, whose rotation is faster than a
   hand's, or whose gyroscope turns the vertical away from the accelerometer's (°/s read as
   rad/s; judged below 4 Hz, where a hand's 8–12 Hz tremor is not) gives no cycles, thrusts or
   movement from the moment that shows
   (:meth:`ImuProcessor.units_wrong`, judged in fixed time blocks); the summary's line that
   names the units says what was left out.

:class:`ImuProcessor` is the stream (1-2, 4, the runs and dropouts); its parts are mix-ins in
modules of their own: :mod:`analysis.imu_movement` (5, 7 and :class:`ImuCycleEvent`),
:mod:`analysis.imu_thrusts` (6) and :mod:`analysis.imu_units` (8, and the recording's notes);
its settings are in :mod:`analysis.imu_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Callable

import numpy as np
from scipy import signal

from analysis.chunk import Chunk
from analysis.cycles import CycleDetector
from analysis.events import Event, GapEvent, ThrustEvent
from analysis.filtering import sosfilt_zi
from analysis.history import History
from analysis.imu_movement import ImuCycleEvent, ImuMovement
from analysis.imu_settings import MIN_CYCLES_RATE_HZ, MIN_THRUST_RATE_HZ, ImuSettings
from analysis.imu_thrusts import ImuThrusts
from analysis.imu_units import ImuUnits, UnitsNote
from analysis.resample import Resampler
from analysis.scheme import GradingScheme

__all__ = ["ImuCycleEvent", "ImuProcessor", "ImuSettings", "MIN_CYCLES_RATE_HZ", "MIN_THRUST_RATE_HZ", "UnitsNote",
           "force_displacement_loop", "movement_drawn"]

# lone samples in a row (each between two dropouts) that make a recording whose every sample is one,
# its times in ms (notes()); fewer are samples left in a dropout, each of whose parts is given
LONE_ROW = 8


@dataclass
class _Look:
    """A band-limited cycle waiting to be measured: its look (``share``: see ``refine_share``),
    its end moved back by the band's lead, the cycle just before it (until ``lone`` is known),
    and whether it was ``found`` (None: not decided yet) on the data up to sample ``k_need``."""

    c: object
    share: float | None
    end_s: float
    pred: "_Look | None" = None
    lone: bool | None = None
    found: bool | None = None
    k_need: int = 0


class ImuProcessor(ImuUnits, ImuMovement, ImuThrusts):
    """Feed ``imu`` chunks (values (n, 6): ax, ay, az in m/s², gx, gy, gz in rad/s).

    Emits :class:`ImuCycleEvent` when a cycle's closing trough is confirmed and
    :class:`ThrustEvent` (``source="imu"``) ``burst_quiet_s`` after a thrust's burst ends, or
    ``max_time_to_peak_s`` after its onset if that is later; :meth:`thrusts_begun_by` gives a
    thrust earlier, from when its index and peak are known, and such a thrust is given even if the
    data break off before its event would have come.
    With ``movement_only`` it looks for neither: it keeps only what the band-limited movement
    (:meth:`movement_after`) and the units check need, the same as a full processor's, at a
    fraction of the cost (for drawing a recording's movement, whose events are known).
    Keyword arguments override :class:`ImuSettings` fields.
    """

    stream = "imu"

    def __init__(self, settings: ImuSettings | None = None, *, warnings: list[str] | None = None,
                 force_span: Callable[[], tuple[float, float] | None] | None = None,
                 movement_only: bool = False, **overrides) -> None:
        known = {f.name for f in fields(ImuSettings)}
        bad = sorted(set(overrides) - known)
        if bad:
            raise ValueError(f"unknown IMU setting(s) {', '.join(bad)}; known: {', '.join(sorted(known))}")
        s = self.s = replace(settings or ImuSettings(), **overrides)
        fs = self.fs = float(s.grid_hz)
        self.block = int(fs)                    # bounded well inside the histories
        # below 250 Hz a thrust's acceleration peak is a sample or two, which a median of three
        # cut to its neighbours (thrusts found late or not at all at 50 Hz), and tremor is bent
        # by it: such samples are taken as they are (glitches beyond a hand's reach are left
        # out all the same)
        self.resampler = Resampler(fs, despike_max_step_s=s.despike_max_step_s)
        c = np.exp(-2 * np.pi * s.gravity_hz / fs)
        self.lp_b, self.lp_a = np.array([1.0 - c]), np.array([1.0, -c])
        self.tau_s = 1.0 / (2 * np.pi * s.gravity_hz)
        hp = signal.butter(2, s.hp_hz, btype="highpass", fs=fs, output="sos")
        leak = np.exp(-2 * np.pi * s.leak_hz / fs)
        integ = np.array([[1.0 / fs, 0.0, 0.0, 1.0, -leak, 0.0]])
        self.sos_int = np.vstack([hp, integ, integ, hp])
        self.sos_burst = signal.butter(2, s.burst_band_hz, btype="bandpass", fs=fs, output="sos")
        self.sos_leak = signal.butter(4, s.gyro_leak_lowpass_hz, fs=fs, output="sos")   # (units check)
        # their steady states for a unit input, scaled at each run's start (computed once: an IMU
        # whose every sample is a run of its own, times in ms, took seconds a thousand samples)
        self._zi_int, self._zi_burst, self._zi_leak = (signal.sosfilt_zi(x) for x in
                                                       (self.sos_int, self.sos_burst, self.sos_leak))
        # gain and phase lead of the integration relative to an ideal double integrator
        f = np.geomspace(0.05, 20.0, 400)
        _, h = signal.sosfreqz(self.sos_int, worN=f, fs=fs)
        rel = h * -(2 * np.pi * f) ** 2
        lead = np.unwrap(np.angle(rel))
        lead -= 2 * np.pi * np.round(lead[-1] / (2 * np.pi))     # no lead well inside the band
        self._f, self._gain, self._lead = f, np.abs(rel), lead
        self.cycles = CycleDetector(GradingScheme(
            hysteresis_min_n=s.hysteresis_mm, hysteresis_frac=0.0, min_amplitude_n=s.min_cycle_mm,
            min_amplitude_frac=0.0, min_period_s=s.min_period_s, max_period_s=s.max_period_s,
            tremor_band_hz=None, lowpass_hz=6.0, trim_frac=np.inf, max_time_ratio=np.inf), fs, rise_foot=False)
        n_hist = int(s.history_s * fs)
        self.disp = History(n_hist)            # band-limited displacement, mm into the tissue
        self.vert = History(n_hist)            # vertical specific force, m/s²
        self.burst = History(int(2.0 * fs))    # |band-passed vertical acceleration|
        self.t_last: float | None = None
        self.n_thrusts = 0
        self._state: dict | None = None
        self._run_k0, self._run_t0 = 0, 0.0
        self._in_burst = False
        self._burst_k0 = self._burst_last = -1
        self._refractory_k = -1
        self._pending: list = []               # cycles waiting for their closing trough's data
        self._last_look: _Look | None = None   # the last band-limited cycle taken in
        self._warm: list = []                  # a run's first samples, held back (_start)
        self._lone: list = []                  # whole runs of one sample, waiting (_lone_runs)
        self._n_gaps = 0                       # dropouts already reported
        self._gap_end = np.nan
        self._gaps_held: list[GapEvent] = []   # dropouts after lone samples, until another sample (_gaps)
        self._lone_row = False
        self._ended: list[tuple[np.ndarray, np.ndarray]] = []   # runs before a dropout: their
                                               # band-limited movement (t_s, mm), for movement_after
        self._bursts: list[tuple[float, float]] = []   # recent thrusts' (onset, last loud) times
        self._thrust_due: list[tuple[int, int, int]] = []   # thrusts ended, waiting for the data
                                               # up to their decision: (decision k, onset k, end k)
        self._loud: dict[int, list[int]] = {}  # onset k -> its burst's loud samples (k) within
                                               # max_time_to_peak_s of it (its duration: _measure_burst)
        self._known: dict[int, tuple[ThrustEvent, float]] = {}   # onset k -> (event, time known) of
                                               # the thrusts not given yet whose index and peak are known
        self._unknowable: set[int] = set()     # onsets of those that will not be known before their event
        self.cut_off: list[tuple[float, float, bool]] = []   # thrusts broken off before their peak was
                                               # known: (onset, last sample analysed, at the data's end)
        self._broken: list[tuple[int, float, float]] = []   # their index, onset and last sample
                                               # analysed, for thrust_in_progress (its units right)
        self._cut_number: dict[float, int] = {}   # onset -> index of each of those (notes name it)
        self._wiggle: dict[int, float] = {}    # onset k -> its hold's wiggle (_hold_wiggle), while pending
        self.known_at: dict[int, float] = {}   # thrust index -> time it was known (thrusts_begun_by)
        self.given: list[ThrustEvent] = []     # the thrusts given
        self.n_glitches = 0                    # samples left out as no hand's movement
        self.n_kept = 0
        self.t_first: float | None = None
        self._sum_sq_bad, self._n_bad_finite = np.zeros(6), 0      # the same over glitches
        self._limits = np.repeat([s.glitch_acc_mps2, s.glitch_gyro_rads], 3)
        self._ublk: dict[int, np.ndarray] = {}   # units check per time block (units_wrong) …
        self._ucum = np.zeros(6)               # … summed over the blocks judged so far …
        self._verdict: list[bool] = []         # … and whether the units were wrong by each one's end
        self._first_wrong: int | None = None   # … the first block by whose end they were …
        self._wrong_sums: np.ndarray | None = None   # … and the sums up to its end (the figures shown)
        self.n_withheld = [0, 0]               # cycles and thrusts not given: units known wrong
        self._warnings = warnings              # finish() appends its messages here (the summary's)
        self._force_span = force_span          # the force stream's (first, last) time, if any
        self.movement_only = movement_only     # no cycles or thrusts looked for

    def cut_before(self, t_s: float) -> None:
        """Treat the step into the first sample at or after ``t_s`` (s) as a dropout: the analysis
        restarts there (its filters from that run's first second), no movement, cycle or thrust
        spans it, and a "dropout" gap is given from the sample before it (the caller that knows
        why marks it with its reason; :meth:`notes` does not call it the data stopping). For a
        join the times do not show: a logger's clock that stepped back, the rows between skipped.
        Register it before feeding those samples; the result does not depend on chunking."""
        self.resampler.cut_before(t_s)

    # --- feeding -------------------------------------------------------------------------
    def feed(self, chunk: Chunk) -> list[Event]:
        v = np.asarray(chunk.values, dtype=np.float64)
        if len(v) == 0:
            return []
        if v.ndim != 2 or v.shape[1] != 6:
            raise ValueError(f"imu chunk values must be (n, 6), got shape {v.shape}")
        t_s = np.asarray(chunk.t_s, dtype=np.float64)
        bad = ~(np.abs(v) < self._limits).all(axis=1)     # NaN compares False: a glitch too
        if bad.any():
            fin = v[bad][np.isfinite(v[bad]).all(axis=1)]    # (all of them, if in other units)
            self._sum_sq_bad += np.einsum("ij,ij->j", fin, fin)
            self._n_bad_finite += len(fin)
            self.n_glitches += int(bad.sum())
            t_s, v = t_s[~bad], v[~bad]
            if len(v) == 0:
                return []
        self.n_kept += len(v)
        sq = v * v
        if self.t_first is None:
            self.t_first = float(t_s[0])
        self._units_blocks(t_s, np.column_stack([np.ones(len(sq)), sq[:, :3].sum(axis=1), sq[:, 3:].sum(axis=1)]),
                           slice(0, 3))
        segs = self.resampler.feed(t_s, v)
        t_end = float(t_s[-1])
        self.t_last = t_end if self.t_last is None else max(self.t_last, t_end)
        out: list[Event] = []
        for sx in segs:
            if sx.new:
                out.extend(self._gaps())
            a = sx.x
            if not len(a):
                continue
            # (a first block as long as a run's start: past it, nothing is held back)
            out.extend(self._start(sx.k0, sx.t_s[:self.block], a[:self.block], sx.new))
            out.extend(self._blocks(sx.k0, sx.t_s, a, self.block))
        out.extend(self._lone_runs())
        out.extend(self._gaps())
        # in the order they were decided: a cycle found on its second look comes after cycles
        # decided before it, in whatever chunks the data came
        out.sort(key=lambda e: e.t_detect_s)
        return self._withhold(out)

    def _withhold(self, events: list[Event]) -> list[Event]:
        """Cycles and thrusts measured from data whose units are known wrong when they are
        detected are not given (counted; :meth:`notes` says so). A thrust known before its event
        (:meth:`thrusts_begun_by`) is judged when it was known, and one whose units were not known
        wrong at its onset is given too: another stream's event may already name it
        (:meth:`thrust_in_progress`)."""
        out = []
        for e in events:
            thrust = isinstance(e, ThrustEvent)
            if isinstance(e, ImuCycleEvent):
                withhold = self.units_wrong(e.t_detect_s)
            else:
                withhold = (thrust and e.index not in self.known_at and self.units_wrong(e.t_detect_s)
                            and self.units_wrong(e.t_onset))
            if withhold:
                self.n_withheld[thrust] += 1
                continue
            if thrust:
                self.given.append(e)
            out.append(e)
        return out

    def _gaps(self, final: bool = False) -> list[Event]:
        """Dropouts the grid restarted after. Those that began at a lone sample (a dropout with
        a few samples left in it is several, as the force's are) wait until a second sample
        follows one (or the data end), and are then given; ``LONE_ROW`` of them in a row is a
        recording whose every sample is one (times in ms: :meth:`notes`), whose dropouts after
        its first are not given."""
        gaps = self.resampler.gaps[self._n_gaps:]
        self._n_gaps += len(gaps)
        out: list[Event] = []
        for a, b in gaps:
            if a != self._gap_end:                     # (the run before it had two samples or more)
                out.extend(self._gaps_held)
                self._gaps_held, self._lone_row = [], False
                out.append(GapEvent(t_start=a, t_end=b, stream="imu", reason="dropout", t_detect_s=b))
            elif not self._lone_row:
                self._gaps_held.append(GapEvent(t_start=a, t_end=b, stream="imu", reason="dropout", t_detect_s=b))
                if len(self._gaps_held) >= LONE_ROW:
                    self._gaps_held, self._lone_row = [], True
            self._gap_end = b
        # (every dropout up to the last sample is known: one after the last held one's end would be)
        if self._gaps_held and (final or self.t_last > self._gaps_held[-1].t_end):
            out.extend(self._gaps_held)
            self._gaps_held = []
        return out

    def _start(self, k0: int, t: np.ndarray, a: np.ndarray, new: bool) -> list[Event]:
        """Hold a run's first ``start_s`` back, so its filters start from what the hand did then
        (:meth:`_segment`) rather than from one sample; later blocks pass straight through."""
        out: list[Event] = []
        if new and self._warm:
            out.extend(self._flush_warm())
        if new or self._warm:
            self._warm.append((k0, t, a))
            if sum(len(x[1]) for x in self._warm) >= self._n_start():
                out.extend(self._flush_warm())
            return out
        return self._segment(k0, t, a[:, :3], a[:, 3:], False)

    def _flush_warm(self) -> list[Event]:
        k0 = self._warm[0][0]
        if len(self._warm) == 1:
            _, t, a = self._warm[0]
        else:
            t = np.concatenate([x[1] for x in self._warm])
            a = np.concatenate([x[2] for x in self._warm])
        self._warm = []
        if len(t) == 1 and self._n_start() > 1:    # (a whole run: the next one has begun, or the data ended)
            self._lone.append((k0, t, a))
            return []
        n0 = self._n_start()                       # the first block is the same however chunked
        out = self._segment(k0, t[:n0], a[:n0, :3], a[:n0, 3:], True)
        return out + self._blocks(k0, t, a, n0)

    def _blocks(self, k0: int, t: np.ndarray, a: np.ndarray, b0: int) -> list[Event]:
        """Samples ``b0`` on of a part of a run through :meth:`_segment` a block at a time, or
        in one go with ``movement_only`` (nothing is looked for between blocks, and
        :meth:`_segment` still sums the units check a block at a time: the same figures)."""
        step = max(1, len(a)) if self.movement_only else self.block
        out: list[Event] = []
        for b in range(b0, len(a), step):
            out.extend(self._segment(k0 + b, t[b:b + step], a[b:b + step, :3], a[b:b + step, 3:], False))
        return out

    def _n_start(self) -> int:
        return max(1, min(self.block, int(self.s.start_s * self.fs)))

    def finish(self) -> list[Event]:
        """The events of a run shorter than ``start_s``; the recording's warnings (:meth:`notes`)
        go to the summary's list."""
        out = self._flush_warm() if self._warm else []
        out = self._withhold(out + self._lone_runs())
        out.extend(self._withhold(self._thrusts_broken_off(end=True)))
        out.extend(self._gaps(final=True))
        if self._warnings is not None:
            self._warnings.extend(self.notes())
        return out

    def _t(self, k: int) -> float:
        return self._run_t0 + (k - self._run_k0) / self.fs

    def _segment(self, k0: int, t: np.ndarray, a: np.ndarray, w: np.ndarray, new: bool) -> list[Event]:
        """A part of a run (acceleration ``a`` and rotation ``w`` at times ``t``, grid indices from
        ``k0``; ``new``: the run's first part) filtered, kept (:meth:`_keep`) and looked through for
        cycles and thrusts. The whole runs of one sample queued before it go first, in their order
        (:meth:`_lone_runs`)."""
        out = self._lone_runs()
        if new or self._state is None:
            out.extend(self._begin_run(k0, float(t[0]), a, new))
        st = self._state
        vert, leak, d_mm = self._filter(st, a, w)
        self._keep(k0, t, vert, leak, d_mm)
        if self.movement_only:                       # (the movement depends on nothing below)
            return out
        if st["burst"] is None:
            st["burst"] = self._zi_burst * vert[0]
        bst, st["burst"] = sosfilt_zi(self.sos_burst, vert, st["burst"])
        mag = np.abs(bst)
        out.extend(self._thrusts(k0, mag))
        self._note_known()
        self.burst.append(k0, mag)
        if new:
            self._pending = []
            self._last_look = None
        for c in self.cycles.feed(k0, t, d_mm, new):
            # the band-limited cycle just before it, if any (times moved back by the band's lead,
            # which differs between a ramp and a set)
            lead_s = self.response(c.freq_hz)[1]
            prev = self._last_look
            joined = prev is not None and c.t_start + lead_s - prev.end_s <= 0.5 / c.freq_hz
            self._last_look = _Look(c, self.s.refine_share, c.t_end + lead_s, prev if joined else None)
            self._pending.append(self._last_look)
        keep = []
        for look in self._pending:
            c, share, pred = look.c, look.share, look.pred
            _, lead_s = self.response(c.freq_hz)
            if look.lone is None:
                # lone: no cycle found just before it (the first of a set, or a ramp:
                # _measure_cycle), as known by its first look's data, however that came
                t0_need = c.t_end + lead_s + (self.s.refine_share + 0.01) / c.freq_hz
                k0_need = self._k(t0_need) + 2
                if k0_need > self.vert.k_end or (self._in_burst and self._t(self._burst_k0) <= t0_need):
                    keep.append(look)
                    continue
                look.lone = pred is None or (pred.found is False and pred.k_need <= k0_need)
                look.pred = None
            lone = look.lone
            t_dec = -np.inf
            while share is not None:
                retry = share != self.s.refine_share
                reach = max(share, self.s.retry_bias_periods) if retry else share
                # (a lone cycle's troughs may move out by ``reach``: a thrust that near is known)
                t_need = c.t_end + lead_s + (reach + 0.01) / c.freq_hz + self.s.preload_hold_s * lone
                k1 = self._k(t_need) + 2
                if k1 > self.vert.k_end or (self._in_burst and self._t(self._burst_k0) <= t_need):
                    look.share = share
                    keep.append(look)
                    break
                t_dec = max(c.t_detect_s, self._t(k1))
                look.k_need = k1
                ev = self._measure_cycle(c, lead_s, t_dec, share, t_need, lone)
                if ev is not None:
                    out.append(ev)
                    look.found = True
                    break
                # one more look, further out and against a longer span's gravity, once that is in
                share = None if retry or self.s.retry_share == self.s.refine_share else self.s.retry_share
            else:
                look.found = False
        self._pending = keep
        return out

    def _begin_run(self, k0: int, t0_s: float, a: np.ndarray, new: bool) -> list[Event]:
        """Start the filters of a run whose first sample (grid index ``k0``, time ``t0_s``) begins
        acceleration ``a`` (:meth:`_run_state`), after keeping the movement of the run before it
        (:meth:`_end_run`). With ``new`` (a dropout came before it) the thrusts waiting for data
        that the dropout took are given, measured on what came before it."""
        out = self._thrusts_broken_off() if new else []
        self._end_run()
        self._state = self._run_state(a)
        self._run_k0, self._run_t0 = k0, t0_s
        self._in_burst = False
        return out

    def _keep(self, k0: int, t: np.ndarray, vert: np.ndarray, leak: np.ndarray, d_mm: np.ndarray) -> None:
        """Keep a part of a run's filtered figures from grid index ``k0`` (times ``t``): its vertical
        specific force and band-limited movement in the histories, what the gyroscope changes in
        the vertical in the units check's blocks."""
        sums = np.column_stack([np.ones(len(leak)), leak, leak * leak])
        for b in range(0, len(t), self.block):       # (as if fed a block at a time: _blocks)
            self._units_blocks(t[b:b + self.block], sums[b:b + self.block], slice(3, 6))
        self.disp.append(k0, d_mm)
        self.vert.append(k0, vert)

    def _run_state(self, a: np.ndarray) -> dict:
        """The filters' states at a run's start, ``a`` its first acceleration (time along axis 0):
        gravity from its mean; the others are set on the run's first data (:meth:`_filter`,
        :meth:`_segment`)."""
        g = np.mean(a, axis=0)[None]
        return {"g": g, "gyro": np.zeros_like(g), "int": None, "burst": None, "leak": None}

    def _filter(self, st: dict, a: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The vertical specific force, what the gyroscope's part changes in it (units check) and
        the band-limited movement (mm) of acceleration ``a`` and rotation ``w`` (time along axis 0,
        x, y, z along the last; runs side by side along any between: :meth:`_lone_runs`), carrying
        the filters' states ``st``."""
        # complementary filter: slow part from the accelerometer, fast part from the gyroscope
        # (a vector fixed in the world turns at −ω × g in the sensor's frame)
        g_slow, st["g"] = signal.lfilter(self.lp_b, self.lp_a, a, axis=0, zi=st["g"])
        u = -np.cross(w, g_slow)
        g_fast, st["gyro"] = signal.lfilter(self.lp_b, self.lp_a, u, axis=0, zi=st["gyro"])
        g = g_slow + self.tau_s * g_fast
        gn = g / np.maximum(np.linalg.norm(g, axis=-1, keepdims=True), 1e-9)
        vert = np.einsum("...j,...j->...", a, gn)    # up-positive; +|g| at rest
        # what the gyroscope's part changes in the vertical specific force (units check)
        leak = vert - np.einsum("...j,...j->...", a, g_slow / np.maximum(np.linalg.norm(g_slow, axis=-1, keepdims=True), 1e-9))
        # (below the tremor band: tremor across the vertical, turned by the gyroscope's small tilt of
        # it, reads as large as °/s's leak when the hand shakes hard, and hardly moves it once integrated)
        if st["leak"] is None:
            st["leak"] = np.multiply.outer(self._zi_leak, leak[0])
        leak, st["leak"] = sosfilt_zi(self.sos_leak, leak, st["leak"], axis=0)
        if st["int"] is None:
            # start in steady state on the run's first second, not its first sample: a start
            # mid-movement (or one sample's noise and tremor) otherwise sets the band ringing
            # for seconds, millimetres deep, and hides the next cycles
            st["int"] = np.multiply.outer(self._zi_int, np.mean(vert, axis=0))
        x, st["int"] = sosfilt_zi(self.sos_int, vert, st["int"], axis=0)
        return vert, leak, -1000.0 * x               # moving down, into the patient, is positive

    def _lone_runs(self) -> list[Event]:
        """The whole runs of one sample, each between two dropouts (as every sample is when the
        times are in ms: :meth:`notes`), that :meth:`_flush_warm` queued, in their order: filtered
        side by side in one go (each from its own start: the same figures, to the bit, as one at
        a time) and kept (:meth:`_keep`), and nothing looked for in them: a cycle needs two
        troughs, a thrust's burst a change in the acceleration, and nothing measured fits in one
        sample. Each chunk's are done by its end, so nothing read between chunks waits for them.
        They are taken in bulk, with what each one's start and end would leave
        (:meth:`_begin_run`, :meth:`_end_run`), not one at a time: a recording in ms is nothing
        but such runs, and a replay gives a few of them a chunk."""
        if not self._lone:
            return []
        runs, self._lone = self._lone, []
        a = np.stack([x[2] for x in runs], axis=1)   # (1 sample, runs, 6)
        vert, leak, d_mm = (m[0] for m in self._filter(self._run_state(a[..., :3]), a[..., :3], a[..., 3:]))
        t = np.array([x[1][0] for x in runs])
        out = self._begin_run(runs[0][0], float(t[0]), runs[0][2][:, :3], True)
        if len(runs) > 1:
            # each run but the last is ended by the next one's start (_end_run keeps its sample),
            # which finds no thrust waiting (_thrusts_broken_off); the last one's is the run going on
            self._ended.extend((t[j:j + 1], d_mm[j:j + 1]) for j in range(len(runs) - 1))
            self._ended = [r for r in self._ended if r[0][-1] >= t[-2] - self.s.history_s]
            k0, _, x = runs[-1]
            self._state = self._run_state(x[:, :3])
            self._run_k0, self._run_t0 = k0, float(t[-1])
        b = np.floor((t - self.t_first) / self.s.units_block_s)
        if len(t) > 1 and not (np.diff(b) > 0).all():    # (two in a block: summed as one at a time)
            for j in range(len(t)):
                self._keep(runs[j][0], t[j:j + 1], vert[j:j + 1], leak[j:j + 1], d_mm[j:j + 1])
            return out
        # (each in a block of its own, as a dropout of over units_block_s leaves them: the same sums;
        # each run starts its histories over, as its grid index follows the last run's by two)
        self._units_blocks(t, np.column_stack([np.ones(len(leak)), leak, leak * leak]), slice(3, 6))
        self.disp.append(runs[-1][0], d_mm[-1:])
        self.vert.append(runs[-1][0], vert[-1:])
        return out

    @property
    def t_analysed(self) -> float | None:
        """Time (s) of the newest sample of the uniform grid analysed; None before any was.
        ``t_last``, the newest sample fed, may be later: a run's first ``start_s`` is held back
        (:meth:`_start`) and the grid follows the samples by a step or so."""
        return self._t(self.vert.k_end - 1) if self._state is not None else None

    def measured_through(self, t_s: float) -> bool:
        """Whether the samples up to ``t_s`` have come and are analysed (not held back at a run's
        start, :meth:`_start`): what is measured up to then no longer depends on later chunks."""
        if self.t_last is None or self.t_last < t_s:
            return False
        return not (self._warm and self._warm[0][1][0] <= t_s)

    def _end_run(self) -> None:
        """Keep the band-limited movement of the run a dropout ended (the history starts over
        with the next run) for :meth:`movement_after`: a chunk that held the dropout and a run's
        start after it would take the movement before the dropout with it, which smaller chunks
        had given. Kept: the runs that end within ``history_s`` of this one's end (the data's
        times, not the chunks', decide)."""
        if self.disp.k_end > self.disp.k_start:
            k = np.arange(self.disp.k_start, self.disp.k_end)
            self._ended.append((self._t(k), self.disp.get(k[0], k[-1] + 1).copy()))
            t_end = self._ended[-1][0][-1]
            self._ended = [r for r in self._ended if r[0][-1] >= t_end - self.s.history_s]


def movement_drawn(p: ImuProcessor, chunks) -> tuple[np.ndarray, np.ndarray]:
    """The band-limited movement a display draws from ``p`` fed ``chunks``: what
    ``movement_after`` adds after each chunk and after ``finish`` (a run's first samples are
    held back until then), joined. Returns ``(t_s, disp_mm)``; empty when none was measured."""
    ts, ds = [], []

    def take() -> None:
        t, d = p.movement_after(float(ts[-1][-1]) if ts else None)
        if len(t):
            ts.append(t)
            ds.append(d)

    for chunk in chunks:
        p.feed(chunk)
        take()
    p.finish()
    take()
    return (np.concatenate(ts), np.concatenate(ds)) if ts else (np.empty(0), np.empty(0))


def force_displacement_loop(t_force: np.ndarray, force_n: np.ndarray, t_disp: np.ndarray,
                            disp_mm: np.ndarray, t_start: float, t_end: float,
                            n_points: int = 64) -> list[list[float]]:
    """One cycle's movement diagram: ``n_points`` pairs ``[disp_mm, force_n]`` evenly spaced in
    time over ``[t_start, t_end]``. Empty when either trace does not cover the cycle."""
    if len(t_force) < 2 or len(t_disp) < 2 or n_points < 2:
        return []
    span = t_end - t_start
    tol = 0.05 * span + 0.01
    if max(t_force[0], t_disp[0]) > t_start + tol or min(t_force[-1], t_disp[-1]) < t_end - tol:
        return []
    tt = np.linspace(t_start, t_end, n_points)
    f = np.interp(tt, t_force, force_n)
    d = np.interp(tt, t_disp, disp_mm)
    return [[round(float(a), 3), round(float(b), 2)] for a, b in zip(d, f)]


def _register() -> None:
    from analysis.pipeline import register_processor

    def factory(a) -> ImuProcessor:
        def force_span() -> tuple[float, float] | None:
            f = a.processors.get("force")
            return (f.t_first, f.t_last) if getattr(f, "t_first", None) is not None else None
        return ImuProcessor(warnings=a.warnings, force_span=force_span, **a.options.get("imu", {}))
    register_processor("imu", factory)


_register()
