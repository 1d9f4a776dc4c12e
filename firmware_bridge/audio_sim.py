"""Labelled room audio for testing the cavitation detector: pops among everyday sounds.

Every sound is synthesised from a small physical caricature, so the ground truth is exact:

- **pop** (the target): an impulsive onset (< 0.3 ms rise) exciting one or two damped
  resonances, the first at 100–1800 Hz (log-uniform, median 424 Hz; Reggars 1996 reports
  peak frequencies 86–1830 Hz, median 215 Hz, so ``pop_hz`` can put it lower) that die away
  in 3–8 ms (Dunning et al. 2013:
  mean 5.66 ms); 1–5 pops per thrust, 5–40 ms apart (docs: shared domain figures). The level is
  set by its SNR: mean power over the pop against the room noise's power, 10–30 dB.
  ``POP_SHAPES`` has other pops for robustness checks: band-limited noise bursts, a crack above
  3 kHz at the onset, rings of 8–15 ms, onsets rising over 0.5–1 ms.
- **room noise**: pink-ish noise plus 50 or 60 Hz mains hum with harmonics.
- **speech babble**: a glottal pulse train (f0 90–260 Hz, jitter) through three formant
  resonators whose frequencies change per syllable, syllable envelopes of 80–300 ms with
  10–40 ms attacks, plosive bursts and fricative noise.
- **table knock**: a sharp strike exciting wooden plate modes (90–600 Hz) decaying over 15–80 ms.
- **footstep**: a heel thud below 150 Hz, 40–120 ms, a few per second.
- **keyboard / mouse click**: 0.5–3 ms transients above 2 kHz with a small low thump;
  keys come in press/release pairs while typing.
- **handling noise**: rubbing on the microphone — low-passed noise bursts with 20–100 ms
  onsets, 0.2–1 s long.

``make_scene`` returns the signal with the true pop onsets (s) and a list of distractor labels.
``reverberate`` puts a recording in a room (a diffuse exponential tail). ``fading_rings`` and
``pop_clusters`` make scenes of lone pops that ring longer than most and of clusters of pops,
evenly or unevenly spaced, alike or not (``benchmarks/bench_pop_shapes.py``). The generator is
offline (zero-phase filtering is fine here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal


@dataclass
class Scene:
    """A labelled recording: ``audio`` float32 (n,), ``pops_s`` true onsets, ``labels`` of
    distractors as ``(kind, t_start_s, t_end_s)``."""

    audio: np.ndarray
    rate_hz: float
    pops_s: np.ndarray
    labels: list = field(default_factory=list)
    noise_rms: float = 0.0

    @property
    def duration_s(self) -> float:
        return len(self.audio) / self.rate_hz


def _resonance(rng, n: int, fs: float, f_hz: float, decay_s: float, phase: float | None = None) -> np.ndarray:
    t = np.arange(n) / fs
    ph = rng.uniform(0, 2 * np.pi) if phase is None else phase
    return np.exp(-t / decay_s) * np.sin(2 * np.pi * f_hz * t + ph)


def pop_wave(rng, fs: float, f_hz: tuple[float, float] = (100.0, 1800.0)) -> np.ndarray:
    """One cavitation pop, unit mean power over its nominal duration; its first resonance
    log-uniform in ``f_hz``."""
    dur_s = rng.uniform(3e-3, 8e-3)
    n = int(dur_s * 2.5 * fs)
    f1 = float(np.exp(rng.uniform(np.log(f_hz[0]), np.log(f_hz[1]))))
    tau = dur_s / 4.6                    # about 40 dB down at the nominal duration
    w = _resonance(rng, n, fs, f1, tau, phase=rng.uniform(0.3, 2.8))
    if rng.random() < 0.6:              # a second mode, weaker, higher
        f2 = min(f1 * rng.uniform(1.5, 3.0), 1950.0)
        w += rng.uniform(0.2, 0.6) * _resonance(rng, n, fs, f2, tau * 0.7)
    rise = max(2, int(rng.uniform(0.05e-3, 0.3e-3) * fs))
    w[:rise] *= np.linspace(0, 1, rise, endpoint=False)
    # a little broadband click at impact, as skin microphones hear it
    k = max(1, int(0.4e-3 * fs))
    w[:k] += rng.normal(0, 0.25, k) * np.exp(-np.arange(k) / (0.15e-3 * fs))
    m = int(dur_s * fs)
    return w / np.sqrt(np.mean(w[:m] ** 2))


def _noise_burst_pop(rng, fs: float) -> np.ndarray:
    """A pop heard as a burst of band-limited noise (no single resonance), 3-8 ms."""
    dur_s = rng.uniform(3e-3, 8e-3)
    n = int(dur_s * 2.5 * fs)
    sos = signal.butter(4, [rng.uniform(150, 400), rng.uniform(900, 1900)], "bandpass", fs=fs, output="sos")
    pad = int(2e-3 * fs)
    w = signal.sosfilt(sos, rng.normal(size=n + pad))[pad:] * np.exp(-np.arange(n) / (dur_s / 4.6 * fs))
    return w / np.sqrt(np.mean(w[:int(dur_s * fs)] ** 2))


def _crack_pop(rng, fs: float) -> np.ndarray:
    """A pop whose first millisecond also holds a crack above 3 kHz, as an air microphone near
    the skin may hear it: 25-100 % of the energy of the pop's own first millisecond."""
    w = pop_wave(rng, fs)
    k = max(2, int(1e-3 * fs))
    hp = signal.butter(2, min(3000.0, 0.4 * fs), "highpass", fs=fs, output="sos")
    c = signal.sosfilt(hp, rng.normal(size=k)) * np.exp(-np.arange(k) / (0.3e-3 * fs))
    w[:k] += c * np.sqrt(np.sum(w[:k] ** 2) / np.sum(c ** 2)) * rng.uniform(0.5, 1.0)
    return w


def _long_ring_pop(rng, fs: float) -> np.ndarray:
    """A pop that rings for 8-15 ms (longer than the published 3-8 ms)."""
    dur_s = rng.uniform(8e-3, 15e-3)
    n = int(dur_s * 2.5 * fs)
    f1 = float(np.exp(rng.uniform(np.log(100), np.log(1800))))
    w = _resonance(rng, n, fs, f1, dur_s / 4.6, phase=rng.uniform(0.3, 2.8))
    r = max(2, int(0.1e-3 * fs))
    w[:r] *= np.linspace(0, 1, r, endpoint=False)
    return w / np.sqrt(np.mean(w[:int(dur_s * fs)] ** 2))


def _slow_onset_pop(rng, fs: float) -> np.ndarray:
    """A pop whose onset takes 0.5-1 ms to rise (a softer release)."""
    w = pop_wave(rng, fs)
    r = int(rng.uniform(0.5e-3, 1.0e-3) * fs)
    w[:r] *= np.linspace(0, 1, r, endpoint=False)
    return w


#: pop shapes ``make_scene`` can put in a scene: the default, and others that stretch the
#: published figures, to see how the detector copes with pops recorded differently
POP_SHAPES = {"resonance": pop_wave, "noise burst": _noise_burst_pop, "crack": _crack_pop,
              "long ring": _long_ring_pop, "slow onset": _slow_onset_pop}


def _pink(rng, n: int, rate_hz: float) -> np.ndarray:
    spec = np.fft.rfft(rng.normal(size=n))
    f = np.arange(len(spec), dtype=float)
    f_lo = 20.0 * 2 * (len(spec) - 1) / rate_hz      # rolled off below 20 Hz, like a microphone
    spec /= np.sqrt(np.maximum(f, f_lo))
    spec[f < f_lo / 2] = 0.0
    x = np.fft.irfft(spec, n)
    return x / x.std()


def _speech(rng, fs: float, dur_s: float) -> np.ndarray:
    n = int(dur_s * fs)
    out = np.zeros(n)
    t = 0.0
    f0_base = f0 = rng.uniform(90, 260)
    while t < dur_s - 0.1:
        syl = rng.uniform(0.08, 0.3)
        i0, m = int(t * fs), int(syl * fs)
        m = min(m, n - i0)
        if m < 10:
            break
        # glottal pulses with jitter, smoothed into a pulse shape
        period = 1.0 / (f0 * rng.uniform(0.85, 1.15))
        exc = np.zeros(m)
        pos = np.cumsum(period * (1 + rng.normal(0, 0.01, int(syl / period) + 2)))
        idx = (pos * fs).astype(int)
        exc[idx[idx < m]] = 1.0
        exc = signal.lfilter([1.0], [1.0, -0.95], exc)            # glottal tilt
        v = np.zeros(m)
        for fc, bw in ((rng.uniform(300, 850), 80), (rng.uniform(850, 2300), 120), (rng.uniform(2300, 3200), 180)):
            r = np.exp(-np.pi * bw / fs)
            a = [1.0, -2 * r * np.cos(2 * np.pi * fc / fs), r * r]
            v += signal.lfilter([1 - r], a, exc) * rng.uniform(0.4, 1.0)
        att = int(rng.uniform(0.01, 0.04) * fs)
        env = np.ones(m)
        env[:att] = np.sin(np.linspace(0, np.pi / 2, att)) ** 2
        rel = min(int(0.05 * fs), m // 2)
        env[m - rel:] *= np.cos(np.linspace(0, np.pi / 2, rel)) ** 2
        v *= env / (np.std(v) + 1e-12)
        if rng.random() < 0.3:          # plosive burst before the vowel
            k = int(rng.uniform(0.005, 0.02) * fs)
            b = rng.normal(0, 1, k) * np.exp(-np.arange(k) / (0.3 * k))
            b = signal.lfilter(*signal.butter(2, 1000, "highpass", fs=fs), b)
            s0 = max(0, i0 - k)
            out[s0:s0 + k] += 0.8 * b[:len(out[s0:s0 + k])]
        if rng.random() < 0.3:          # fricative
            k = min(int(rng.uniform(0.05, 0.15) * fs), n - i0 - m)
            if k > 10:
                fr = signal.lfilter(*signal.butter(2, [3000, min(7000, fs * 0.45)], "bandpass", fs=fs), rng.normal(0, 1, k))
                out[i0 + m:i0 + m + k] += 0.4 * fr * np.hanning(k)
        out[i0:i0 + m] += v
        # intonation wanders, but a speaker stays within about a third of an octave of his own pitch
        f0 = float(np.clip(f0 * rng.uniform(0.9, 1.1), 0.8 * f0_base, 1.25 * f0_base))
        t += syl + rng.uniform(0.0, 0.12)
    return out


def _knock(rng, fs: float) -> np.ndarray:
    n = int(0.25 * fs)
    decay = rng.uniform(0.015, 0.08)
    w = sum(rng.uniform(0.3, 1.0) * _resonance(rng, n, fs, rng.uniform(90, 600), decay * rng.uniform(0.5, 1.0))
            for _ in range(3))
    k = max(1, int(1e-3 * fs))
    w[:k] += rng.normal(0, 0.5, k)
    return w / np.sqrt(np.mean(w[:int(decay * fs)] ** 2))


def _footstep(rng, fs: float) -> np.ndarray:
    n = int(rng.uniform(0.04, 0.12) * fs)
    x = rng.normal(0, 1, n) * np.hanning(n) ** 0.5
    x = signal.sosfiltfilt(signal.butter(4, 150, fs=fs, output="sos"), x)
    # the floor's low mode, driven by a soft heel: the force builds up over the first
    # ~10-20 ms of contact, so the mode's response starts from rest (phase 0) and swells
    mode = _resonance(rng, n, fs, rng.uniform(40, 90), n / fs / 3, phase=0.0)
    k = max(2, int(rng.uniform(0.01, 0.02) * fs))
    mode[:k] *= np.sin(np.linspace(0, np.pi / 2, k)) ** 2
    x += 0.5 * mode
    return x / x.std()


def _click(rng, fs: float) -> np.ndarray:
    n = max(8, int(rng.uniform(0.5e-3, 3e-3) * fs))
    x = rng.normal(0, 1, n) * np.exp(-np.arange(n) / (n / 3))
    x = signal.lfilter(*signal.butter(2, min(2000, fs * 0.2), "highpass", fs=fs), x)
    x = np.concatenate([x, np.zeros(int(0.01 * fs))])
    x += 0.15 * _resonance(rng, len(x), fs, rng.uniform(150, 400), 2e-3)   # desk thump
    return x / np.sqrt(np.mean(x[:n] ** 2))


def _handling(rng, fs: float) -> np.ndarray:
    n = int(rng.uniform(0.2, 1.0) * fs)
    x = signal.sosfiltfilt(signal.butter(2, rng.uniform(200, 800), fs=fs, output="sos"), rng.normal(0, 1, n))
    att = int(rng.uniform(0.02, 0.1) * fs)
    env = np.ones(n)
    env[:att] = np.linspace(0, 1, att)
    env[-att:] = np.linspace(1, 0, att)
    env *= 1 + 0.5 * np.sin(2 * np.pi * rng.uniform(2, 8) * np.arange(n) / fs)
    return x * env / x.std()


def _add(out: np.ndarray, i0: int, w: np.ndarray, gain: float) -> None:
    m = min(len(w), len(out) - i0)
    if m > 0 and i0 >= 0:
        out[i0:i0 + m] += gain * w[:m]


def make_scene(duration_s: float = 60.0, rate_hz: float = 48000.0, seed: int = 0, *,
               thrusts_per_min: float = 10.0, snr_db: tuple[float, float] = (10.0, 30.0),
               distractors: bool = True, noise_dbfs: float = -50.0, density: float = 1.0,
               kinds: tuple[str, ...] | None = None, pop_shape: str = "resonance",
               pop_hz: tuple[float, float] | None = None) -> Scene:
    """A recording with pop clusters (one per simulated thrust; none if ``thrusts_per_min`` is 0)
    and, if ``distractors``, speech, knocks, footsteps, clicks, handling noise and hum around them.

    ``density`` multiplies how often each distractor occurs; ``kinds`` keeps only some of
    ``speech, knock, footsteps, typing, mouse, handling``; ``pop_shape`` is one of
    :data:`POP_SHAPES`; ``pop_hz`` puts the first resonance of its default pops (``resonance``)
    in another band than 100-1800 Hz.
    """
    if pop_shape not in POP_SHAPES:
        raise ValueError(f"unknown pop shape {pop_shape!r} (one of {', '.join(POP_SHAPES)})")
    if pop_hz is not None and pop_shape != "resonance":
        raise ValueError("pop_hz applies to the default pops (pop_shape 'resonance') only")
    make_pop = POP_SHAPES[pop_shape] if pop_hz is None else (lambda rng, fs: pop_wave(rng, fs, pop_hz))
    rng = np.random.default_rng(seed)
    fs = float(rate_hz)
    n = int(duration_s * fs)
    sigma = 10 ** (noise_dbfs / 20)
    out = sigma * _pink(rng, n, fs)
    labels: list = []
    hum_hz = 50.0 if rng.random() < 0.5 else 60.0
    t = np.arange(n) / fs
    for h, lvl in ((1, 1.0), (2, 0.3), (3, 0.5), (5, 0.2)):
        out += sigma * 0.8 * lvl * np.sin(2 * np.pi * hum_hz * h * t + rng.uniform(0, 6.3))
    labels.append(("hum", 0.0, duration_s))
    # thrust times: spread out, clear of the ends
    n_thr = max(1, int(round(duration_s / 60 * thrusts_per_min))) if thrusts_per_min > 0 else 0
    slots = np.sort(rng.uniform(0.5, duration_s - 0.5, n_thr))
    pops = []
    for ts in slots:
        k = int(rng.choice([1, 2, 3, 3, 4, 4, 5]))
        tt = ts
        for _ in range(k):
            if tt > duration_s - 0.1:
                break
            pops.append(tt)
            _add(out, int(round(tt * fs)), make_pop(rng, fs), sigma * 10 ** (rng.uniform(*snr_db) / 20))
            tt += float(np.exp(rng.uniform(np.log(5e-3), np.log(40e-3))))
    pops_arr = np.array(pops)

    def clear_of_pops(t0: float, t1: float, margin: float = 0.15) -> bool:
        return not np.any((pops_arr > t0 - margin) & (pops_arr < t1 + margin))

    if distractors:
        gen = [("speech", 6.0), ("knock", 4.0), ("footsteps", 2.0), ("typing", 2.0),
               ("mouse", 3.0), ("handling", 2.0)]          # events per minute
        for kind, per_min in gen:
            if kinds is not None and kind not in kinds:
                continue
            m = rng.poisson(density * per_min * duration_s / 60)
            for _ in range(m):
                t0 = rng.uniform(0, duration_s)
                if kind == "speech":
                    d = rng.uniform(1.0, 4.0)
                    if not clear_of_pops(t0, t0 + d) and rng.random() < 0.9:
                        continue            # an instructor rarely talks over the thrust
                    w = _speech(rng, fs, d)
                    gain = sigma * 10 ** (rng.uniform(10, 30) / 20)
                elif kind == "knock":
                    d, w, gain = 0.25, _knock(rng, fs), sigma * 10 ** (rng.uniform(15, 35) / 20)
                elif kind == "footsteps":
                    d = rng.uniform(1.5, 4.0)
                    w = np.zeros(int(d * fs))
                    for s in np.arange(0, d - 0.15, rng.uniform(0.45, 0.65)):
                        _add(w, int(s * fs), _footstep(rng, fs), 1.0)
                    gain = sigma * 10 ** (rng.uniform(10, 30) / 20)
                elif kind == "typing":
                    d = rng.uniform(1.0, 3.0)
                    w = np.zeros(int(d * fs))
                    for s in np.cumsum(rng.uniform(0.08, 0.3, int(d / 0.08))):
                        if s > d - 0.2:
                            break
                        _add(w, int(s * fs), _click(rng, fs), 1.0)
                        _add(w, int((s + rng.uniform(0.06, 0.12)) * fs), _click(rng, fs), 0.6)
                    gain = sigma * 10 ** (rng.uniform(10, 30) / 20)
                elif kind == "mouse":
                    d = 0.2
                    w = _click(rng, fs)
                    if rng.random() < 0.5:
                        w2 = np.zeros(int(0.2 * fs))
                        _add(w2, 0, w, 1.0)
                        _add(w2, int(rng.uniform(0.06, 0.15) * fs), _click(rng, fs), 0.8)
                        w = w2
                    gain = sigma * 10 ** (rng.uniform(10, 30) / 20)
                else:
                    w = _handling(rng, fs)
                    d = len(w) / fs
                    gain = sigma * 10 ** (rng.uniform(10, 25) / 20)
                if kind != "speech" and not clear_of_pops(t0, t0 + d, 0.02):
                    continue                # overlapping a pop would make the label ambiguous
                _add(out, int(t0 * fs), w, gain)
                labels.append((kind, float(t0), float(t0 + d)))
    peak = np.max(np.abs(out))
    if peak > 0.99:
        out *= 0.99 / peak
        sigma *= 0.99 / peak
    return Scene(out.astype(np.float32), fs, pops_arr, sorted(labels, key=lambda x: x[1]), sigma)


def room_response(rate_hz: float, rt60_s: float, drr_db: float, seed: int = 0) -> np.ndarray:
    """Impulse response of a room as a microphone hears it: the direct sound (1 at lag 0), then
    from 2 ms on a diffuse tail of noise decaying 60 dB in ``rt60_s``, whose energy is ``drr_db``
    below the direct sound's (the direct-to-reverberant ratio: high close to the source, about
    0 dB at the room's critical distance, below it further away)."""
    rng = np.random.default_rng(seed)
    n = max(2, int(rt60_s * rate_hz))
    t = np.arange(n) / rate_hz
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60_s)     # 6.9 = ln(1000): -60 dB at rt60
    tail[:int(0.002 * rate_hz)] = 0.0
    h = tail * np.sqrt(10 ** (-drr_db / 10) / np.sum(tail ** 2))
    h[0] = 1.0
    return h


def reverberate(scene: Scene, rt60_s: float, drr_db: float, seed: int = 0) -> Scene:
    """The same scene heard in a room (:func:`room_response`); the pops' onsets do not move."""
    h = room_response(scene.rate_hz, rt60_s, drr_db, seed)
    wet = signal.fftconvolve(scene.audio.astype(np.float64), h)[:len(scene.audio)]
    return Scene(wet.astype(np.float32), scene.rate_hz, scene.pops_s, list(scene.labels), scene.noise_rms)


def distractor_minutes(scene: Scene) -> float:
    """Minutes during which some distractor (not hum) is sounding."""
    iv = sorted((a, b) for k, a, b in scene.labels if k != "hum")
    total, end = 0.0, -1.0
    for a, b in iv:
        if b > end:
            total += b - max(a, end)
            end = b
    return total / 60.0


def fading_rings(f_hz: float, tau_ms: float, seed: int, n: int = 6,
                 rate_hz: float = 48000.0) -> tuple[np.ndarray, list[float]]:
    """Pink room noise with ``n`` lone pops 1.5 s apart from 1 s on, each a sine at ``f_hz``
    from a random phase fading with time constant ``tau_ms``, its first 5 ms 20 dB over the
    noise: pops that ring longer than most. Returns the audio (float32) and the onsets (s)."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int((1.5 * n + 1.0) * rate_hz), rate_hz)
    noise = float(np.sqrt(np.mean(x ** 2)))
    t = np.arange(int(0.04 * rate_hz)) / rate_hz
    at = [1.0 + 1.5 * i for i in range(n)]
    for t0 in at:
        w = np.sin(2 * np.pi * f_hz * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t / (tau_ms * 1e-3))
        w *= noise * 10.0 / np.sqrt(np.mean(w[:int(0.005 * rate_hz)] ** 2))
        i = int(t0 * rate_hz)
        x[i:i + len(w)] += w
    return x.astype(np.float32), at


def pop_clusters(seed: int, gap_ms: float | None = None, pops: int = 3, same: bool = True, n: int = 10,
                 rate_hz: float = 48000.0, gaps_ms: tuple[float, float] = (8.0, 35.0),
                 f_hz: tuple[float, float] = (100.0, 1800.0)) -> tuple[np.ndarray, list[float]]:
    """Pink room noise (1e-3 RMS) with ``n`` clusters of ``pops`` pops, 1.2 s apart from 1 s on:
    copies of one pop (``same``: a sound pasted several times) or each its own. ``gap_ms``: the
    pops evenly that far apart, at one level 20-30 dB over the noise (peak over RMS); None: each
    gap drawn from ``gaps_ms`` (8-35 ms) and each pop at its own level. ``f_hz``: where the pops'
    first resonance lies (:func:`pop_wave`). Returns the audio (float32) and the onsets (s)."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int((1.2 * n + 1.0) * rate_hz), rate_hz)
    at = []
    for c in range(n):
        t0 = t = 1.0 + 1.2 * c
        w = pop_wave(rng, rate_hz, f_hz)
        if gap_ms is not None:
            g = 1e-3 * 10 ** (rng.uniform(20, 30) / 20)
        for j in range(pops):
            if not same:
                w = pop_wave(rng, rate_hz, f_hz)
            if gap_ms is None:
                g = 1e-3 * 10 ** (rng.uniform(20, 30) / 20)
            else:
                t = t0 + j * gap_ms * 1e-3
            i = int(t * rate_hz)
            x[i:i + len(w)] += g * w / np.abs(w).max()
            at.append(t)
            if gap_ms is None:
                t += rng.uniform(*gaps_ms) * 1e-3
    return x.astype(np.float32), at
