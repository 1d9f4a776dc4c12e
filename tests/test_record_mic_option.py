"""record takes the microphone as the trainer names it, --mic, as well as --audio (one option);
a sound file given as the microphone (a path there, e.g. x.flac) is one line saying record
listens to a microphone and how replay analyses the file, exit status 2, nothing recorded
(it recorded force only, saying no input's name contains it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, file_microphone, gc

FIX = ROOT / "fixtures"


def _run(tmp_path, *argv, cwd=ROOT) -> subprocess.CompletedProcess:
    raw = tmp_path / "mic.raw"
    np.zeros(48000, "<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(file_microphone(home, raw)), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "ui.cli", *map(str, argv)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_record_mic_is_record_audio(tmp_path):
    """(beside a file named 'default' too: 'default' is the input, not that file)"""
    (tmp_path / "default").write_text("not a microphone\n")
    out = tmp_path / "s"
    r = _run(tmp_path, "record", "--device", "emulator:hvla", "--out", out, "--duration", "0.5", "--mic", "default",
             "--quiet", cwd=tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert (out / "audio.flac").is_file()
    r = gc("record", "--help")
    shown = " ".join(r.stdout.split())
    assert "--audio DEVICE microphone: 'default'" in shown and "--mic DEVICE the same as --audio" in shown, shown


# (--mic is --audio's other name, one option: each name is given with one of them, each once)
@pytest.mark.parametrize("option, name", [("--audio", "x.flac"), ("--mic", "takes/x.flac")])
def test_a_sound_file_given_as_the_microphone_is_refused_naming_replay(option, name, tmp_path):
    (tmp_path / name).parent.mkdir(exist_ok=True)
    shutil.copy(FIX / "thrust_pops.flac", tmp_path / name)
    r = _run(tmp_path, "record", "--device", "emulator:hvla", "--out", tmp_path / "s", "--duration", "0.5",
             option, name, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [
        f"gradecoach: error: {option} {name}: a file, not a microphone: record listens to one ('default', an "
        f"input's number or part of its name: see 'gradecoach devices'); to analyse a recorded sound give it "
        f"to replay: gradecoach replay FORCE.csv --audio {name}"], r.stderr
    assert not (tmp_path / "s").exists()


def test_a_name_that_is_no_file_is_still_looked_for_among_the_inputs(tmp_path):
    """(x.flac missing: a microphone's name as before; 'default' beside a file named so is the
    input: test_record_mic_is_record_audio)"""
    r = _run(tmp_path, "record", "--device", "emulator:hvla", "--out", tmp_path / "s", "--duration", "0.5",
             "--mic", "x.flac", "--quiet", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr.splitlines() == [
        "audio input 'x.flac': no input's name contains it (inputs: 0 'default'); recording force only"], r.stderr


def test_the_microphone_itself_names_a_sound_file_so(tmp_path):
    """As the trainer's --mic opens it: its status line says the same."""
    shutil.copy(FIX / "thrust_pops.flac", tmp_path / "x.flac")
    said = _microphone_says(tmp_path, "x.flac")
    assert said == ("audio input 'x.flac': a file, not a microphone; to analyse a recorded sound "
                    "give it to replay: gradecoach replay FORCE.csv --audio x.flac"), said


def _microphone_says(tmp_path, name: str) -> str:
    """What opening the microphone ``name`` says (its DeviceError), with ALSA's default capture
    device a file of silence, in a program of its own."""
    code = ("import sys\nfrom firmware_bridge.audio import AudioInput\n"
            "from analysis.errors import DeviceError\n"
            "try:\n    AudioInput(sys.argv[1])\nexcept DeviceError as e:\n    print(e)\n")
    raw = tmp_path / "mic.raw"
    np.zeros(480, "<i2").tofile(raw)
    (tmp_path / "home").mkdir()
    env = dict(os.environ, HOME=str(file_microphone(tmp_path / "home", raw)), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", code, name], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=60)
    return r.stdout.strip() or r.stderr


@pytest.mark.parametrize("option, name", [("--mic", "a" * 300 + ".wav"), ("--audio", "~nosuchuser1x/x.wav")])
def test_a_name_the_disk_cannot_look_up_is_looked_for_among_the_inputs(option, name, tmp_path):
    """(300 characters: too long for a file's name, so no file, where asking the disk raised
    ENAMETOOLONG; a folder of a user there is not: no file, where expanding it raised)"""
    r = _run(tmp_path, "record", "--device", "emulator:hvla", "--out", tmp_path / "s", "--duration", "0.2",
             option, name, "--quiet", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr.splitlines() == [
        f"audio input '{name}': no input's name contains it (inputs: 0 'default'); recording force only"], r.stderr
    assert (tmp_path / "s" / "force.csv").is_file()


def test_the_microphone_itself_says_a_name_too_long_for_a_file_is_no_input(tmp_path):
    name = "a" * 300 + ".wav"
    said = _microphone_says(tmp_path, name)
    assert said == f"audio input '{name}': no input's name contains it (inputs: 0 'default')", said
