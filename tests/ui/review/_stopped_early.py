"""A recording the trainer stopped when its disk filled up."""

from __future__ import annotations

import os
from pathlib import Path

from analysis.chunk import Chunk
from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.simulator import Noise, Sim, technique


def _stopped_on_a_full_disk(disk: Path) -> Path:
    """Grade III cycles recorded by the trainer's recorder into ``disk`` (a small file system),
    filled up 3 s in: the recording stops where the disk refuses a write."""
    from ui.trainer.recording import Recorder
    scheme = GradingScheme(40.0, 120.0).with_target("III")
    sim = Sim(40.0, 120.0, seed=3)
    technique("III", sim, scheme, freq_hz=1.5, cycles=90)
    t, y = sim.sample(200.0, Noise(noise_n=0.3, tremor_n=0.4))
    rec = Recorder(disk / "sessions" / "ana", scheme, ThrustScheme(), target={"text": "III"}, trainee="ana",
                   technique="PA L4")
    for i in range(0, len(t), 20):                      # 0.1 s chunks, as a source gives them
        rec.feed(Chunk(t[i:i + 20], y[i:i + 20], i, "force", 200.0))
        if i == 600:
            free = os.statvfs(disk)
            (disk / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 16 * 1024))
        if rec.failed is not None:
            break
    assert rec.failed is not None, "the disk never filled"
    rec.close()
    return rec.path
