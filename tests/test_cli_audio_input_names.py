"""An --audio input that does not exist is said in the program's own words: sounddevice's
"No input device matching 'foo'" was passed through after the name it repeats, and '-1' (no
input's number) was looked for as a name."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from tests.conftest import ROOT, file_microphone


def _record(tmp_path, audio: str) -> subprocess.CompletedProcess:
    raw = tmp_path / "mic.raw"
    np.zeros(48000, "<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    return subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out",
                           str(tmp_path / f"s{abs(hash(audio))}"), "--duration", "0.5", "--audio", audio,
                           "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_an_input_name_nothing_matches(tmp_path):
    r = _record(tmp_path, "foo")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.splitlines() == ["audio input 'foo': no input's name contains it (inputs: 0 'default'); "
                                     "recording force only"]


def test_a_negative_number_is_no_inputs_number(tmp_path):
    r = _record(tmp_path, "-1")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.splitlines() == ["audio input '-1': no input's number or name matches it (inputs: 0 "
                                     "'default'); recording force only"]
