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
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Callable, ClassVar

import numpy as np
from scipy import integrate, signal

from analysis.chunk import Chunk
from analysis.cycles import CycleDetector
from analysis.events import Event, GapEvent, ThrustEvent, register_event_type
from analysis.filtering import sosfilt_zi
from analysis.history import History
from analysis.resample import Resampler
from analysis.scheme import GradingScheme

# the rates an IMU's analysis needs (simulated grade III cycles at 1.5 Hz and thrusts, at 50-500 Hz and
# the 500 Hz recordings decimated to 25 and 10 Hz): 39-41 of 40 cycles at 25-500 Hz, 31 at 10 Hz; times to
# peak within 20 ms of 500 Hz's at 100 and 200 Hz, up to 72 ms off at 50 Hz, 0-300 ms at 25 Hz
MIN_CYCLES_RATE_HZ = 20.0
MIN_THRUST_RATE_HZ = 100.0
# lone samples in a row (each between two dropouts) that make a recording whose every sample is one,
# its times in ms (notes()); fewer are samples left in a dropout, each of whose parts is given
LONE_ROW = 8


@register_event_type
@dataclass(frozen=True)
class ImuCycleEvent(Event):
    """One oscillation of the hand: trough → crest → trough of its movement into the tissue.

    ``displacement_mm`` is crest minus mean trough in mm; ``freq_hz`` is 1 / period.
    """

    TYPE: ClassVar[str] = "imu_cycle"
    t_start: float
    t_end: float
    t_crest: float
    displacement_mm: float
    freq_hz: float
    t_detect_s: float = 0.0


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


@dataclass(frozen=True)
class UnitsNote:
    """The IMU's units shown wrong (:meth:`ImuProcessor.units_note`): ``said`` what is wrong, in
    the words a status line gives it ("IMU acceleration averages 1 where gravity alone reads
    9.81 m/s² (units in g? give m/s²)"); ``hint`` what to give instead ("units in g? give m/s²"),
    None when no fix is known; ``note`` the whole line :meth:`ImuProcessor.notes` gives (what
    becomes of the movement and thrusts, and what was left out)."""

    said: str
    hint: str | None
    note: str


@dataclass(frozen=True)
class ImuSettings:
    """Parameters of :class:`ImuProcessor`; defaults follow the 0.5–3 Hz mobilisation rates and
    60–200 ms thrusts in shared domain figures (docs/imu.md)."""

    grid_hz: float = 500.0           # movement and thrust content lies below 30 Hz
    gravity_hz: float = 0.1          # accelerometer/gyroscope cross-over of the gravity estimate
    hp_hz: float = 0.4               # lower band edge of the double integration
    leak_hz: float = 0.05            # leak of each integrator (bounds integrated noise)
    hysteresis_mm: float = 0.15      # turning point confirmed once back by this much
    min_cycle_mm: float = 0.4        # smaller movements are below accelerometer noise
    min_period_s: float = 0.2
    max_period_s: float = 2.5       # 0.4 Hz: slower movement is below the band
    burst_band_hz: tuple[float, float] = (1.0, 30.0)
    thrust_acc_mps2: float = 2.0     # fast mobilisations stay under ~1.5 m/s² (bench_imu)
    thrust_snr: float = 4.0
    burst_quiet_s: float = 0.15      # a burst ends this long after its last loud sample
    refractory_s: float = 1.0        # the release belongs to the same thrust
    thrust_hold_s: tuple[float, float] = (0.5, 0.2)   # a thrust's movement is measured from the
                                     # hand held at the preload from this long before its onset to
                                     # this long before it, clear of any let-up (the hold before it:
                                     # 0.6-1.2 s, its let-up 60-150 ms, in firmware_bridge/simulator.py)
    max_time_to_peak_s: float = 0.3  # its deepest point is looked for this long after onset
                                     # (times to peak 60-200 ms, 250 ms on a servo: domain.md) ...
    peak_fall_noise: float = 3.0     # ... up to where the hand comes back from it by this many
                                     # times the RMS wiggle of the held hand's movement before the
                                     # onset (tremor and noise integrated twice, _hold_wiggle) ...
    peak_fall_mm: float = 0.04       # ... and at least this far, once it has moved this far: the
    peak_min_rise_mm: float = 0.5    # thrust is known there (_peak_of). On 24+48 simulated thrusts
                                     # (bench_imu.py, --pops) and 322 with 0.3-0.9 m/s² tremor and
                                     # 120-400 µg/√Hz noise, the hand came back before its deepest
                                     # point by 0.144 mm at most, 1.5 times its hold's wiggle; a
                                     # fixed 3 % of the movement (0.1 mm or more) was 0.154 mm there.
                                     # bench_imu.py --pops: pops that waited for it were given 74.6 ms
                                     # after they began at most, 11 of 126 over 50 ms (87.1 ms, 27 with
                                     # 3 %); a pop during a thrust not known yet no longer waits
                                     # (thrust_in_progress): 47.2 ms at most
    settle_smooth_s: float = 0.1     # after a thrust's peak the hand is at rest where its vertical
                                     # acceleration, averaged over this long (a mean over 0.1 s takes
                                     # 8-12 Hz tremor down 4-6 times) ...
    settle_acc_mps2: float = 0.1     # ... stays under this (a release moves at 0.5-3 m/s²) ...
    settle_rest_s: float = 0.08      # ... for this long (holds after a release: 0.2-0.5 s,
                                     # firmware_bridge/simulator.py) ...
    settle_max_drift_mps2: float = 0.04  # ... and its speed there is no more than this error in the
                                     # hold's mean could give (200 simulated thrusts: up to 0.018
                                     # m/s²; a release read as quiet, at 65-85 mm/s, gave 0.08-0.13)
    force_peak_slack_s: float = 0.05  # a force thrust's movement: the hand's deepest point is
                                     # looked for up to this long after the force peak (bench_imu:
                                     # the hand deepest 26 ms before to 25 ms after the force peak)
    preload_hold_s: float = 0.4      # a cycle with none found before it that ends this long
                                     # before a thrust is the ramp to its preload: the hand sinking
                                     # to a new place, read as a rise and a fall back (the band
                                     # lets go of a step, and the sensor's offset turns with the
                                     # hand); simulated ones ended 0.03 and 0.34 s before the
                                     # thrust. Such a cycle waits this long to be given
    settle_min_cycle_mm: float = 1.5  # a cycle with none found before it that begins while a run
                                     # of data is settling is at least this times what is left of
                                     # the band's start then (settle_left: 0.92 in its first second,
                                     # 0.39 at 1.5-2 s, 0.13 at 2.9 s): at rest, or on the ramp into
                                     # a set, the band's start and the noise made 0.4-0.6 mm
                                     # "cycles" there (a run's start reads up to 1.2 mm off)
    history_s: float = 30.0          # displacement kept for the force–displacement loops
    max_net_share: float = 0.5       # refined troughs further apart than this share of the
                                     # amplitude: the hand moved to a new place
    max_band_ratio: float = 1.8      # integrated over band-limited amplitude, at most: the band
                                     # reads a set's first cycle low, its ramp's transient against it
    min_band_ratio: float = 0.625    # and at least (1/1.6): a ramp out of a set, slower than the
                                     # band, reads as a band-limited cycle larger than the movement
    refine_share: float = 0.2        # troughs are refined within this share of a period
    retry_share: float = 0.5         # a cycle that fails is looked for once more this far out:
                                     # the band, still ringing from a set's ramp in, puts the first
                                     # cycle's troughs early (bench_imu: 32 of 41 missed were firsts)
    retry_bias_periods: float = 1.0  # … with gravity from the mean over this many periods either
                                     # side (the mean between the troughs moves with the troughs,
                                     # so any pair inside the cycle looks like troughs) …
    retry_max_band_ratio: float = 2.6  # … where the band may read it this low (bench_imu: first
                                     # cycles at 1.8-2.5 times the band, measured within 11 %) …
    rest_levels: tuple[float, float] = (0.2, 0.8)   # … and a trough that is a rest (the hold
                                     # before a set) starts where a sine-like rise through these
                                     # shares of the amplitude leaves it …
    rest_min_share: float = 0.1      # … if that is this share of a period after the trough found;
    max_fall_in_share: float = 1.75  # such a cycle is dropped when the movement fell into it from
                                     # more than this many times its height (_fell_in; bench_imu
                                     # and 20 recordings of four sets: real cycles up to 1.56, a
                                     # ramp into a set read as a cycle 1.88-2.05)
    max_dip_share: float = 0.3       # a cycle's troughs are its lowest points; a movement that
                                     # dips further below them is a ramp or a step, not a cycle
    glitch_acc_mps2: float = 39.2    # 4 g on any axis: a hand pushing on a patient moves at well
                                     # under 1 g (thrusts: a few m/s², bench_imu); beyond it a
                                     # sample is a glitch (saturation, a bus error), left out
    glitch_gyro_rads: float = 17.5   # 1000 °/s on any axis: a hand on a patient turns far slower
    gravity_mps2: tuple[float, float] = (4.9, 19.6)   # RMS |a| of a recording: gravity, 9.81
                                     # (0.5–2 g); near 1 the accelerometer was read in g
    max_rms_gyro_rads: float = 1.0  # RMS |ω| of a recording: a hand turns at a few °/s on
                                     # average (bench_imu: 0.03 rad/s); 57 °/s is deg/s read as rad/s
    max_gyro_leak_mps2: float = 0.015  # RMS change the gyroscope makes to the vertical specific
                                     # force (bench_imu: 0.002-0.003, a hand rolling 1° a cycle; °/s
                                     # read as rad/s: 0.02-1.7; cycles are lost from about 0.02) …
    gyro_leak_lowpass_hz: float = 4.0  # … below this (4th order): a hand's 8-12 Hz tremor times the
                                     # gyroscope's small tilt of the vertical read up to 0.031 m/s²
                                     # (0.6-0.9 m/s² of tremor, bench_imu.py --peaks), below 4 Hz
                                     # 0.010 at most; °/s: 0.28 or more. It moves the hand by
                                     # micrometres (0.02 m/s² at 8 Hz: 8 µm)
    min_overlap_share: float = 0.5   # IMU and force times must share this much of their union
    units_block_s: float = 0.25      # the units are judged on the data up to a cycle's or thrust's
                                     # detection, in blocks this long (so not on how it was chunked)
    despike_max_step_s: float = 0.004   # a median of three despikes samples closer than this
                                     # (250 Hz): three span 8 ms, under a thrust's peak (bench_imu)
    start_s: float = 1.0             # a run's filters start from this much of its data


class ImuProcessor:
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

    def _units_blocks(self, t_s: np.ndarray, part: np.ndarray, cols: slice) -> None:
        """Add per-sample figures of the units check to fixed time blocks (so the verdict at a time
        does not depend on how the data was chunked): raw samples' (n, Σ|a|², Σ|ω|²) or the grid's
        (n, Σ, Σ²) of what the gyroscope changes in the vertical specific force."""
        b = np.floor((t_s - self.t_first) / self.s.units_block_s).astype(np.int64)
        runs = np.concatenate([[0], np.flatnonzero(np.diff(b)) + 1])     # runs of one block each
        for bb, x in zip(b[runs].tolist(), np.add.reduceat(part, runs, axis=0)):
            self._ublk.setdefault(bb, np.zeros(6))[cols] += x

    def units_wrong(self, t_s: float) -> bool:
        """Whether the data up to ``t_s`` already shows the IMU's units wrong (:meth:`notes`'
        tests: acceleration not gravity's size, rotation faster than a hand's, or a gyroscope that
        turns the vertical away from the accelerometer's). Judged on whole blocks ending by then,
        all of whose data has been analysed once anything detected at ``t_s`` comes out."""
        if self._state is None:
            return False
        bs = self.s.units_block_s
        # (no block the grid has not passed yet: its gyroscope figures are not all in)
        t_s = min(t_s, self._t(self.vert.k_end))
        k = int(np.floor((t_s - self.t_first) / bs + 1e-9)) - 1
        if len(self._verdict) > k:
            return k >= 0 and self._verdict[k]
        # the blocks with data up to k in order, and those without between them in one go (times in
        # ms leave thousands between their samples, and a replay may judge them all at its end)
        for j in sorted(b for b in self._ublk if len(self._verdict) <= b <= k) + [k + 1]:
            if len(self._verdict) < j:
                # blocks without data leave the sums, so the verdict, as they were
                if not self._verdict:
                    self._judge(None)
                self._verdict.extend([self._verdict[-1]] * (j - len(self._verdict)))
            if j <= k:
                self._judge(self._ublk.pop(j))
        return k >= 0 and self._verdict[k]

    def _judge(self, blk: np.ndarray | None) -> None:
        """The units' verdict by the end of the next block, whose sums are ``blk`` (None: no data)."""
        if blk is not None:
            self._ucum += blk
        self._verdict.append(self._wrong_in(self._ucum))
        if self._verdict[-1] and self._first_wrong is None:
            self._first_wrong = len(self._verdict) - 1
            self._wrong_sums = self._ucum.copy()

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

    def notes(self) -> list[str]:
        """What the user should know about the recording as a whole, one message each."""
        out = []
        n_all = self.n_kept + self._n_bad_finite
        other_units = self.n_glitches > self.n_kept and n_all >= 10    # most samples "glitches"
        if self.n_glitches and not other_units:
            out.append(f"{self.n_glitches} IMU samples beyond what a hand can do (over "
                       f"{self.s.glitch_acc_mps2 / 9.80665:.0f} g or {np.degrees(self.s.glitch_gyro_rads):.0f} °/s, "
                       f"or not numbers) were taken as glitches and left out")
        gaps = self.resampler.gaps
        step = (self.t_last - self.t_first) / (self.n_kept - 1) if self.n_kept > 1 else 0.0
        slow = step > self.resampler.max_gap_s
        if slow:                 # every step a gap: no IMU samples that slowly
            out.append(f"IMU samples come {step:.3g} s apart on average, where an IMU gives 50–2000 a second "
                       f"(IMU times in ms? give seconds): no movement could be measured")
        elif self.n_kept > 10 and not other_units:
            # the rate from the samples' spacing, dropouts left out
            sampled = (self.t_last - self.t_first) - sum(y - x for x, y in gaps)
            rate = (self.n_kept - 1 - len(gaps)) / sampled if sampled > 0 else np.inf
            if rate < MIN_CYCLES_RATE_HZ:
                out.append(f"IMU sampled at {rate:.0f} Hz, under the {MIN_CYCLES_RATE_HZ:g} Hz its analysis needs: "
                           f"the hand's cycles and thrusts may be wrong")
            elif rate < MIN_THRUST_RATE_HZ and self.n_thrusts:
                out.append(f"IMU sampled at {rate:.0f} Hz, under the {MIN_THRUST_RATE_HZ:g} Hz a thrust needs: its "
                           f"time to peak and the hand's movement may be wrong")
        # (a join registered with cut_before is no pause in the data: whoever registered it says why)
        stops = [g for g in gaps if g[1] - g[0] > self.resampler.max_gap_s]
        if stops and not slow:
            a, b = max(stops, key=lambda g: g[1] - g[0])
            when = (f"{len(stops)} times, {sum(y - x for x, y in stops):.1f} s in all (longest {b - a:.1f} s at "
                    f"{a:.1f} s; a lost link?)" if len(stops) > 1 else f"for {b - a:.1f} s at {a:.1f} s (a lost link?)")
            out.append(f"the IMU data stops {when}: no movement is measured across a gap, nor cycles through one")
        span = self._force_span() if self._force_span else None
        for t_a, t_last, end in self.cut_off if span is None else ():
            # (as a force thrust whose data break off after its peak is given without a duration;
            # with force, the thrusts are the force's, and the IMU's are not given)
            # (named by its number, which it keeps: a pop heard during it may name it)
            num = self._cut_number.get(t_a)
            who = "a thrust" if num is None else f"thrust {num + 1}"
            out.append(f"{who} began at {t_a:.1f} s, but the IMU data "
                       f"{'ended' if end else 'stopped (a dropout)'} {1e3 * (t_last - t_a):.0f} ms into it, "
                       f"before the hand's deepest point: it is not measured, nor counted")
        units = self._units()
        if units is None:
            return out
        said, early = units
        out += [u.note for u in said]
        if early:
            out.append(early)
        if span is not None and self.t_last is not None and not slow:
            (f0, f1), (i0, i1) = span, (self.t_first, self.t_last)
            union = max(f1, i1) - min(f0, i0)
            if union > 0 and (min(f1, i1) - max(f0, i0)) < self.s.min_overlap_share * union:
                out.append(f"IMU times {i0:.6g}–{i1:.6g} s hardly overlap the force's {f0:.6g}–{f1:.6g} s "
                           f"(IMU times in ms? another clock?): movement and loops are missing or wrong")
        return out

    def units_note(self) -> UnitsNote | None:
        """The first of :meth:`notes` saying the IMU's units are wrong (acceleration not gravity's
        size, rotation faster than a hand's, a gyroscope turning the vertical away from the
        accelerometer's), in parts, or None: what a display says of it without reading its words."""
        units = self._units()
        return units[0][0] if units and units[0] else None

    def _units(self) -> tuple[list[UnitsNote], str | None] | None:
        """The notes saying the IMU's units are wrong, and the line saying they looked wrong
        early on only (or None); None when too few samples were kept to judge them."""
        n_all = self.n_kept + self._n_bad_finite
        other_units = self.n_glitches > self.n_kept and n_all >= 10    # most samples "glitches"
        out: list[UnitsNote] = []
        # the recording's sums: those of the units check's blocks (judged or not yet)
        whole = self._ucum + sum(self._ublk.values(), np.zeros(6))
        if other_units:          # the units check then reads every sample
            n_ok, sa, sw, n, s1, s2 = whole
            sa, sw, n_sq = sa + self._sum_sq_bad[:3].sum(), sw + self._sum_sq_bad[3:].sum(), n_all
        elif self.n_kept < 10:
            return None
        else:
            if self.t_last is not None:
                self.units_wrong(self.t_last)         # (judges each block the grid has passed)
            if self._wrong_sums is not None and not self._wrong_in(whole):
                # wrong by the verdict early on only: what was found then was left out
                t_wrong = (self._first_wrong + 1) * self.s.units_block_s
                return [], (f"the IMU's units looked wrong in its first {t_wrong:.3g} s (acceleration or "
                            f"rotation unlike a hand's), though not over the whole recording: the cycles and "
                            f"thrusts found while they looked so were left out")
            # the figures of the stretch from the start by whose end the units showed wrong: the
            # same whenever they are asked for (a trainer switching the IMU off then, a replay at
            # its end), where the whole recording's grow with each thrust's turning
            n_ok, sa, sw, n, s1, s2 = whole if self._wrong_sums is None else self._wrong_sums
            n_sq = n_ok
        acc, gyro = np.sqrt([sa / n_sq, sw / n_sq])
        # what was found while the units were known wrong was not given, nor the force cycles'
        # movement (displacement()): the line that names the units says so, without a count: what
        # wrong figures make look like cycles and thrusts is no count of the hand's
        # (samples mostly beyond a hand's reach, as in mg or raw counts, were all left out)
        held = " and left out" if other_units or self._wrong_sums is not None else ""
        if self._wrong_sums is not None and not other_units:
            held += f" (averaged over its first {(self._first_wrong + 1) * self.s.units_block_s:.3g} s, by when that showed)"
        lo, hi = self.s.gravity_mps2
        if not lo <= acc <= hi:
            if acc < 0.5:        # a phone's "linear" or "user" acceleration has no gravity in it
                unit = " (gravity taken out, as in a phone's linear acceleration? give the raw accelerometer's)"
            elif acc <= 2.0:
                unit = " (units in g? give m/s²)"
            elif acc > 500.0:
                unit = " (units in mg or raw sensor counts? give m/s²)"
            else:
                unit = ""
            shown = f"{acc:.0f}" if acc >= 100 else f"{acc:.3g}"      # 16384, not 1.64e+04
            said = f"IMU acceleration averages {shown} where gravity alone reads 9.81 m/s²{unit}"
            out.append(UnitsNote(said, unit[2:-1] or None, f"{said}: movement and thrusts from it are wrong{held}"))
            held = ""
        leak = float(np.sqrt(max(s2 / n - (s1 / n) ** 2, 0.0))) if n else 0.0
        if gyro > self.s.max_rms_gyro_rads:
            hint = "units in °/s? give rad/s, or name the columns gx_dps"
            said = f"IMU rotation averages {gyro:.3g} rad/s ({np.degrees(gyro):.0f} °/s), far faster than a hand turns ({hint})"
            out.append(UnitsNote(said, hint, f"{said}: the movement from it is wrong{held}"))
            held = ""
        elif leak > self.s.max_gyro_leak_mps2:
            hint = "units in °/s? give rad/s, or name the columns gx_dps; or its axes are not the accelerometer's"
            said = (f"the IMU's gyroscope turns the vertical away from where its accelerometer shows it, "
                    f"moving it by {leak:.2g} m/s² where a hand's turning moves it by thousandths ({hint})")
            out.append(UnitsNote(said, hint, f"{said}: the movement from it is wrong{held}"))
            held = ""
        return out, None

    def _wrong_in(self, sums: np.ndarray) -> bool:
        """Whether the units check's ``sums`` (:meth:`_judge`'s) show the units wrong."""
        n, sa, sw, nl, l1, l2 = sums
        lo, hi = self.s.gravity_mps2
        leak = np.sqrt(max(l2 / nl - (l1 / nl) ** 2, 0.0)) if nl else 0.0
        return bool(n >= 10 and (not lo <= np.sqrt(sa / n) <= hi or np.sqrt(sw / n) > self.s.max_rms_gyro_rads
                                 or leak > self.s.max_gyro_leak_mps2))

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

    def _measure_cycle(self, c, lead_s: float, t_detect: float, share: float,
                       t_known: float, lone: bool = False) -> ImuCycleEvent | None:
        """Move the band-limited cycle's times back by the band's lead, refine its troughs within
        ``share`` of its period, and measure it by :meth:`displacement`; reject it when the
        movement dips well below the troughs (a ramp or a step, not an oscillation). On the retry
        (``share`` is ``retry_share``) the frequency is that of the refined troughs: the band's
        period was off with its troughs. Only thrusts that began by ``t_known`` (the data the
        cycle waited for) count against it: one that began later is not known yet when the data
        comes in small chunks, however it comes. A ``lone`` cycle (none found just before it) that
        ends within ``preload_hold_s`` of a thrust's onset is the hand sinking to the thrust's
        preload and dropped as well."""
        t0, t1 = c.t_start + lead_s, c.t_end + lead_s
        retry = share != self.s.refine_share
        if retry:
            # the band's troughs are off: refine them against gravity measured over a longer span
            # (the mean between them is exact only once they are right), until they stay put
            p = t1 - t0
            bias = self._mean_vert(t0 - self.s.retry_bias_periods * p, t1 + self.s.retry_bias_periods * p)
            t0, t1 = self._refine(t0, t1, share * p, 20, True, bias) or (None, None)
        else:
            t0, t1 = self._refine(t0, t1, share * (t1 - t0)) or (None, None)
        if t0 is None or (retry and not self.s.min_period_s <= t1 - t0 <= self.s.max_period_s):
            return None
        span = self.s.retry_bias_periods * (t1 - t0) if retry else 0.0
        # a thrust is not an oscillation (nor is gravity its mean), and neither is its release:
        # the hand back from its deepest point to the preload, then letting go, within
        # ``refractory_s`` of the burst's last loud sample
        rel, ahead = self.s.refractory_s, self.s.preload_hold_s * lone
        if any(a - 0.05 - ahead <= t1 + span and b + rel >= t0 - span for a, b in self._bursts if a <= t_known):
            return None
        td, d = self._integrate(t0, t1, self._mean_vert(t0, t1))
        if len(d) < 3:
            return None
        r = d - np.linspace(d[0], d[-1], len(d))
        j = int(np.argmax(r))
        amp = float(r[j])
        if amp < self.s.min_cycle_mm or float(r.min()) < -self.s.max_dip_share * amp \
                or abs(float(d[-1] - d[0])) > self.s.max_net_share * amp:
            return None         # a ramp or a step to a new place, not an oscillation
        if lone and amp < self.s.settle_min_cycle_mm * self.settle_left(t0 - self._run_t0):
            return None         # the hand at rest, or ramping in, while the band settles
        band_mm = c.amplitude_n / self.response(c.freq_hz)[0]
        top = self.s.retry_max_band_ratio if retry else self.s.max_band_ratio
        if not self.s.min_band_ratio <= amp / band_mm <= top:
            return None         # the band saw something else (a ramp's transient)
        if retry:
            if self._fell_in(t0, t1) > self.s.max_fall_in_share * amp:
                return None     # the hand came into it moving: the end of a ramp into a set
            t0, t1 = self._leave_rest(td, r, j, amp, t0, t1)
        return ImuCycleEvent(t_start=t0, t_end=t1, t_crest=float(td[j]), displacement_mm=amp,
                             freq_hz=1.0 / (t1 - t0) if retry else c.freq_hz, t_detect_s=t_detect)

    def _fell_in(self, t0: float, t1: float) -> float:
        """How far (mm) above the trough at ``t0`` the movement measured between ``t0`` and
        ``t1`` was in the half period before ``t0``. With the hand at rest there it is no more
        than the last cycle's height; a trough reached still moving (a ramp into a set read as
        a cycle) shows a fall from far higher, the speed it had taken for a slope."""
        p = t1 - t0
        td, d = self._integrate(t0 - 0.5 * p, t1, self._mean_vert(t0, t1))
        if len(d) < 3:
            return 0.0
        d0, d1 = np.interp([t0, t1], td, d)
        before = td < t0
        return float(np.max(d[before] - (d0 + (d1 - d0) * (td[before] - t0) / p), initial=0.0))

    def _leave_rest(self, td: np.ndarray, r: np.ndarray, j: int, amp: float, t0: float,
                    t1: float) -> tuple[float, float]:
        """Troughs ``t0``, ``t1`` of a retried cycle (``r``: its movement above them at times
        ``td``, crest at ``j``) moved to where its rise leaves a rest, and its fall comes to one:
        a trough after a hold is anywhere on it, and its frequency would read low. Found where a
        sine through the ``rest_levels`` of the rise (fall) meets the trough; the noise of the
        flat trough does not move them, as it moves a threshold near it."""
        lo, hi = self.s.rest_levels
        k_lo, k_hi = np.arccos(1 - 2 * lo) / np.pi, np.arccos(1 - 2 * hi) / np.pi
        up = r[:j + 1]
        a_lo = float(td[np.flatnonzero(up <= lo * amp)[-1]])
        a_hi = float(td[np.flatnonzero(up <= hi * amp)[-1]])
        half = (a_hi - a_lo) / (k_hi - k_lo)
        a = a_lo - k_lo * half
        dn = r[j:]
        b_lo = float(td[j + np.flatnonzero(dn <= lo * amp)[0]])
        b_hi = float(td[j + np.flatnonzero(dn <= hi * amp)[0]])
        half = (b_lo - b_hi) / (k_hi - k_lo)
        b = b_lo + k_lo * half
        p = t1 - t0
        return (a if a - t0 > self.s.rest_min_share * p else t0,
                b if t1 - b > self.s.rest_min_share * p else t1)

    def _refine(self, t0: float, t1: float, w: float, n_iter: int = 3,
                settled: bool = False, bias: float | None = None) -> tuple[float, float] | None:
        """Troughs near ``t0`` and ``t1`` (within ``w``): the lowest points above the line that
        joins them, integrating over a fixed window so the data it needs is known up front.
        ``settled``: None unless the troughs stop moving within ``n_iter`` steps."""
        lo, hi = t0 - w, t1 + w
        for _ in range(n_iter):
            td, d = self._integrate(lo, hi, self._mean_vert(t0, t1) if bias is None else bias)
            if len(d) < 3:
                return None
            d0, d1 = np.interp([t0, t1], td, d)
            r = d - (d0 + (d1 - d0) * (td - t0) / (t1 - t0))
            a, b = np.searchsorted(td, [lo + 2 * w, hi - 2 * w])
            n0, n1 = float(td[int(np.argmin(r[:a]))]), float(td[b + int(np.argmin(r[b:]))])
            if (n0, n1) == (t0, t1):
                break
            t0, t1 = n0, n1
        else:
            if settled:
                return None
        return t0, t1

    @cached_property
    def settle_s(self) -> float:
        """How long the band-limited movement takes to forget how a run of data started: the
        time the integrating filter's impulse response stays above a tenth of its peak (3.0 s
        with the default 0.4 Hz band edge). On a simulated III set (2.8 mm peak to peak) whose IMU
        data starts mid-set, the movement is 0.8-1.2 mm off in its first second, at most 0.16 mm
        from 3 s on."""
        h = np.abs(signal.sosfilt(self.sos_int, signal.unit_impulse(int(60 * self.fs))))
        return float(np.flatnonzero(h > 0.1 * h.max())[-1] + 1) / self.fs

    @cached_property
    def _settle_env(self) -> np.ndarray:
        h = np.abs(signal.sosfilt(self.sos_int, signal.unit_impulse(int(60 * self.fs))))
        return np.maximum.accumulate(h[::-1])[::-1] / h.max()

    def settle_left(self, dt_s: float) -> float:
        """What is left of a run's start in the band-limited movement ``dt_s`` after it, as a
        share of the most it can be: the integrating filter's impulse response from then on,
        against its peak (1 at the start, 0.1 at :attr:`settle_s`)."""
        env = self._settle_env
        return float(env[min(len(env) - 1, max(0, int(dt_s * self.fs)))])

    def response(self, freq_hz: float) -> tuple[float, float]:
        """Gain of the band-limited integration relative to an ideal double integrator, and
        its phase lead in seconds, at ``freq_hz``."""
        f = float(np.clip(freq_hz, self._f[0], self._f[-1]))
        lead = float(np.interp(f, self._f, self._lead))
        return float(np.interp(f, self._f, self._gain)), lead / (2 * np.pi * f)

    # --- thrusts -------------------------------------------------------------------------
    def _thrusts(self, k0: int, mag: np.ndarray) -> list[Event]:
        """Acceleration bursts well above the preceding second's level → thrust events, each
        given once the data up to its decision (:meth:`_measure_burst`) is in."""
        s, fs = self.s, self.fs
        above = np.flatnonzero(mag >= s.thrust_acc_mps2) + k0
        quiet_n = int(s.burst_quiet_s * fs)
        n_ttp = int(round(s.max_time_to_peak_s * fs))
        k_end = k0 + len(mag)
        pos = 0
        while True:
            if not self._in_burst:
                if pos >= len(above):
                    break
                k = int(above[pos])
                pos += 1
                if k < self._refractory_k:
                    continue
                before = np.concatenate([self.burst.get(k - int(fs), k - int(0.1 * fs)),
                                         mag[max(0, k - int(fs) - k0): max(0, k - int(0.1 * fs) - k0)]])
                level = float(np.sqrt(np.mean(before ** 2))) if len(before) else 0.0
                if mag[k - k0] >= s.thrust_snr * max(level, 1e-3):
                    self._in_burst, self._burst_k0, self._burst_last = True, k, k
                    self._loud[k] = [k]
                continue
            nxt = int(above[pos]) if pos < len(above) else None
            if nxt is not None and nxt - self._burst_last <= quiet_n:
                self._burst_last = nxt
                if nxt <= self._burst_k0 + n_ttp:
                    self._loud[self._burst_k0].append(nxt)
                pos += 1
                continue
            if (nxt if nxt is not None else k_end) - self._burst_last <= quiet_n:
                break                                # the burst may go on in the next chunk
            k_a = self._burst_k0
            k_dec = max(self._burst_last + quiet_n, k_a + int(round(s.max_time_to_peak_s * fs)))
            self._thrust_due.append((k_dec, k_a, self._burst_last + 1))
            self._bursts = self._bursts[-15:] + [(self._t(k_a), self._t(self._burst_last))]
            self._in_burst = False
            self._refractory_k = self._burst_last + int(s.refractory_s * fs)
        return self._thrusts_due()

    def _thrusts_due(self, final: bool = False) -> list[Event]:
        """The thrusts whose decision's data is in (``final``: all, on what there is)."""
        out: list[Event] = []
        while self._thrust_due and (final or self._thrust_due[0][0] + 2 <= self.vert.k_end):
            out.append(self._measure_burst(*self._thrust_due.pop(0)))
        return out

    def _measure_burst(self, k_dec: int, k_a: int, k_b: int) -> ThrustEvent:
        """Onset = first loud sample; peak = the hand's deepest point within
        ``max_time_to_peak_s`` of it, or the first one it comes back from (:meth:`_peak_of`).
        The movement is the vertical acceleration integrated twice
        from the hand held before the onset (``thrust_hold_s``, whose mean is gravity and the
        sensor's offset), as a cycle's is between its troughs: the band-limited stream, whose
        lower edge takes a thrust's step for a short pulse, put the peak 70 ms early on
        simulated 120 ms thrusts and read 65 % of their movement."""
        fs = self.fs
        k_dec = min(k_dec, self.vert.k_end - 2)
        t_a, t_dec = self._t(k_a), self._t(k_dec)
        moved = k_pk = None
        self._known.pop(k_a, None)
        self._unknowable.discard(k_a)
        wiggle = self._hold_wiggle(k_a)
        self._wiggle.pop(k_a, None)
        d, j_a = self._from_hold(k_a, k_dec)
        if len(d) > j_a + 1:
            j, j_back = self._peak_of(d, j_a, wiggle)
            k_pk, moved = k_a + j - j_a, float(d[j] - d[j_a])
            # known there (the same time :meth:`_note_known` found, whenever it looked)
            if j_back is not None and not self.units_wrong(self._t(k_a + j_back - j_a)):
                self.known_at[self.n_thrusts] = self._t(k_a + j_back - j_a)
        else:                      # no held hand before it in this run: the band's deepest point
            band = self.disp.get(k_a, k_b)
            k_pk = k_a + int(np.argmax(band)) if len(band) else k_a
        # the burst of the hand's movement into the tissue: its acceleration and deceleration up to
        # the deepest point. The release's acceleration, from the peak on, joined it when it came
        # within burst_quiet_s of the deceleration's last loud sample (identical simulated thrusts
        # of 120 ms read 48 ms or 216-268 ms: the release's speed decided it), not otherwise
        k_loud = max((k for k in self._loud.pop(k_a, [k_a]) if k <= k_pk), default=k_a)
        nan = float("nan")
        ev = ThrustEvent(
            t_onset=t_a, t_peak=self._t(k_pk), preload_n=nan, peak_n=nan,
            time_to_peak_ms=(k_pk - k_a) / fs * 1e3, duration_ms=(k_loud - k_a) / fs * 1e3,
            rate_n_per_s=nan, max_rate_n_per_s=nan, letup_n=nan, letup=None, index=self.n_thrusts,
            source="imu", t_detect_s=t_dec, displacement_mm=moved)
        self.n_thrusts += 1
        return ev

    def _peak_of(self, d: np.ndarray, j_a: int, wiggle_mm: float) -> tuple[int, int | None]:
        """A thrust's peak in the movement ``d`` from its onset ``j_a`` on (:meth:`_from_hold`), and
        the sample where it was known (None: not within ``d``). The peak is the deepest point within
        ``max_time_to_peak_s`` of the onset, unless the hand comes back from an earlier one first:
        the first point the movement from the onset falls below by ``peak_fall_noise`` times the
        wiggle of the held hand's movement before the onset (``wiggle_mm``, :meth:`_hold_wiggle`:
        tremor and noise integrated twice, which make a hand near its deepest point seem to come
        back), at least ``peak_fall_mm``, once it has moved ``peak_min_rise_mm``. The thrust is
        known there: on 48 simulated thrusts (``bench_imu.py --pops``) 10-38 ms after the peak
        (median 24), 92-224 ms after the onset, where the event comes 300-418 ms after it (with a
        fixed 3 % of the movement, 18-64 ms, median 40, and 104-238 ms). A hand that stops short
        and then goes deeper by more than that has the first for its peak; on 394 simulated
        thrusts (bench_imu's, --pops' and 322 with 8-12 Hz tremor of 0.3-0.9 m/s² and noise of
        120-400 µg/√Hz) the hand came back before its deepest point by at most 1.5 times its
        hold's wiggle, and the peaks are those of the whole window (but
        three, where the integrated movement drifted deeper than the thrust's peak by the
        window's end)."""
        s = self.s
        dd = d[j_a:j_a + int(round(s.max_time_to_peak_s * self.fs)) + 1] - d[j_a]
        top = np.maximum.accumulate(dd)
        fall = max(s.peak_fall_noise * wiggle_mm, s.peak_fall_mm) if np.isfinite(wiggle_mm) else np.inf
        back = np.flatnonzero((top >= s.peak_min_rise_mm) & (top - dd >= fall))
        if back.size:
            j = int(back[0])
            return j_a + int(np.argmax(dd[:j + 1])), j_a + j
        return j_a + int(np.argmax(dd)), None

    def _note_known(self) -> None:
        """The thrusts begun (their burst going on, or ended and waiting for their decision) whose
        peak is known already (:meth:`_peak_of`) and whose units are not known wrong by then: their
        index and peak are final (a thrust whose data break off is given on what came,
        :meth:`_thrusts_broken_off`), so :meth:`thrusts_begun_by` gives them before their event."""
        n = int(round(self.s.max_time_to_peak_s * self.fs))
        onsets = [k_a for _, k_a, _ in self._thrust_due] + ([self._burst_k0] if self._in_burst else [])
        for i, k_a in enumerate(onsets):
            if k_a in self._known or k_a in self._unknowable:
                continue
            k_end = min(self.vert.k_end - 2, k_a + n)      # (d runs to k_end + 1: all analysed)
            d, j_a = self._from_hold(k_a, k_end)
            j_back = None
            if len(d) > j_a + 1:
                j, j_back = self._peak_of(d, j_a, self._hold_wiggle(k_a))
            if j_back is None:
                if k_end >= k_a + n:                       # (its window is in: known at its event)
                    self._unknowable.add(k_a)
                continue
            t_known = self._t(k_a + j_back - j_a)
            if self.units_wrong(t_known):
                self._unknowable.add(k_a)
                continue
            nan = float("nan")
            ev = ThrustEvent(
                t_onset=self._t(k_a), t_peak=self._t(k_a + j - j_a), preload_n=nan, peak_n=nan,
                time_to_peak_ms=(j - j_a) / self.fs * 1e3, duration_ms=None, rate_n_per_s=nan,
                max_rate_n_per_s=nan, letup_n=nan, letup=None, index=self.n_thrusts + i, source="imu",
                t_detect_s=t_known, displacement_mm=float(d[j] - d[j_a]))
            self._known[k_a] = (ev, t_known)

    def _thrusts_broken_off(self, end: bool = False) -> list[Event]:
        """At a dropout or the end of the data (``end``): the thrusts waiting for data that will
        not come, measured on what came, and the one whose burst is going on if it is known
        (:meth:`_note_known`). One that is not (its peak not reached, or not told yet) cannot be
        measured: it is not given, and :meth:`notes` says so (:attr:`cut_off`), unless the units
        are known wrong by then."""
        if self._in_burst and self._burst_k0 in self._known:
            k_a = self._burst_k0
            self._thrust_due.append((k_a + int(round(self.s.max_time_to_peak_s * self.fs)), k_a,
                                     self._burst_last + 1))
            self._in_burst = False
        cut = None
        if self._in_burst and self._burst_k0 not in self._known:
            t_a, t_last = self._t(self._burst_k0), self._t(self.vert.k_end - 1)
            if not self.units_wrong(t_last):
                self.cut_off.append((t_a, t_last, end))
            self._in_burst = False
            if not self.units_wrong(t_a):         # (a pop may have named it: thrust_in_progress)
                cut = (t_a, t_last)
        out = self._thrusts_due(final=True)
        if cut is not None:
            # its index is used up, not given to the next thrust, and a pop during it up to
            # where the data broke off still names it, whatever the chunking
            self._broken.append((self.n_thrusts, *cut))
            self._cut_number[cut[0]] = self.n_thrusts
            self.n_thrusts += 1
        self._loud.clear()
        self._known.clear()
        self._unknowable.clear()
        self._wiggle.clear()
        return out

    def _hold_wiggle(self, k_a: int) -> float:
        """RMS (mm) of the held hand's movement before onset ``k_a`` (``thrust_hold_s``, as much of
        it as :meth:`_from_hold` uses) about a parabola: tremor and noise integrated twice, with
        the hold's unknown speed and any error in its mean taken out. NaN without the hold. The
        hold is over before the onset is found, so this is worked out once per thrust."""
        if k_a in self._wiggle:
            return self._wiggle[k_a]
        k_h0, k_h1 = (k_a - int(round(x * self.fs)) for x in self.s.thrust_hold_s)
        t_h0, t_h1 = self._t(max(k_h0, self.vert.k_start)), self._t(k_h1)
        _, h = self._integrate(t_h0, t_h1, self._mean_vert(t_h0, t_h1))
        w = float("nan")
        if len(h) >= 10:
            x = np.arange(len(h)) / self.fs
            r = h - np.polyval(np.polyfit(x, h, 2), x)
            w = float(np.sqrt(np.mean(r * r)))
        self._wiggle[k_a] = w
        return w

    def _from_hold(self, k_a: int, k_end: int) -> tuple[np.ndarray, int]:
        """The movement (mm) from rest at the end of the hold before onset ``k_a`` through
        ``k_end``, and the onset's index in it; empty when under half the hold is in this run."""
        k_h0, k_h1 = (k_a - int(round(x * self.fs)) for x in self.s.thrust_hold_s)
        n_hold = k_h1 - k_h0
        k_h0 = max(k_h0, self.vert.k_start)
        d = np.empty(0)
        if k_h1 - k_h0 >= n_hold // 2:          # at least half the hold is in this run
            # from rest at the hold's end, against its mean (gravity and the sensor's offset):
            # the onset's sample is already in the thrust's first jolt, the hand moving
            t_h1 = self._t(k_h1)
            _, d = self._integrate(t_h1, self._t(k_end), self._mean_vert(self._t(k_h0), t_h1))
        return d, k_a - k_h1

    # --- displacement for the pipeline ----------------------------------------------------
    def thrust_movement(self, t_onset_s: float, t_peak_s: float) -> float | None:
        """How far the hand moved into the tissue (mm) in a thrust timed on another stream (the
        force's): from its onset to its deepest point before ``t_peak_s`` plus
        ``force_peak_slack_s``, measured as an IMU thrust's is (:meth:`_measure_burst`, from the
        hand held before the onset). None when the hold or the thrust is not in the history, or
        the units are known wrong."""
        if self._state is None or self.units_wrong(t_peak_s):
            return None
        k_a = self._k(t_onset_s)
        d, j_a = self._from_hold(k_a, self._k(t_peak_s + self.s.force_peak_slack_s))
        if len(d) <= j_a + 1:
            return None
        return float(np.max(d[j_a:]) - d[j_a])

    def thrust_curve(self, t_onset_s: float, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray]:
        """The hand's movement (mm into the tissue) over ``[t0_s, t1_s]`` around a thrust whose
        onset is ``t_onset_s``, measured as its ``displacement_mm`` is (:meth:`_measure_burst`):
        the vertical acceleration integrated twice against the mean of the hold before the onset
        (``thrust_hold_s``), from rest at the hold's start; 0 mm at the onset; after the peak, less
        the drift the hand's rest after it shows (:meth:`_settled`). Its rise from the
        onset to the thrust's peak is that figure (the band-limited :meth:`movement_after`, whose
        lower edge takes a thrust's step for a short pulse, rose under half of it on simulated
        thrusts). Returns ``(t_s, disp_mm)`` from the hold's start at the earliest; empty when
        the hold or the onset is not in the history, or the units are known wrong."""
        if self._state is None or self.units_wrong(t1_s):
            return np.empty(0), np.empty(0)
        k_a = self._k(t_onset_s)
        k_h0, k_h1 = (k_a - int(round(x * self.fs)) for x in self.s.thrust_hold_s)
        if k_h0 < self.vert.k_start:
            return np.empty(0), np.empty(0)
        t_h0, t_h1 = self._t(k_h0), self._t(k_h1)
        t_end = min(t1_s, self._t(self.vert.k_end - 2))        # (up to the newest sample analysed)
        bias = self._mean_vert(t_h0, t_h1)
        t, d = self._integrate(t_h0, t_end, bias)
        if len(d) < 3 or t[-1] < t_onset_s:
            return np.empty(0), np.empty(0)
        d = self._settled(t, d, t_onset_s, bias)
        d = d - np.interp(t_onset_s, t, d)
        m = (t >= t0_s - 0.5 / self.fs) & (t <= t1_s + 0.5 / self.fs)
        return t[m], d[m]

    def _settled(self, t: np.ndarray, d: np.ndarray, t_onset_s: float, bias: float) -> np.ndarray:
        """The movement ``d`` (mm at times ``t``, integrated from rest at ``t[0]`` against
        ``bias``) with its drift after the thrust's peak taken off.

        An error in the hold's mean (``bias``) makes the integrated speed drift linearly from
        ``t[0]``, and the displacement with its square: within 0.6 s of the onset of 200 simulated
        thrusts, whose hand comes to rest after the release, the curve went up to 8.8 mm off the
        hand (median 0.73 mm; 0.84 mm and 0.22 mm with the drift taken off). Where the acceleration last
        shows the hand at rest after the peak (the last stretch of ``settle_rest_s`` or more
        whose mean over ``settle_smooth_s`` stays under ``settle_acc_mps2``: after the release,
        and after any step the release's fast movement left in the integrated speed), the
        hand's speed is zero, so the curve's speed over that stretch's first ``settle_rest_s``
        is the drift; that linear drift, from ``t[0]`` to the rest, is taken off from the peak
        on, so the curve up to the peak, and the thrust's figure, stay as measured. A rest whose
        speed would need more drift than ``settle_max_drift_mps2`` is the hand moving steadily
        and is passed over for the one before it. Unchanged when no rest is in ``t``. Quiet is
        judged only where the whole mean is in ``t``, so a rest, once in, stays as found."""
        s, fs = self.s, self.fs
        j_a = int(np.searchsorted(t, t_onset_s - 0.5 / fs))
        j_pk = j_a + int(np.argmax(d[j_a:j_a + int(round(s.max_time_to_peak_s * fs)) + 1]))
        n_avg = int(round(s.settle_smooth_s * fs)) // 2 * 2 + 1
        n_rest = max(2, int(round(s.settle_rest_s * fs)))
        k0 = self._k(float(t[0]))
        acc = self.vert.get(k0, k0 + len(d)) - bias
        if len(acc) != len(d) or len(d) - j_pk < n_avg + n_rest:
            return d
        quiet = np.zeros(len(d) + 2)
        quiet[1 + n_avg // 2:len(d) + 1 - n_avg // 2] = np.abs(signal.convolve(
            acc, np.full(n_avg, 1.0 / n_avg), mode="valid")) < s.settle_acc_mps2
        quiet[:j_pk + 2] = 0.0                          # (after the peak)
        edges = np.flatnonzero(np.diff(quiet))          # (each quiet stretch's start and end)
        for r0, r_end in reversed(list(zip(edges[::2], edges[1::2]))):
            if r_end - r0 < n_rest:
                continue
            r1 = r0 + n_rest - 1
            drift = (d[r1] - d[r0]) / (t[r1] - t[r0]) / (0.5 * (t[r0] + t[r1]) - t[0])   # mm/s²
            if abs(drift) <= 1000.0 * s.settle_max_drift_mps2:
                out = d.copy()
                after = slice(j_pk + 1, None)
                out[after] -= 0.5 * drift * ((t[after] - t[0]) ** 2 - (t[j_pk] - t[0]) ** 2)
                return out
        return d

    @property
    def t_analysed(self) -> float | None:
        """Time (s) of the newest sample of the uniform grid analysed; None before any was.
        ``t_last``, the newest sample fed, may be later: a run's first ``start_s`` is held back
        (:meth:`_start`) and the grid follows the samples by a step or so."""
        return self._t(self.vert.k_end - 1) if self._state is not None else None

    def thrusts_decided_through(self, t_s: float) -> bool:
        """Whether every thrust whose onset lies at or before ``t_s`` has been given, so that
        another stream's event (a pop) can be related to them whatever the chunking, as
        :meth:`ForceProcessor.thrusts_decided_through <analysis.force.ForceProcessor.thrusts_decided_through>`
        says of the force's: the grid has been analysed past ``t_s`` (a run's first samples, held
        back, are not), and no burst begun by then is still going on or waiting for the data its
        measure needs. False before any sample was analysed. :meth:`thrusts_known_through` is
        true sooner."""
        last = self.t_analysed
        if last is None or last < t_s:
            return False
        if self._in_burst and self._t(self._burst_k0) <= t_s:
            return False
        return all(self._t(k_a) > t_s for _, k_a, _ in self._thrust_due)

    def thrusts_known_through(self, t_s: float) -> bool:
        """Whether every thrust whose onset lies at or before ``t_s`` has been given or is known
        (:meth:`thrusts_begun_by`: its index and peak final, its event to come), so that a pop
        can be tied to them whatever the chunking: as :meth:`thrusts_decided_through`, but a burst
        whose peak is known (:meth:`_peak_of`) is not waited for."""
        last = self.t_analysed
        if last is None or last < t_s:
            return False
        if self._in_burst and self._t(self._burst_k0) <= t_s and self._burst_k0 not in self._known:
            return False
        return all(self._t(k_a) > t_s or k_a in self._known for _, k_a, _ in self._thrust_due)

    def thrusts_cut(self) -> set[int]:
        """The indices of the thrusts the data broke off in before they were known: not given, and
        not given to another thrust (:attr:`cut_off`). A pop heard during one named it
        (:meth:`thrust_in_progress`) before the break was known; it is tied to no thrust given."""
        return set(self._cut_number.values())

    def thrust_in_progress(self, t_s: float) -> int | None:
        """The index of the thrust in progress at ``t_s``, or None: begun by then (its onset at or
        before it, up to ``max_time_to_peak_s`` before it) and not known by then
        (:meth:`thrusts_begun_by`: the hand had not yet come back from its deepest point, nor its
        event come), its units not known wrong at its onset. Such a thrust is given with that index
        (:meth:`_withhold`), so another stream's event (a pop during the thrust) may name it before
        its peak is known. None too until the grid has been analysed past ``t_s``; from then on,
        the same whatever the chunking. A thrust the data break off in before it is known is not
        given (:attr:`cut_off`), and its index is not given to another."""
        last = self.t_analysed
        if last is None or last < t_s:
            return None
        found = [(ev.index, ev.t_onset, self.known_at.get(ev.index, ev.t_detect_s)) for ev in self.given]
        onsets = [k_a for _, k_a, _ in self._thrust_due] + ([self._burst_k0] if self._in_burst else [])
        for i, k_a in enumerate(onsets):
            known = self._known.get(k_a)
            found.append((self.n_thrusts + i, self._t(k_a), known[1] if known else np.inf))
        found += [(index, onset, np.inf) for index, onset, t_last in self._broken if t_s <= t_last]
        for index, onset, t_known in found:
            if onset <= t_s < t_known and t_s <= onset + self.s.max_time_to_peak_s \
                    and not self.units_wrong(onset):
                return index
        return None

    def thrusts_begun_by(self, t_s: float) -> list[tuple[ThrustEvent, float]]:
        """The thrusts given, or known, whose onset lies at or before ``t_s``, each with the time
        (s) it was known: where its peak was (:meth:`_peak_of`), when that came before its event,
        else its event's. A thrust known is given later with the same index, onset and peak
        (without ``duration_ms`` here), even if the data break off first. Once
        :meth:`thrusts_known_through` ``t_s``, the same whatever the chunking."""
        out = [(ev, self.known_at.get(ev.index, ev.t_detect_s)) for ev in self.given if ev.t_onset <= t_s]
        return out + sorted(((ev, tk) for ev, tk in self._known.values() if ev.t_onset <= t_s),
                            key=lambda x: x[0].index)

    def forget_thrusts(self, t_s: float) -> None:
        """Forget, for :meth:`thrusts_begun_by`, the thrusts given that peaked before ``t_s`` (s)."""
        self._broken = [b for b in self._broken if b[2] >= t_s]
        gone = [ev for ev in self.given if ev.t_peak < t_s]
        if gone:
            self.given = [ev for ev in self.given if ev.t_peak >= t_s]
            for ev in gone:
                self.known_at.pop(ev.index, None)

    def measured_through(self, t_s: float) -> bool:
        """Whether the samples up to ``t_s`` have come and are analysed (not held back at a run's
        start, :meth:`_start`): what is measured up to then no longer depends on later chunks."""
        if self.t_last is None or self.t_last < t_s:
            return False
        return not (self._warm and self._warm[0][1][0] <= t_s)

    def _k(self, t_s: float) -> int:
        return self._run_k0 + int(np.floor((t_s - self._run_t0) * self.fs + 1e-9))

    def displacement(self, t0_s: float, t1_s: float, *, turning_points: bool = True,
                     refine_s: float = 0.07) -> tuple[np.ndarray, np.ndarray]:
        """The hand's movement into the tissue between two times, from the bounded history.

        With ``turning_points`` (the default, for a cycle's troughs) the vertical acceleration
        minus its mean over ``[t0_s, t1_s]`` (gravity and the sensor's offset: the hand is at
        rest at both troughs) is integrated twice, and the straight line joining the troughs is
        taken off, so the troughs sit at 0 mm. The troughs are first looked for within
        ``refine_s`` of the given times (a force cycle's troughs may be trimmed or a few ms off;
        an unknown common velocity there adds only such a line). No filter is involved: the
        result is exact in phase and free of the band's gain. Otherwise the band-limited stream is
        returned as is (it leads the movement slightly; see :meth:`response`). Returns
        ``(t_s, disp_mm)``, empty when the interval is no longer (or not yet) in the history.
        """
        if self._state is None or self.units_wrong(t1_s):
            return np.empty(0), np.empty(0)
        k0, k1 = self._k(t0_s), self._k(t1_s) + 1
        if not turning_points:
            d = self.disp.get(k0, k1 + 1)
            # (each sample's time from its index alone: the same sample has the same time
            # however the history was asked for it, so movement_after never gives it twice)
            return self._t(max(k0, self.disp.k_start) + np.arange(len(d))), d.copy()
        w = min(refine_s, self.s.refine_share * (t1_s - t0_s))
        r0, r1 = (self._refine(t0_s, t1_s, w) if w > 0 else None) or (t0_s, t1_s)
        td, d = self._integrate(min(t0_s, r0), max(t1_s, r1), self._mean_vert(r0, r1))
        if len(d) < 3:
            return np.empty(0), np.empty(0)
        d0, d1 = np.interp([r0, r1], td, d)
        d = d - (d0 + (d1 - d0) * (td - r0) / (r1 - r0))
        m = (td >= t0_s - 0.5 / self.fs) & (td <= t1_s + 0.5 / self.fs)
        return td[m], d[m]

    def movement_after(self, t_s: float | None) -> tuple[np.ndarray, np.ndarray]:
        """The band-limited movement (``displacement(..., turning_points=False)``) computed after
        ``t_s`` up to the newest sample (from the start of the history when None), across the
        dropouts within ``history_s``: what a display that last took it up to ``t_s`` adds, the
        same however the data came in chunks. None from the moment the units are first known
        wrong (:meth:`units_wrong`: the end of a block of ``units_block_s``), in whatever chunk that
        moment came."""
        if self._state is None:
            return np.empty(0), np.empty(0)
        self.units_wrong(self.t_last)             # (judges each block the grid has passed)
        k0 = self.disp.k_start if t_s is None else max(self.disp.k_start, self._k(t_s))
        k = np.arange(k0, self.disp.k_end)
        ts, ds = [], []
        for t, d in self._ended + [(self._t(k), self.disp.get(k0, self.disp.k_end))]:
            i = 0 if t_s is None else int(np.searchsorted(t, t_s, side="right"))
            ts.append(t[i:])
            ds.append(d[i:])
        t, d = np.concatenate(ts), np.concatenate(ds)
        if self._first_wrong is not None:          # (the times at which units_wrong is true)
            n = int(np.searchsorted(np.floor((t - self.t_first) / self.s.units_block_s + 1e-9) - 1,
                                    self._first_wrong))
            t, d = t[:n], d[:n]
        return t, d

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

    def _mean_vert(self, t0_s: float, t1_s: float) -> float:
        """Mean vertical specific force over an interval: gravity plus the sensor's offset when
        the hand is at rest at both ends (zero mean acceleration between turning points)."""
        s = self.vert.get(self._k(t0_s), self._k(t1_s) + 2)
        if len(s) < 2:
            return float("nan")
        return float(integrate.trapezoid(s, dx=1.0) / (len(s) - 1))

    def _integrate(self, t0_s: float, t1_s: float, bias: float) -> tuple[np.ndarray, np.ndarray]:
        """Twice integrate ``vert − bias`` from rest at 0 mm at ``t0_s``; empty if not in history."""
        k0, k1 = self._k(t0_s), self._k(t1_s) + 2
        if k0 < self.vert.k_start or k1 > self.vert.k_end or k1 - k0 < 3 or not np.isfinite(bias):
            return np.empty(0), np.empty(0)
        dt = 1.0 / self.fs
        v = integrate.cumulative_trapezoid(self.vert.get(k0, k1) - bias, dx=dt, initial=0.0)
        d_mm = -1000.0 * integrate.cumulative_trapezoid(v, dx=dt, initial=0.0)
        return self._t(k0) + np.arange(len(d_mm)) * dt, d_mm


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
