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
from dataclasses import dataclass, field, replace

import numpy as np

from analysis.errors import InputError
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


# A hand's cycle-to-cycle variation (SD): the crest by CREST_SD_OF_SPAN of R2−R1 (III, IV) or
# CREST_SD_OF_CREST of the crest (I, II), the amplitude by AMP_SD_OF_AMP of itself
CREST_SD_OF_SPAN, CREST_SD_OF_CREST, AMP_SD_OF_AMP = 0.03, 0.025, 0.05
# The amplitude a trainee aims at, a share of max(crest, R1), drawn uniformly between these at the
# default α = 0.5: 1.24–1.64 (III) and 1.24–1.7 (II) times the α·max(crest, R1) from which an
# oscillation is large, 0.28–0.64 (IV) and 0.32–0.6 (I) times it for a small one. Another α
# scales them, so the margins stay, as far as the hand's variation allows (:func:`amplitude_share`).
_AMP_SHARE = {"I": (0.16, 0.30), "II": (0.62, 0.85), "III": (0.62, 0.82), "IV": (0.14, 0.32)}
_CREST_SHARE = {"I": (0.45, 0.8), "II": (0.78, 0.9)}     # the crests of grades I and II, shares of R1
_II_CREST_OVER_ALPHA = 1.15   # a grade II's crest, at a high α, at least this times α·R1: room for a large sweep
CLEAR_SD = 2.5                # the SDs of a cycle's amplitude an aim keeps clear of its grade's bounds
MIXED_TARGETS = ("I", "II", "III-", "III+", "IV", "IV++")   # the sets of :func:`mixed`, in order


class CannotMake(InputError):
    """A grade that no amplitude makes at a scheme's α with its R1 and R2 (:func:`makeable`)."""


def crest_share(grade: str, alpha: float) -> tuple[float, float]:
    """The crests (shares of R1) a trainee aims at for grade I or II, drawn uniformly between
    the two: a grade II's high enough, at a high α, for a large sweep above a trough at 0 N."""
    lo, hi = _CREST_SHARE[grade]
    if grade == "II":
        lo = max(lo, min(hi, _II_CREST_OVER_ALPHA * alpha))
    return lo, hi


def amplitude_sd_n(grade: str, crest_n: float, amplitude_n: float, span_n: float) -> float:
    """The SD (N) of a cycle's amplitude in the truth (its crest less the mean of the troughs
    either side) about the ``amplitude_n`` aimed at: half the crest's and the amplitude's
    variances (:data:`CREST_SD_OF_SPAN`…) added."""
    crest_sd = CREST_SD_OF_SPAN * span_n if grade in ("III", "IV") else CREST_SD_OF_CREST * crest_n
    return math.sqrt((crest_sd ** 2 + (AMP_SD_OF_AMP * amplitude_n) ** 2) / 2)


def amplitude_share(grade: str, crest_n: float, scheme: GradingScheme) -> tuple[float, float]:
    """The amplitudes a trainee aims at for ``grade`` (I–IV) with crests at ``crest_n`` N, as
    shares of max(crest, R1), drawn uniformly between the two: :data:`_AMP_SHARE` scaled by
    α / 0.5 (at ``scheme``'s α = 0.5 as they are), moved whole where they must be to keep
    :data:`CLEAR_SD` SDs of the hand's variation (:func:`amplitude_sd_n`) clear of
    α·max(crest, R1) and of the scheme's minimum amplitude of a cycle, and above α = 0.5 a
    trough at 0 N or more. A small grade's lowest aim comes no closer to that minimum than at
    α = 0.5 (a IV-- just past R1, whose crest wanders, is aimed closer), nor within one SD.
    Raises :class:`CannotMake` when that leaves no room, saying why."""
    r1, alpha = scheme.r1_n, scheme.alpha
    ref = max(crest_n, r1)
    s = alpha / 0.5
    lo, hi = _AMP_SHARE[grade][0] * s, _AMP_SHARE[grade][1] * s
    limit_n, least_n = alpha * ref, scheme.min_amplitude(r1, crest_n)

    def sd_n(a_n: float) -> float:
        return amplitude_sd_n(grade, crest_n, a_n, scheme.r2_n - r1)

    top_n = crest_n if s > 1 else max(crest_n, hi * ref)  # (at α 0.5 a grade II's trough may dip under 0 N)
    if grade in ("II", "III"):
        lo_n = max(limit_n + CLEAR_SD * sd_n(limit_n), least_n + CLEAR_SD * sd_n(least_n))
        hi_n = top_n
    else:
        lo_n = max(least_n + sd_n(least_n), min(least_n + CLEAR_SD * sd_n(least_n), _AMP_SHARE[grade][0] * ref))
        hi_n = min(limit_n - CLEAR_SD * sd_n(limit_n), top_n)
    if lo_n > hi_n:
        raise CannotMake(_why(grade, crest_n, scheme, lo_n, hi_n))
    width = hi - lo
    if lo * ref < lo_n:
        lo, hi = lo_n / ref, lo_n / ref + width
    if hi * ref > hi_n:
        lo, hi = max(hi_n / ref - width, lo_n / ref), hi_n / ref
    return lo, hi


def _why(grade: str, crest_n: float, scheme: GradingScheme, lo_n: float, hi_n: float) -> str:
    """Why ``grade`` with crests at ``crest_n`` N has no amplitude to aim at: it would need at
    least ``lo_n`` and at most ``hi_n`` N (:func:`amplitude_share`)."""
    r1 = scheme.r1_n
    limit = f"α × {'R1' if crest_n <= r1 else 'the crest'} = {scheme.alpha * max(crest_n, r1):.3g} N"
    least = f"the {scheme.min_amplitude(r1, crest_n):.3g} N minimum amplitude of a cycle"
    room = "with room for a hand's cycle-to-cycle variation"
    if grade in ("I", "IV"):
        return (f"the amplitude must stay under {limit} and reach {least}, {room} "
                f"(at most {max(hi_n, 0.0):.3g} N, at least {lo_n:.3g} N)")
    crest = f"a crest short of R1 ({crest_n:.3g} N)" if grade == "II" else f"a crest of {crest_n:.3g} N"
    return (f"the amplitude must reach {limit} and {least}, {room} (at least {lo_n:.3g} N), "
            f"more than {crest} leaves above 0 N")


def _crests_n(kind: str, r1_n: float, r2_n: float, alpha: float) -> tuple[float, ...]:
    """The lowest and highest crests (N) a trainee aims at for ``kind`` (one for III and IV)."""
    grade, mod = parse_target(kind)
    if grade in ("III", "IV"):
        return (r1_n + _Q_AIM[mod or ""] * (r2_n - r1_n),)
    return tuple(f * r1_n for f in crest_share(grade, alpha))


def makeable(kind: str, scheme: GradingScheme, said_as: str | None = None) -> None:
    """Raise :class:`CannotMake`, one line naming ``kind`` (I–IV with a modifier; ``said_as``
    instead when given), α and why, when no amplitude makes that grade at ``scheme``'s α with
    its R1 and R2, with the α that would. Grade V and uncalibrated schemes pass."""
    grade = parse_target(kind)[0]
    if grade == "V" or scheme.r1_n is None:
        return

    def why(alpha: float) -> str | None:
        at = replace(scheme, alpha=alpha)
        try:
            for crest_n in _crests_n(kind, scheme.r1_n, scheme.r2_n, alpha):
                amplitude_share(grade, crest_n, at)
        except CannotMake as e:
            return str(e)
        return None

    said = why(scheme.alpha)
    if said is None:
        return
    small = grade in ("I", "IV")
    ok = [a / 100 for a in range(1, 100) if why(a / 100) is None]
    if not ok:
        hint = "no --alpha makes it: give a larger --r1"
    else:
        hint = f"give --alpha {min(ok):g} or more" if small else f"give --alpha {max(ok):g} or less"
    raise CannotMake(f"{said_as or 'grade ' + kind} cannot be made at --alpha {scheme.alpha:g} with R1 "
                     f"{scheme.r1_n:g} N and R2 {scheme.r2_n:g} N: {said}; {hint}")


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
    def aim(self, grade: str, modifier: str | None, scheme: GradingScheme | None = None) -> tuple[float, float]:
        """(crest, amplitude) in N a trainee aims at for a grade, with R1/R2 known: an amplitude
        that makes it that grade under ``scheme``'s α and minimum amplitude with this R1 and R2
        (:func:`amplitude_share`); raises :class:`CannotMake` for a grade no amplitude makes there."""
        r1, r2, g = self.r1_n or 40.0, self.r2_n or 120.0, self.rng
        scheme = replace(scheme or GradingScheme(), r1_n=r1, r2_n=r2)
        if grade in ("III", "IV"):
            crest = r1 + _Q_AIM[modifier or ""] * (r2 - r1)
            return crest, g.uniform(*amplitude_share(grade, crest, scheme)) * crest
        crest = g.uniform(*crest_share(grade, scheme.alpha)) * r1
        return crest, g.uniform(*amplitude_share(grade, crest, scheme)) * r1

    def mob_set(self, grade: str, modifier: str | None, freq_hz: float, n_cycles: int,
                scheme: GradingScheme) -> None:
        g = self.rng
        crest0, amp0 = self.aim(grade, modifier, scheme)
        span = (self.r2_n or 120.0) - (self.r1_n or 40.0)
        rise_share = g.uniform(0.4, 0.6)
        kappa = g.uniform(0.3, 1.8)                   # toe-region curvature
        dwell_share = g.uniform(0.0, 0.15)            # dwell at end range
        stiff = g.uniform(15.0, 40.0)                 # N per mm near end range
        # ramp in to the first trough and settle briefly
        self.ramp(crest0 - amp0, g.uniform(0.6, 1.4))
        self.hold(g.uniform(0.05, 0.4))
        for _ in range(n_cycles):
            crest = crest0 + g.normal(0, CREST_SD_OF_SPAN * span if grade in ("III", "IV") else CREST_SD_OF_CREST * crest0)
            amp = amp0 * (1 + g.normal(0, AMP_SD_OF_AMP))
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
    makeable(kind, scheme)
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
    for target in MIXED_TARGETS:
        makeable(target, scheme, f"the grade {target} sets of mixed")

    def use(given, drawn):
        return drawn if given is None else given

    for _ in range(repeats):
        for target in MIXED_TARGETS:
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
