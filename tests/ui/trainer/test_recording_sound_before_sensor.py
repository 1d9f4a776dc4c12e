"""Sound the trainer hands the recording before the sensor's first sample: on a busy machine the
sensor's read that spans the key press comes after the microphone's blocks of the same moments,
and its first sample is older than they are. audio.flac keeps that sound, at its place."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from analysis.chunk import Chunk
from firmware_bridge.session import open_session
from ui.trainer.engine import Engine
from ui.trainer.recording import Recorder

from .conftest import schemes

RATE = 48000


def _sound(t0: float, n: int, seq0: int) -> Chunk:
    rng = np.random.default_rng(seq0)
    return Chunk(t0 + np.arange(n) / RATE, (0.1 * rng.standard_normal(n)).astype(np.float32), seq0, "audio",
                 float(RATE))


def test_sound_before_the_first_force_read_is_recorded_from_the_force_s_first_sample(tmp_path):
    s, th = schemes()
    eng = Engine(s, th)
    rec = Recorder(tmp_path / "r", s, th)
    eng.start_recording(rec)
    # two 10 ms blocks of sound from 10.0072 s, then the force read from 10.000 s to 10.099 s
    blocks = [_sound(10.0072 + i * 0.01, 480, i * 480) for i in range(2)]
    for b in blocks:
        eng.feed(b)
    for i in range(20):
        eng.feed(Chunk(10.0 + i * 0.1 + np.arange(100) * 1e-3, np.full(100, 5.0), i * 100, "force", 1000.0))
        eng.feed(_sound(10.0272 + i * 0.01, 480, (i + 2) * 480))
    rec.close()
    ses = open_session(rec.path)
    kept, rate = sf.read(str(rec.path / "audio.flac"), dtype="float32")
    assert rate == RATE
    assert ses.meta.streams["audio"]["t0_s"] == 0.0072
    assert np.allclose(kept[:960], np.concatenate([b.values for b in blocks]), atol=1e-6)
    assert len(kept) == 22 * 480

