"""record --audio on an input that delivers faster than real time (a file played as the
microphone): the blocks it drops are not hours of silence in a few seconds' recording, and the
rate it delivered is said (once, with the recording's warnings) and kept, not written as a measured rate."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from tests.conftest import ROOT, file_microphone


def test_a_microphone_faster_than_real_time_is_said_and_adds_no_silence_beyond_the_time(tmp_path):
    raw = tmp_path / "mic.raw"
    (np.sin(np.arange(48000 * 3) / 7.0) * 8000).astype("<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    out = tmp_path / "s"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out", str(out),
                        "--duration", "3", "--audio", "default", "--quiet"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    audio = json.loads((out / "session.json").read_text())["streams"]["audio"]
    assert audio["lost_s"] <= 10, audio                      # (it was 3548.8 s for a 10 s session)
    assert audio["rate_measured_hz"] is None and audio["rate_delivered_hz"] > 2 * audio["rate_hz"], audio
    assert "faster than real time" in r.stdout, r.stdout
    said = [x for x in r.stderr.splitlines() if "not a live microphone?" in x]
    assert len(said) == 1 and said[0].startswith(f"gradecoach: warning: {out}: audio input ") and " delivered " in said[0] \
        and said[0].endswith("not placed in time with the force, so the thrusts' pops are unknown"), r.stderr
