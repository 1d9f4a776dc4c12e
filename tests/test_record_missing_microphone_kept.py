"""record --audio NAME with no such input records force only: its last line and session.json
say that the microphone asked for was not recorded; an empty name is refused (it opened the
default microphone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from tests.conftest import ROOT, file_microphone


def _record(tmp_path, *audio):
    raw = tmp_path / "mic.raw"
    np.zeros(48000, "<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    out = tmp_path / "s"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out", str(out),
                        "--duration", "1", *audio, "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    return r, out


def test_a_microphone_not_found_is_in_the_last_line_and_in_session_json(tmp_path):
    r, out = _record(tmp_path, "--audio", "xyz")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("recorded ") and "no audio: --audio xyz was not recorded" in last, r.stdout
    kept = json.loads((out / "session.json").read_text())["extra"]["audio_not_recorded"]
    assert kept["device"] == "xyz" and "xyz" in kept["why"], kept


def test_an_empty_microphone_name_is_refused(tmp_path):
    r, out = _record(tmp_path, "--audio", "")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.strip() == ("gradecoach: error: --audio '': no microphone named; give 'default', an input's "
                                "number or part of its name (see 'gradecoach devices'), or none"), r.stderr
    assert not out.exists()
