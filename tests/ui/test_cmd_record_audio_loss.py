"""'gradecoach record --audio' says in its status line, and in its last line, how much audio was
lost while recording (it said nothing: only session.json and a later replay told). The microphone
is ALSA's file plugin, which runs faster than real time, so the recorder cannot keep up and drops
blocks, as a real one would on a machine that falls behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from firmware_bridge.recorder import status_line
from firmware_bridge.sources import EmulatorSource

ROOT = Path(__file__).resolve().parents[2]


def test_audio_lost_is_said_while_recording_and_at_the_end(tmp_path):
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
                        str(tmp_path / "s"), "--duration", "1.5", "--audio", "default"], cwd=ROOT,
                       env=dict(os.environ, HOME=str(home)), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    status = [s for s in r.stderr.splitlines() if "last grade" in s]
    assert status and all("  audio lost while recording: " in s and " blocks dropped (the program fell behind)"
                           in s for s in status)
    audio = json.loads((tmp_path / "s" / "session.json").read_text())["streams"]["audio"]
    (last,) = r.stdout.splitlines()
    assert last.startswith("recorded ") and "\n" not in last
    assert f"; audio lost while recording: {audio['dropped_blocks']} blocks dropped" in last


def test_a_status_line_without_audio_lost_says_nothing_of_it():
    line = status_line(1.0, EmulatorSource("hvla"), 1000, "V")
    assert line.endswith("last grade V") and "audio" not in line
