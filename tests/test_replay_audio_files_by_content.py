"""Audio given as replay's input is known by its content, as --audio is: a WAV saved under
another suffix or none is read, and a damaged phone's MPEG-4 under any name is one line saying
its audio is unreadable (not that it is no audio), alone or beside force."""

import json
import subprocess

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.audio_sim import pop_wave
from firmware_bridge.session import write_force_csv
from tests._cli_in_process import gc_here

M4A_HEAD = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(200)


def _replay(*args, cwd) -> subprocess.CompletedProcess:
    return gc_here("replay", *args, cwd=cwd)


def _pops(r: subprocess.CompletedProcess) -> list[float]:
    assert r.returncode == 0, r.stderr
    return [round(e["t"], 4) for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "cavitation"]


def _wav(path) -> None:
    """4 s of room noise at 48 kHz with a pop at 2.1 s, as WAV whatever the name."""
    x = np.random.default_rng(3).normal(0, 1e-3, 4 * 48000).astype(np.float32)
    w = pop_wave(np.random.default_rng(4), 48000)
    k = int(2.1 * 48000)
    x[k:k + len(w)] += (0.1 * w / np.abs(w).max()).astype(np.float32)
    sf.write(str(path), x, 48000, format="WAV")


@pytest.mark.parametrize("name", ["phone.m4a", "noext", "take 2.dat", "clip.csv"])
def test_a_wav_under_any_name_is_read_as_the_input_as_it_is_with_audio(tmp_path, name):
    _wav(tmp_path / "clip.wav")
    (tmp_path / name).write_bytes((tmp_path / "clip.wav").read_bytes())
    expected = _pops(_replay("clip.wav", cwd=tmp_path))
    assert len(expected) == 1 and abs(expected[0] - 2.1) < 0.01

    assert _pops(_replay(name, cwd=tmp_path)) == expected
    t = np.arange(0, 4, 0.001)
    write_force_csv(tmp_path / "force.csv", t, 100.0 + 400.0 * np.exp(-0.5 * ((t - 2.1) / 0.04) ** 2))
    assert _pops(_replay("force.csv", "--audio", name, cwd=tmp_path)) == expected


@pytest.mark.parametrize("name", ["phone", "phone.wav", "phone.flac"])
def test_a_damaged_phone_recording_under_another_name_is_one_line_alone_and_as_audio(tmp_path, name):
    (tmp_path / "rec").mkdir()
    (tmp_path / "rec" / name).write_bytes(M4A_HEAD)      # (its first box, then nothing a decoder can use)
    typed = f"rec/{name}"
    r = _replay(typed, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: {typed}: unreadable audio (Invalid data found when "
                                     f"processing input)"]

    t = np.arange(0, 4, 0.001)
    write_force_csv(tmp_path / "force.csv", t, 100.0 + 400.0 * np.exp(-0.5 * ((t - 2.1) / 0.04) ** 2))
    r = _replay("force.csv", "--audio", typed, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"gradecoach: warning: {typed}: unreadable audio (Invalid data found when processing input); " \
           f"analysed without the audio" in r.stderr
