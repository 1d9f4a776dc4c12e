"""``gradecoach record --device file:SOUND``: a sound file alone has no sensor to record. It was
played for the whole --duration and more (6 s for --duration 2), and left a session of an empty
force.csv, a rate of 0 Hz and 4 s of audio; it is refused at once, nothing written."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]


def test_a_sound_file_alone_is_refused_at_once_and_nothing_is_written(tmp_path):
    sound = tmp_path / "a.flac"
    sf.write(str(sound), (np.random.default_rng(0).standard_normal(4 * 44100) * 0.01).astype("float32"), 44100)
    out = tmp_path / "r_a"
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", f"file:{sound}", "--out", str(out),
                        "--duration", "30"], cwd=tmp_path, capture_output=True, text=True, timeout=90)
    took = time.monotonic() - t0
    assert p.returncode == 2, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "no force or IMU data to record" in lines[0], p.stderr
    assert f"gradecoach replay {sound}" in lines[0]
    assert "recorded" not in p.stdout
    assert not out.exists()
    assert took < 15.0         # before any playing, not after the 30 s of --duration (a loaded machine
                               # took 3.4 s to start Python and refuse)
