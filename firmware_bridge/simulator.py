"""A physical model of a trainee's hands on a sensor, with ground truth.

Used to make labelled fixtures (``gradecoach simulate``) and by the emulated device. The model
aims at what real recordings show rather than at what the detector expects:

* displacement follows a raised-cosine rise and fall with a dwell at end range and asymmetric
  rise/fall times; force follows from an exponential toe-region stiffness curve, so crests are
  sharper than troughs;
* a human's cycle-to-cycle variation in crest (≈3 % of R2−R1), amplitude and period (≈6 %);
* physiological tremor at 8–12 Hz whose size grows with force, white sensor noise, slow
  thermal drift, ADC quantisation, single-sample spikes, dropped samples and jittered
  (BLE-like) timestamps;
* a thrust is ramp → held preload (with a slight wobble) → optional let-up dip → a rise shaped
  like a Beta(1.5, 2.5) distribution function, whose maximum rate falls in the first third of
  the rise at ≈1.65× the mean rate (cf. JMPT 2014;37:294: 1.7–1.8×) → release.

Ground truth per cycle is the grading scheme applied to the clean (noise-free) crest and
trough, so a cycle whose natural variation crosses a boundary is labelled as what it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from analysis.scheme import GradingScheme, ThrustScheme, parse_target

FINE_HZ = 10_000.0

# crest position q = (Fmax-R1)/(R2-R1) a trainee aims at for each modifier
_Q_AIM = {"--": 0.07, "-": 0.25, "": 0.5, "+": 0.75, "++": 0.94}


@dataclass
class Noise:
    """Sensor and hand imperfections; all in N unless stated."""

    noise_n: float = 0.3
    tremor_n: float = 0.4          # tremor amplitude at 0 N; grows 1 % of force
    drift_n: float = 0.0           # peak slow drift over the recording
    quant_n: float = 0.0           # ADC step
    spikes_per_s: float = 0.0
    dropouts_per_min: float = 0.0  # 20–150 ms holes
    jitter: float = 0.0            # timestamp jitter as a share of the sample interval
    t0_s: float = 0.0              # first timestamp

    def held_sd_n(self, force_n: float) -> float:
        """SD (N) of what is added to a force held at ``force_n``: the white noise, the tremor
        (a sine of amplitude ``tremor_n`` growing 1 % of the force) and the ADC's rounding."""
        tremor_n = self.tremor_n * (1 + 0.01 * max(force_n, 0.0))
        return float(np.sqrt(self.noise_n ** 2 + tremor_n ** 2 / 2 + self.quant_n ** 2 / 12))


def letup_threshold_n(preload_n: float, noise: Noise, scheme: ThrustScheme | None = None) -> float:
    """The least let-up (N) the thrust analysis flags from a held ``preload_n`` with ``noise``
    added: the larger of ``letup_min_n``, ``letup_min_frac`` of the preload and ``letup_noise_k``
    SDs of the held force's noise and tremor (analysis/thrust.py); a smaller one is measured and
    given, unflagged."""
    s = scheme or ThrustScheme()
    return max(s.letup_min_n, s.letup_min_frac * preload_n, s.letup_noise_k * noise.held_sd_n(preload_n))


@dataclass
class Sim:
    """Builds a clean force signal piece by piece and remembers the truth."""

    r1_n: float | None = 40.0
    r2_n: float | None = 120.0
    seed: int = 0
    rng: np.random.Generator = field(init=False)
    pieces: list = field(default_factory=list)
    disp: list = field(default_factory=list)
    cycles: list = field(default_factory=list)
    thrusts: list = field(default_factory=list)
    level: float = 1.5              # current force, N (hand resting)
    t: float = 0.0
    noise: Noise = field(default_factory=Noise)   # what :meth:`sample` added (the truth's let-ups)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)

    # --- primitives -------------------------------------------------------------------
    def _add(self, y: np.ndarray, d: np.ndarray | None = None) -> None:
        self.pieces.append(y)
        self.disp.append(d if d is not None else np.full(len(y), np.nan))
        self.t += len(y) / FINE_HZ
        self.level = float(y[-1]) if len(y) else self.level

    def _n(self, dur_s: float) -> int:
        return max(1, int(round(dur_s * FINE_HZ)))

    def hold(self, dur_s: float, wobble_n: float = 0.0) -> None:
        n = self._n(dur_s)
        u = np.arange(n) / FINE_HZ
        w = wobble_n * np.sin(2 * np.pi * self.rng.uniform(0.3, 0.8) * u + self.rng.uniform(0, 6.28))
        self._add(self.level + w - w[0])

    def ramp(self, to_n: float, dur_s: float) -> None:
        n = self._n(dur_s)
        u = (1 - np.cos(np.pi * np.arange(1, n + 1) / n)) / 2
        self._add(self.level + (to_n - self.level) * u)

    def rest(self, dur_s: float) -> None:
        self.ramp(self.rng.uniform(0.5, 2.0), min(0.8, dur_s / 2))
        self.hold(dur_s / 2)

    # --- a mobilisation set -------------------------------------------------------------
    def aim(self, grade: str, modifier: str | None) -> tuple[float, float]:
        """(crest, amplitude) a trainee aims at for a grade, with R1/R2 known."""
        r1, r2, g = self.r1_n or 40.0, self.r2_n or 120.0, self.rng
        if grade in ("III", "IV"):
            crest = r1 + _Q_AIM[modifier or ""] * (r2 - r1)
            frac = g.uniform(0.62, 0.82) if grade == "III" else g.uniform(0.14, 0.32)
            return crest, frac * crest
        if grade == "II":
            crest = g.uniform(0.78, 0.9) * r1
            return crest, g.uniform(0.62, 0.85) * r1
        crest = g.uniform(0.45, 0.8) * r1
        return crest, g.uniform(0.16, 0.3) * r1

    def mob_set(self, grade: str, modifier: str | None, freq_hz: float, n_cycles: int,
                scheme: GradingScheme) -> None:
        g = self.rng
        crest0, amp0 = self.aim(grade, modifier)
        span = (self.r2_n or 120.0) - (self.r1_n or 40.0)
        rise_share = g.uniform(0.4, 0.6)
        kappa = g.uniform(0.3, 1.8)                   # toe-region curvature
        dwell_share = g.uniform(0.0, 0.15)            # dwell at end range
        stiff = g.uniform(15.0, 40.0)                 # N per mm near end range
        # ramp in to the first trough and settle briefly
        self.ramp(crest0 - amp0, g.uniform(0.6, 1.4))
        self.hold(g.uniform(0.05, 0.4))
        for _ in range(n_cycles):
            crest = crest0 + g.normal(0, 0.03 * span if grade in ("III", "IV") else 0.025 * crest0)
            amp = amp0 * (1 + g.normal(0, 0.05))
            period = 1.0 / freq_hz * (1 + g.normal(0, 0.06))
            trough_start = self.level
            trough_end = crest - amp
            n = self._n(period)
            n_dw = int(n * dwell_share)
            n_up = int((n - n_dw) * rise_share)
            n_dn = n - n_dw - n_up
            up = (1 - np.cos(np.pi * np.arange(1, n_up + 1) / n_up)) / 2
            dn = (1 + np.cos(np.pi * np.arange(1, n_dn + 1) / n_dn)) / 2
            u = np.concatenate([up, np.ones(n_dw), dn])
            toe = (np.exp(kappa * u) - 1) / (np.exp(kappa) - 1)
            base = np.concatenate([np.full(n_up + n_dw, trough_start),
                                   trough_start + (trough_end - trough_start) * (1 - dn)])
            y = base + (crest - base) * toe
            disp_mm = (crest - trough_end) / stiff * u
            t0 = self.t
            self._add(y, disp_mm)
            t_crest = t0 + (n_up + n_dw / 2) / FINE_HZ
            trough = 0.5 * (trough_start + trough_end)
            a = crest - trough
            gr, mod, pct, beyond = scheme.grade(crest, a)
            self.cycles.append(dict(type="cycle", t_start=t0, t_end=self.t, t_crest=t_crest, grade=gr,
                                    modifier=mod, trough_n=trough, crest_n=crest, amplitude_n=a,
                                    freq_hz=1.0 / (self.t - t0), beyond_r2=beyond,
                                    displacement_mm=float(disp_mm.max()), intended=grade))
        self.hold(g.uniform(0.0, 0.3))
        self.ramp(g.uniform(0.5, 2.0), g.uniform(0.6, 1.2))

    # --- a thrust ------------------------------------------------------------------------
    def thrust(self, preload_n: float, peak_n: float, ttp_ms: float, letup_n: float = 0.0) -> None:
        g = self.rng
        self.ramp(preload_n, g.uniform(0.5, 1.0))
        self.hold(g.uniform(0.6, 1.2), wobble_n=0.015 * preload_n)
        preload = self.level
        if letup_n > 0:
            self.ramp(preload - letup_n, g.uniform(0.06, 0.15))
        onset_level = self.level
        t_onset = self.t
        n = self._n(ttp_ms / 1000)
        u = np.arange(1, n + 1) / n
        # (imported here: 'help' shows simulate's and emulate's options, which take this
        # module's ranges, and needs no scipy)
        from scipy import special
        self._add(onset_level + (peak_n - onset_level) * special.betainc(1.5, 2.5, u))
        t_peak = self.t
        self.ramp(preload * g.uniform(0.3, 0.8), g.uniform(0.08, 0.2))
        self.hold(g.uniform(0.2, 0.5))
        self.ramp(g.uniform(0.5, 2.0), g.uniform(0.4, 0.8))
        self.thrusts.append(dict(type="thrust", t_onset=t_onset, t_peak=t_peak, preload_n=preload,
                                 peak_n=peak_n, time_to_peak_ms=ttp_ms, letup_n=letup_n))

    # --- output -------------------------------------------------------------------------
    def clean(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        y = np.concatenate(self.pieces)
        d = np.concatenate(self.disp)
        t = np.arange(len(y)) / FINE_HZ
        return t, y, d

    def sample(self, rate_hz: float, noise: Noise) -> tuple[np.ndarray, np.ndarray]:
        """Sample the clean signal as a sensor would: returns ``(t_s, force_n)``."""
        g = self.rng
        self.noise = noise
        tf, yf, _ = self.clean()
        dt = 1.0 / rate_hz
        t = np.arange(0.0, tf[-1], dt)
        if noise.jitter > 0:
            t = t + g.uniform(-noise.jitter, noise.jitter, len(t)) * dt
            t = np.sort(np.clip(t, 0, tf[-1]))
            t = t[np.concatenate([[True], np.diff(t) > 1e-6])]
        y = np.interp(t, tf, yf)
        trem_amp = noise.tremor_n * (1 + 0.01 * np.maximum(y, 0))
        f_tr = g.uniform(8, 12)
        am = 1 + 0.3 * np.sin(2 * np.pi * 0.3 * t + g.uniform(0, 6.28))
        y = y + trem_amp * am * np.sin(2 * np.pi * f_tr * t + 0.5 * np.sin(2 * np.pi * 0.7 * t))
        if noise.drift_n:
            y = y + noise.drift_n * np.sin(2 * np.pi * t / max(60.0, tf[-1]) + g.uniform(0, 6.28))
        y = y + g.normal(0, noise.noise_n, len(y))
        if noise.quant_n:
            y = np.round(y / noise.quant_n) * noise.quant_n
        if noise.spikes_per_s:
            k = g.random(len(y)) < noise.spikes_per_s * dt
            y[k] += g.choice([-1, 1], k.sum()) * g.uniform(20, 200, k.sum())
        keep = np.ones(len(t), bool)
        if noise.dropouts_per_min:
            n_drop = g.poisson(noise.dropouts_per_min * tf[-1] / 60)
            for s in g.uniform(0, tf[-1], n_drop):
                keep &= ~((t >= s) & (t < s + g.uniform(0.02, 0.15)))
        return t[keep] + noise.t0_s, y[keep]

    def truth(self, t0_s: float = 0.0) -> list[dict]:
        """The cycles and thrusts made, in time order, their times from ``t0_s``: a thrust's
        let-up is flagged (``letup``) when the analysis flags one its size in the noise
        :meth:`sample` added (:func:`letup_threshold_n`)."""
        ev = [dict(e) for e in self.cycles + self.thrusts]
        for e in ev:
            if e["type"] == "thrust":
                e["letup"] = e["letup_n"] > 0 and e["letup_n"] >= letup_threshold_n(e["preload_n"], self.noise)
            for k in ("t_start", "t_end", "t_crest", "t_onset", "t_peak"):
                if k in e:
                    e[k] = round(e[k] + t0_s, 6)
            for k, v in list(e.items()):
                if isinstance(v, (float, np.floating)):
                    e[k] = round(float(v), 6)
                elif isinstance(v, np.bool_):
                    e[k] = bool(v)
        return sorted(ev, key=lambda e: e.get("t_start", e.get("t_onset")))


def technique(kind: str, sim: Sim, scheme: GradingScheme, *, freq_hz: float = 1.5, cycles: int = 20,
              preload_n: float = 150.0, peak_n: float = 600.0, ttp_ms: float = 120.0,
              letup_n: float = 0.0, sets: int = 1) -> None:
    """Append one named technique to ``sim``: a target like ``"III+"`` or ``"V"``/``"HVLA"``."""
    grade, mod = parse_target(kind)
    sim.rest(sim.rng.uniform(1.0, 2.0))
    for _ in range(sets):
        if grade == "V":
            sim.thrust(preload_n, peak_n, ttp_ms, letup_n)
        else:
            sim.mob_set(grade, mod, freq_hz, cycles, scheme)
        sim.rest(sim.rng.uniform(1.5, 3.0))


# what ``mixed`` draws for each set and thrust of its own, unless told (uniform; cycles: 6–11)
MIXED_FREQ_HZ = (0.8, 2.5)
MIXED_CYCLES = (6, 12)
MIXED_PRELOAD_N = (80.0, 160.0)
MIXED_PEAK_N = (350.0, 650.0)
MIXED_TTP_MS = (80.0, 180.0)
MIXED_LETUP_N = (20.0, 40.0)


def mixed(sim: Sim, scheme: GradingScheme, repeats: int = 1, *, freq_hz: float | None = None,
          cycles: int | None = None, preload_n: float | None = None, peak_n: float | None = None,
          ttp_ms: float | None = None, letup_n: float | None = None) -> None:
    """A bit of everything: each grade with a modifier, then thrusts with and without let-up.

    Each set's frequency and cycles and each thrust's preload, peak and time to peak are drawn
    from the ``MIXED_*`` ranges, and the second thrust's let-up too; a value given here is used
    instead of its draw (``letup_n`` for the thrust with let-up: 0 gives none). The draws are
    made all the same, so what is not given comes out as it would have without the others."""
    g = sim.rng

    def use(given, drawn):
        return drawn if given is None else given

    for _ in range(repeats):
        for target in ("I", "II", "III-", "III+", "IV", "IV++"):
            f, n = g.uniform(*MIXED_FREQ_HZ), int(g.integers(*MIXED_CYCLES))
            technique(target, sim, scheme, freq_hz=use(freq_hz, f), cycles=use(cycles, n))
        for with_letup in (False, True):
            pre, peak, ttp = g.uniform(*MIXED_PRELOAD_N), g.uniform(*MIXED_PEAK_N), g.uniform(*MIXED_TTP_MS)
            letup = use(letup_n, g.uniform(*MIXED_LETUP_N)) if with_letup else 0.0
            technique("V", sim, scheme, preload_n=use(preload_n, pre), peak_n=use(peak_n, peak),
                      ttp_ms=use(ttp_ms, ttp), letup_n=letup)


# the mean lengths (s) of the pieces drawn above, to say how long a recording will be before it
# is made: a rest of U(1, 2) s before a technique and of U(1.5, 3) s after each set or thrust
# (its ramp of min(0.8, d/2) s and hold of d/2 s), a set's ramps and holds around its cycles, a
# thrust's ramps and holds around its rise and let-up
_REST_BEFORE_S, _REST_AFTER_S = 1.46, 1.923
_SET_S = 1.0 + 0.225 + 0.15 + 0.9
_THRUST_S = 0.75 + 0.9 + 0.14 + 0.35 + 0.6
_LETUP_S = 0.105


def mean_length_s(kind: str, sets: int = 1, *, freq_hz: float | None = None, cycles: int | None = None,
                  ttp_ms: float | None = None, letup_n: float | None = None) -> float:
    """The length (s) a recording of :func:`technique` ``kind`` with ``sets`` (``"mixed"``: of
    :func:`mixed` with ``sets`` repeats, the values not given drawn) has on average: within a
    few per cent of the one made, the more sets the closer."""
    if kind.lower() == "mixed":
        mean_cycles = (MIXED_CYCLES[0] + MIXED_CYCLES[1] - 1) / 2 if cycles is None else cycles
        lo, hi = MIXED_FREQ_HZ
        per_s = math.log(hi / lo) / (hi - lo) if freq_hz is None else 1.0 / freq_hz   # E[1/f], f uniform
        ttp_s = (sum(MIXED_TTP_MS) / 2 if ttp_ms is None else ttp_ms) / 1e3
        one_set = _REST_BEFORE_S + _SET_S + mean_cycles * per_s + _REST_AFTER_S
        thrusts = 2 * (_REST_BEFORE_S + _THRUST_S + ttp_s + _REST_AFTER_S) + (_LETUP_S if letup_n != 0 else 0.0)
        return sets * (6 * one_set + thrusts)
    if parse_target(kind)[0] == "V":
        each = _THRUST_S + (ttp_ms or 120.0) / 1e3 + (_LETUP_S if letup_n else 0.0)
    else:
        each = _SET_S + (cycles or 20) / (freq_hz or 1.5)
    return _REST_BEFORE_S + sets * (each + _REST_AFTER_S)
