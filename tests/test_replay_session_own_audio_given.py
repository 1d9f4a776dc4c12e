"""replay SESSION --audio SESSION/audio.flac: the session's own sound given again keeps its
place on the timeline (session.json's t0_s and measured rate), not moved to t = 0 as other
audio is."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from tests.conftest import ROOT, file_microphone, gc


def test_the_sessions_own_audio_given_with_audio_keeps_its_timing(tmp_path):
    raw = tmp_path / "mic.raw"
    (np.sin(np.arange(48000) / 7.0) * 800).astype("<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    s = tmp_path / "s"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out", str(s),
                        "--duration", "2", "--audio", "default", "--quiet"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    meta = json.loads((s / "session.json").read_text())
    meta["streams"]["audio"]["t0_s"] = 0.75                 # (its first sample at 0.75 s of the session)
    (s / "session.json").write_text(json.dumps(meta))
    plain = gc("replay", s, "--format", "jsonl")
    again = gc("replay", s, "--audio", s / "audio.flac", "--format", "jsonl")
    assert again.returncode == 0, again.stderr
    assert "instead of the session's own" not in again.stderr, again.stderr
    spans = [json.loads(x.stdout.splitlines()[-1])["spans_s"]["audio"] for x in (plain, again)]
    assert spans[0][0] == 0.75 and spans[1] == spans[0], spans
