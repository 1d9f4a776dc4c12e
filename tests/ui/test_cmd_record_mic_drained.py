"""'gradecoach record --audio': the sound the microphone still holds when the recording stops is
analysed as well as written, so the stored events cover all of audio.flac. It was written to the
file after the analysis had finished, so the file held more than the events were found in (a real
microphone's last blocks at the stop). The microphone is ALSA's file plugin, which runs faster
than real time: what it still holds at the stop is far more than a real one's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]


def test_the_events_cover_all_the_sound_recorded(tmp_path):
    raw = tmp_path / "mic.raw"
    np.zeros(48000, "<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(textwrap.dedent(f"""
        pcm.!default {{
            type asym
            playback.pcm {{ type null }}
            capture.pcm {{ type file slave.pcm null file "/dev/null" infile "{raw}" format "raw" }}
        }}
    """))
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out",
                        str(tmp_path / "s"), "--duration", "1", "--audio", "default", "--quiet"], cwd=ROOT,
                       env=dict(os.environ, HOME=str(home)), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "s"
    entry = json.loads((folder / "session.json").read_text())["streams"]["audio"]
    info = sf.info(str(folder / "audio.flac"))
    t_last = entry["t0_s"] + (info.frames - 1) / entry["rate_measured_hz"]
    summary = json.loads((folder / "events.jsonl").read_text().splitlines()[-1])
    assert summary["type"] == "summary"
    start, end = summary["spans_s"]["audio"]
    assert abs(start - entry["t0_s"]) < 1e-6
    assert abs(end - t_last) < 1e-3                 # the analysis heard the file to its end
