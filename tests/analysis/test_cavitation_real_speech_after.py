"""The pop benchmark weighs a rule against the false pops of real speech by what it costs just
after that speech: ``--recordings DIR`` also puts simulated pops where each recording's speech
stops and counts how many are found (the recordings themselves are not shipped; a synthetic
voice over room noise stands in for them here)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.audio_sim import _pink, _speech

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_cavitation  # noqa: E402

RATE = 16000


def _recording(path: Path, talk: list[tuple[float, float]], seconds: float = 6.0, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    x = 10 ** (-50 / 20) * _pink(rng, int(seconds * RATE), RATE)
    for t0, t1 in talk:
        sp = _speech(rng, RATE, t1 - t0)
        sp = sp / np.sqrt(np.mean(sp[np.abs(sp) > 0.01 * np.abs(sp).max()] ** 2)) * 10 ** (-20 / 20)
        i = int(t0 * RATE)
        x[i:i + len(sp)] += sp[:len(x) - i]
    sf.write(str(path), x.astype(np.float32), RATE)


def test_pops_are_put_where_the_speech_stops_and_counted(tmp_path):
    _recording(tmp_path / "talk.wav", [(1.0, 2.0), (3.5, 4.3)])
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "talk.wav").write_bytes((tmp_path / "talk.wav").read_bytes())   # counted once
    _recording(tmp_path / "short.wav", [(0.1, 0.5)], seconds=0.8)     # under a second: left out
    out = bench_cavitation.pops_after_recorded_speech(str(tmp_path), delays_s=(0.1, 0.3), seed=5)
    assert set(out) == {0.1, 0.3}
    for found, put in out.values():
        assert put == 2                               # one where each stretch of speech stops
        assert 1 <= found <= put


def test_a_recording_without_speech_gets_no_pop(tmp_path):
    _recording(tmp_path / "room.wav", [])
    assert bench_cavitation.pops_after_recorded_speech(str(tmp_path), delays_s=(0.1,)) == {0.1: (0, 0)}
