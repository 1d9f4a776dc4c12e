"""Small recordings for the tests of pops tied to thrusts: the first thrusts of
``fixtures/thrust_pops.csv`` and a quiet room's sound with pops at chosen times."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.audio_sim import pop_wave

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "fixtures" / "thrust_pops.csv"
# the fixture's thrusts' peaks (s) as replay finds them
PEAKS_S = (3.171, 7.552, 12.659, 17.874, 23.054, 28.188)
RATE_HZ = 16000


def force_csv(path: Path, until_s: float) -> Path:
    """The fixture's force up to ``until_s`` (its thrusts peaking before then, less one ending after)."""
    lines = CSV.read_text().splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if float(ln.split(",")[0]) < until_s]
    path.write_text("\n".join(keep) + "\n")
    return path


def pops_sound(pops_s, length_s: float, seed: int = 0) -> np.ndarray:
    """``length_s`` of a quiet room at :data:`RATE_HZ` (its first sample at 0 s), a pop at each of
    ``pops_s`` (s) 25 dB or so over the noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 0.002, int(length_s * RATE_HZ))
    for t in pops_s:
        w = 0.04 * pop_wave(rng, RATE_HZ)
        a = int(round(t * RATE_HZ))
        x[a:a + len(w)] += w[:len(x) - a]
    return x.astype("float32")


def pops_flac(path: Path, pops_s, length_s: float, seed: int = 0) -> Path:
    sf.write(str(path), pops_sound(pops_s, length_s, seed), RATE_HZ)
    return path
