"""``gradecoach record --device file:FOLDER`` of a recorded session: a warning about the folder's
own sound named the folder twice ("file:/p/anna: /p/anna/audio.flac: audio at 8000 Hz …"); it
names that file once, as ``replay`` does. A session of a worn IMU alone is played at its IMU's
rate (the status line's "rate 200 Hz"), and the recording made of it still stores no force rate
for a device that gave none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.sources import FileSource
from tests._worn_imu import _worn_imu_session
from tests.conftest import gc


def _coarse_sound_session(folder: Path) -> Path:
    """2 s of force at 500 Hz and sound at 8 kHz, too coarse for pops."""
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    t = np.arange(0.0, 2.0, 0.002)
    w.append_force(t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t))
    ta = np.arange(16000) / 8000
    w.append_audio(ta, np.zeros((len(ta), 1), np.float32), 8000)
    w.close(500.0)
    return folder


def test_the_folders_sound_is_named_once_as_replay_names_it(tmp_path):
    src = _coarse_sound_session(tmp_path / "anna")
    r = gc("record", "--device", f"file:{src}", "--out", tmp_path / "again", "--duration", 0.5, "--quiet")
    assert r.returncode == 0, r.stderr
    said = [ln for ln in r.stderr.splitlines() if "8000 Hz" in ln]
    assert said == [f"{src / 'audio.flac'}: audio at 8000 Hz; pops are detected in audio at 16000 Hz or more; "
                    f"its pops are not analysed"]
    told = gc("replay", src, "--format", "jsonl").stderr                   # replay's words, the same file
    assert f"gradecoach: warning: {said[0]}" in told.splitlines()


def test_a_relative_folder_with_a_trailing_slash_is_named_once_too(tmp_path):
    _coarse_sound_session(tmp_path / "anna")
    r = gc("record", "--device", "file:anna/", "--out", "again", "--duration", 0.5, "--quiet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [ln for ln in r.stderr.splitlines() if "8000 Hz" in ln] == [
        f"{Path('anna') / 'audio.flac'}: audio at 8000 Hz; pops are detected in audio at 16000 Hz or more; "
        f"its pops are not analysed"]


def test_a_worn_imu_session_plays_at_its_imus_rate_and_no_force_rate_is_recorded(tmp_path):
    src = _worn_imu_session(tmp_path / "ben")
    played = FileSource(str(src))
    assert round(played.stats.rate_hz) == 200                             # what the status line shows
    assert not played.info["rate_hz"]                                     # no force: no force rate
    out = tmp_path / "again"
    r = gc("record", "--device", f"file:{src}", "--out", out, "--duration", 1.2)
    assert r.returncode == 0, r.stderr
    status = [ln for ln in r.stderr.splitlines() if "last grade" in ln]
    assert status and all(re.search(r"rate +200 Hz", ln) for ln in status), status
    meta = json.loads((out / "session.json").read_text())
    assert "rate_hz" not in meta["sensor"]["device"] and "force" not in meta["streams"]
    assert round(meta["streams"]["imu"]["rate_hz"]) == 200
    assert not (out / "force.csv").exists()


def test_a_force_session_still_plays_at_its_forces_rate(tmp_path):
    src = _coarse_sound_session(tmp_path / "anna")
    played = FileSource(str(src))
    assert round(played.info["rate_hz"]) == 500 and round(played.stats.rate_hz) == 500
    assert sf.info(str(src / "audio.flac")).samplerate == 8000
