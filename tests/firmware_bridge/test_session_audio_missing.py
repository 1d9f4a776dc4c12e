"""A session whose session.json names an audio file that is not in its folder."""

import subprocess
import sys
from pathlib import Path

import numpy as np

from firmware_bridge.session import SessionMeta, SessionWriter

ROOT = Path(__file__).resolve().parents[2]


def _session(folder: Path, audio_in_streams: bool = True) -> Path:
    """A force trace with one thrust peaking at 2.1 s; session.json lists audio.flac, not written."""
    t = np.arange(0, 10, 0.001)
    w = SessionWriter(folder, SessionMeta(r1_n=40.0, r2_n=120.0))
    w.append_force(t, 100.0 + 400.0 * np.exp(-0.5 * ((t - 2.1) / 0.04) ** 2))
    if audio_in_streams:
        w.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": 48000, "t0_s": 0.0}
    w.close(1000.0)
    return folder


def _replay(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", "replay", *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=cwd, env=_env())


def _env() -> dict:
    import os
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_replay_warns_once_naming_the_audio_file_the_session_lists_but_lacks(tmp_path):
    """The force is analysed as before, and one warning line names the missing audio.flac,
    instead of only 'no audio' in the table's first line."""
    _session(tmp_path / "anna")
    r = _replay("anna", "--format", "table", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "1 thrust" in r.stdout and "no audio" in r.stdout
    said = f"{Path('anna') / 'audio.flac'}: no such audio file (session.json lists it); analysed without the audio"
    assert [ln.strip() for ln in r.stdout.splitlines() if "audio.flac" in ln] == [f"warning: {said}"]
    r = _replay("anna", "--format", "jsonl", cwd=tmp_path)          # (warnings to stderr when writing JSON)
    assert [ln for ln in r.stderr.splitlines() if "audio.flac" in ln] == [f"gradecoach: warning: {said}"]


def test_a_session_without_audio_in_session_json_gives_no_such_warning(tmp_path):
    _session(tmp_path / "anna", audio_in_streams=False)
    r = _replay("anna", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "audio" not in r.stderr


def test_a_session_of_sound_alone_whose_sound_is_missing_is_one_line_naming_it(tmp_path):
    folder = tmp_path / "anna"
    folder.mkdir()
    SessionWriter(folder, SessionMeta(streams={"audio": {"file": "audio.flac", "rate_hz": 48000}}),
                  force=False).close()
    (folder / "events.jsonl").unlink()
    r = _replay(folder, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == f"gradecoach: error: {folder / 'audio.flac'}: no such audio file (session.json lists it)"
