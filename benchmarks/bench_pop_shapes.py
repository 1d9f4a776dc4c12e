"""Pops the cavitation benchmark's own scenes do not have: how many are found, and how many false
pops come with them, in scenes made of simple shapes (the figures of docs/audio.md on rings,
clusters and other people's pops).

- **pops unlike the simulator's**: resonators of Q 5, Gaussian pulses and sines fading in 1.5 ms
  at 200-1500 Hz, and Hann-windowed noise bursts (5 ms through a 4th-order band-pass of
  100 Hz-2 kHz; and softer ones, 3-8 ms through a 2nd-order one, whose skirts hold a fifth of
  their energy), one to three pops 8-30 ms apart every 1.5-3 s, 10, 20 and 30 dB over white and
  pink noise (60 s each), fed in 10 ms chunks;
- **lone fading rings**: sines fading with time constants of 4.5-7 ms at 300-1200 Hz, 20 dB over
  pink noise (``firmware_bridge.audio_sim.fading_rings``, three seeds of six);
- **evenly spaced clusters**: ten clusters of three pops 8-30 ms apart at one level, 20-30 dB
  over pink noise, one pop's copies or each its own (``pop_clusters``, four seeds);
- **unevenly spaced clusters**: two to four pops, gaps of 8-35 ms, each at its own level (six
  seeds);
- **dense clusters**: five, seven and nine pops, each its own, gaps of 8-14 ms (a lumbar thrust
  gives up to nine; six seeds);
- **pops over digital silence**: 30 s at 44.1 kHz, written to 16-bit WAV and read back, one to
  three of the simulator's pops (peak 0.3 of full scale) 8-30 ms apart every 1.5-3 s over exact
  zeros, the kind of test file one makes by pasting pops into an empty track.
- **low pops**: the published peak frequencies of pops run from 86 to 1830 Hz, median 215 Hz
  (docs/audio.md), the simulator's first resonance from 100 to 1800 Hz, median 424 Hz. Pairs of
  the simulator's pops (each its own) exactly 5, 6, 7, 8, 10 and 15 ms apart, 20-30 dB over pink
  noise, their first resonance at 86-215, 215-540 or 540-1830 Hz (four seeds of ten pairs); and
  F1 in the benchmark's own scenes (``bench_cavitation.py``'s first four, seeds 1000-1003) with
  the first resonance in each of those bands; over all ten scenes (seeds 1000-1009) with low pops,
  which of the missed were within 8 ms of another pop and which came within 3 s after a sound
  the detector took for a voice or sustained sound (where ``own_period_quiet_ms`` is off).

Run: ``.venv/bin/python benchmarks/bench_pop_shapes.py`` (about 50 s on one core). Matching
is ±5 ms, as in ``bench_cavitation.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.cavitation import CavitationDetector  # noqa: E402
from analysis.chunk import Chunk  # noqa: E402
from benchmarks.bench_cavitation import detect, f1, score  # noqa: E402
from firmware_bridge.audio_sim import fading_rings, make_scene, pop_clusters, pop_wave  # noqa: E402

RATE = 48000
# (a new shape goes last: the shapes share one random stream, and those before it keep their pops)
SHAPES = ("resonator", "gauss", "damped", "noiseburst", "softburst")


def found(x: np.ndarray, at: list[float], chunk: int | None = None, rate: int = RATE) -> tuple[int, int]:
    """Pops of ``at`` found (one event each, within ±5 ms: ``bench_cavitation.score``) and false
    pops, ``x`` fed whole or in chunks of ``chunk`` samples."""
    d = CavitationDetector()
    step = chunk or len(x)
    ev = []
    for i in range(0, len(x), step):
        ev += d.feed(Chunk(np.arange(i, min(i + step, len(x))) / rate, x[i:i + step], i, "audio", rate))
    tp, fp, _, _, _ = score(np.array([e.t for e in ev + d.finish()]), np.array(at))
    return tp, fp


def shape(rng, kind: str, f_hz: float) -> np.ndarray:
    """One pop of ``kind`` at ``f_hz``, 12 ms, unit RMS over its first 5 ms."""
    n = int(0.012 * RATE)
    t = np.arange(n) / RATE
    if kind == "gauss":
        x = signal.gausspulse(t - 0.004, fc=f_hz, bw=0.9 * 1000 / f_hz if f_hz < 1000 else 0.5)
    elif kind == "damped":
        x = np.sin(2 * np.pi * f_hz * t) * np.exp(-t / 0.0015)
    elif kind in ("noiseburst", "softburst"):
        # noise band-passed to 100 Hz-2 kHz under a Hann window: 5 ms through a 4th-order band-pass,
        # or (softburst) 3-8 ms, the published length of a pop, through a gentler 2nd-order one
        # (79 % of its energy in the band, the rest in its skirts)
        soft = kind == "softburst"
        sos = signal.butter(2 if soft else 4, [100, 2000], "bandpass", fs=RATE, output="sos")
        w = signal.sosfilt(sos, rng.standard_normal(n))
        m = int((rng.uniform(0.003, 0.008) if soft else 0.005) * RATE)
        x = np.zeros(n)
        x[:m] = w[:m] * np.hanning(m)
    else:                                              # resonator
        b, a = signal.iirpeak(f_hz, 5, fs=RATE)
        x = signal.lfilter(b, a, np.r_[1.0, np.zeros(n - 1)])
    return x / np.sqrt(np.mean(x[:int(0.005 * RATE)] ** 2))


def shape_scene(rng, kind: str, snr_db: float, noise: str) -> tuple[np.ndarray, list[float]]:
    """60 s of white or pink noise with pops of ``kind``, ``snr_db`` over it (RMS of the first
    5 ms against the noise's): one to three 8-30 ms apart, every 1.5-3 s."""
    n = 60 * RATE
    if noise == "white":
        x = rng.standard_normal(n)
    else:                    # 1/f all the way down (audio_sim's room noise rolls off under 20 Hz)
        spec = np.fft.rfft(rng.standard_normal(n))
        f = np.arange(len(spec))
        f[0] = 1
        x = np.fft.irfft(spec / np.sqrt(f), n)
    x = 0.01 * x / x.std()
    at, t = [], 1.0
    while t < 59.0:
        for j in range(rng.integers(1, 4)):
            tp = t + j * rng.uniform(0.008, 0.03)
            p = shape(rng, kind, rng.uniform(200, 1500)) * 0.01 * 10 ** (snr_db / 20)
            i = int(tp * RATE)
            x[i:i + len(p)] += p
            at.append(tp)
        t += rng.uniform(1.5, 3.0)
    return x.astype(np.float32), at


def over_silence(seed: int = 5, rate: int = 44100) -> tuple[np.ndarray, list[float]]:
    """:func:`found`'s input for the pops over digital silence: the audio as read back from a
    16-bit WAV, and the onsets."""
    import tempfile

    import soundfile as sf

    rng = np.random.default_rng(seed)
    x = np.zeros(30 * rate)
    at, t = [], 1.0
    while t < 29.0:
        for _ in range(rng.integers(1, 4)):
            w = pop_wave(rng, rate)
            i = int(t * rate)
            x[i:i + len(w)] += 0.3 * w / np.abs(w).max()
            at.append(t)
            t += rng.uniform(0.008, 0.03)
        t += rng.uniform(1.5, 3.0)
    with tempfile.TemporaryDirectory() as d:
        sf.write(f"{d}/pops.wav", x, rate, subtype="PCM_16")
        y, _ = sf.read(f"{d}/pops.wav", dtype="float32")
    return y, at


def main() -> None:
    rng = np.random.default_rng(7)                     # one stream for all the shapes, in this order
    print("pops unlike the simulator's (60 s each, 10 ms chunks): found of put, false pops")
    for kind in SHAPES:
        tot = [0, 0, 0]
        line = []
        for noise in ("white", "pink"):
            for snr in (10, 20, 30):
                x, at = shape_scene(rng, kind, snr, noise)
                h, fp = found(x, at, chunk=RATE // 100)
                tot = [tot[0] + h, tot[1] + len(at), tot[2] + fp]
                line.append(f"{noise} {snr} dB {h}/{len(at)}")
        print(f"  {kind}: {tot[0]} of {tot[1]}, {tot[2]} false ({', '.join(line)})")

    print("lone rings fading with time constant tau, 20 dB over pink noise (three seeds of six):")
    for tau in (4.5, 5.0, 6.0, 7.0):
        cells = []
        for f_hz in (300.0, 400.0, 800.0, 1200.0):
            h = fp = 0
            for k in range(3):
                x, at = fading_rings(f_hz, tau, seed=int(f_hz + 10 * tau) + 1000 * k)
                a, b = found(x, at)
                h, fp = h + a, fp + b
            cells.append(f"{f_hz:.0f} Hz {h}/18" + (f" ({fp} false)" if fp else ""))
        print(f"  tau {tau} ms: " + ", ".join(cells))

    print("evenly spaced clusters of three at one level, 20-30 dB over pink noise (four seeds of ten):")
    for same in (True, False):
        cells = []
        for gap in (8, 12, 16, 20, 25, 30):
            h = fp = n = 0
            for k in range(4):
                x, at = pop_clusters(k + 100 * gap, float(gap), same=same)
                a, b = found(x, at)
                h, fp, n = h + a, fp + b, n + len(at)
            cells.append(f"{gap} ms {h}/{n}" + (f" ({fp} false)" if fp else ""))
        print(f"  {'one pop copied' if same else 'each its own'}: " + ", ".join(cells))

    print("unevenly spaced clusters, gaps 8-35 ms, each pop 20-30 dB over pink noise (six seeds of ten):")
    for pops in (2, 3, 4):
        cells = []
        for same in (True, False):
            h = fp = n = 0
            for k in range(6):
                x, at = pop_clusters(k + 100 * pops, None, pops=pops, same=same)
                a, b = found(x, at)
                h, fp, n = h + a, fp + b, n + len(at)
            cells.append(f"{'one pop copied' if same else 'each its own'} {h}/{n}" + (f" ({fp} false)" if fp else ""))
        print(f"  {pops} pops: " + ", ".join(cells))

    print("dense clusters, gaps 8-14 ms, each pop its own, 20-30 dB over pink noise (six seeds of ten):")
    cells = []
    for pops in (5, 7, 9):
        h = fp = n = 0
        for k in range(6):
            x, at = pop_clusters(k + 300 + 100 * pops, None, pops=pops, same=False, gaps_ms=(8.0, 14.0))
            a, b = found(x, at)
            h, fp, n = h + a, fp + b, n + len(at)
        cells.append(f"{pops} pops {h}/{n}" + (f" ({fp} false)" if fp else ""))
    print("  " + ", ".join(cells))

    x, at = over_silence()
    h, fp = found(x, at, rate=44100)
    print(f"pops over digital silence (30 s, 44.1 kHz, 16-bit): {h} of {len(at)} found, {fp} false")

    bands = ((86.0, 215.0), (215.0, 540.0), (540.0, 1830.0))
    print("pairs of pops exactly that far apart, each its own, 20-30 dB over pink noise, by where their first "
          "resonance lies (four seeds of ten pairs): first + second found of 80")
    for band in bands:
        cells = []
        for gap in (5, 6, 7, 8, 10, 15):
            first = second = fp = 0
            for k in range(4):
                x, at = pop_clusters(500 + k, float(gap), pops=2, same=False, f_hz=band)
                d = CavitationDetector()
                ev = d.feed(Chunk(np.arange(len(x)) / RATE, x, 0, "audio", RATE)) + d.finish()
                _, b, _, _, idx = score(np.array([e.t for e in ev]), np.array(at))
                first, second, fp = first + int(np.sum(idx[0::2] >= 0)), second + int(np.sum(idx[1::2] >= 0)), fp + b
            cells.append(f"{gap} ms {first}+{second}" + (f" ({fp} false)" if fp else ""))
        print(f"  {band[0]:.0f}-{band[1]:.0f} Hz: " + ", ".join(cells))
    cells = []
    for band in bands:
        tp = fp = fn = 0
        for k in range(4):
            sc = make_scene(60.0, RATE, seed=1000 + k, pop_hz=band)
            a, b, c, _, _ = score(np.array([e.t for e in detect(sc.audio, RATE, 1.0)[0]]), sc.pops_s)
            tp, fp, fn = tp + a, fp + b, fn + c
        cells.append(f"{band[0]:.0f}-{band[1]:.0f} Hz F1 {f1(tp, fp, fn):.3f} ({tp} found, {fp} false, {fn} missed)")
    print("the benchmark's first four scenes, their pops' first resonance at " + "; ".join(cells))
    tp = fp = fn = near = after_voice = near_quiet = 0
    for k in range(10):
        sc = make_scene(60.0, RATE, seed=1000 + k, pop_hz=bands[0])
        d = TalkTimes()
        ev = np.array([e.t for e in detect(sc.audio, RATE, 1.0, detector=d)[0]])
        a, b, c, _, idx = score(ev, sc.pops_s)
        tp, fp, fn = tp + a, fp + b, fn + c
        talk = np.array(d.talk_s)
        for p in sc.pops_s[idx < 0]:                   # (the missed, matched one to one as scored)
            gaps = np.abs(sc.pops_s - p)
            pair, voice = np.min(gaps[gaps > 0], initial=1.0) < 0.008, np.any((talk < p) & (talk >= p - 3.0))
            near, after_voice, near_quiet = near + int(pair), after_voice + int(voice), near_quiet + int(pair and not voice)
    print(f"all ten scenes, their pops' first resonance at {bands[0][0]:.0f}-{bands[0][1]:.0f} Hz: F1 "
          f"{f1(tp, fp, fn):.3f} ({tp} found, {fp} false, {fn} missed); of the missed, {near} within 8 ms of "
          f"another pop, {after_voice} within 3 s after a sound the detector took for a voice or sustained sound "
          f"(where voicing looks from 2.5 ms on, not from the pop's own period), {near_quiet} within 8 ms of "
          f"another pop and not after such a sound")


class TalkTimes(CavitationDetector):
    """The detector, keeping the times (s from the start) of the candidates it took for a voice
    or sustained sound."""

    def __init__(self) -> None:
        super().__init__()
        self.talk_s: list[float] = []

    def _talk(self, ks: list[int]) -> None:
        self.talk_s += [k * self.frame_s for k in ks]
        super()._talk(ks)


if __name__ == "__main__":
    main()
