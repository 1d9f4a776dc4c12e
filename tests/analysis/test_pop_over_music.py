"""The pop benchmark measures how background music masks pops: ``--background DIR`` mixes the
audio under DIR into the pop scenes without distractors, its loudest fifth 0, 10 and 20 dB over
the room noise, and bins the pops by their peak over the music's band level (real music is not
shipped; sustained harmonic tones with note changes stand in for it here)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_cavitation  # noqa: E402

RATE = 44100


def _tune(seconds: float, seed: int = 0, rate: int = RATE) -> np.ndarray:
    """Chords of three harmonic notes (110-440 Hz, six partials), a new chord every 0.25-1 s."""
    rng = np.random.default_rng(seed)
    out, t = [], 0.0
    while t < seconds:
        d = rng.uniform(0.25, 1.0)
        tt = np.arange(int(d * rate)) / rate
        chord = sum(sum(np.sin(2 * np.pi * f0 * h * tt + rng.uniform(0, 6.3)) / h for h in range(1, 7))
                    for f0 in 110.0 * 2 ** (rng.integers(0, 24, 3) / 12))
        out.append(chord * np.minimum(1.0, np.minimum(tt, d - tt) / 0.01))   # 10 ms fades
        t += d
    return 0.1 * np.concatenate(out)


def test_the_music_under_a_folder_is_joined_at_48_khz(tmp_path):
    x = _tune(3.0)
    (tmp_path / "album").mkdir()
    sf.write(str(tmp_path / "album" / "a.ogg"), np.column_stack([x, 0.5 * x]), RATE)   # two channels
    sf.write(str(tmp_path / "b.wav"), x, RATE)
    sf.write(str(tmp_path / "same.wav"), x, RATE)                                    # counted once
    sf.write(str(tmp_path / "short.wav"), x[:RATE // 2], RATE)                       # under 1 s: left out
    (tmp_path / "notes.txt").write_text("not audio")
    music, files = bench_cavitation.background_audio(str(tmp_path))
    assert files == 2
    assert abs(len(music) - 2 * len(x) * 48000 / RATE) <= 4


def test_music_masks_pops_the_more_the_louder_it_is():
    music = _tune(60.0, seed=1, rate=48000)          # (as the benchmark's reader gives it)
    quiet = bench_cavitation.pops_over_background(music, 1000, 0.0, minutes=1)
    loud = bench_cavitation.pops_over_background(music, 1000, 20.0, minutes=1)
    for r in (quiet, loud):
        assert r["tp"] + r["fn"] == sum(put for _, put in r["bins"].values()) > 0
        assert r["alone"] == 0 and r["minutes"] == 1
    assert loud["tp"] < quiet["tp"]
    # pops 30 dB or more over the music's band level are found, those 0-10 dB over it are not
    assert loud["bins"][0.0][0] == 0 < loud["bins"][0.0][1]
    assert quiet["bins"][30.0][0] >= 0.8 * quiet["bins"][30.0][1] > 0
