"""A recording made by playing a folder without a session.json (``record --device file:FOLDER``,
its force.csv and audio.flac only) kept "FOLDER/session.json: missing; using defaults" among the
warnings of the played source, and every view of the new session said it as its own, though the
new session has its own session.json with the calibration it was recorded with: an instructor
read it as "this session's calibration is the default". Reading the played folder still says it."""

from __future__ import annotations

import shutil
from pathlib import Path

from firmware_bridge.replay import load_input
from firmware_bridge.sources import FileSource

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def test_a_played_folders_missing_session_json_is_not_kept_as_the_recordings_warning(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(FIX / "thrust_pops.csv", folder / "force.csv")
    shutil.copy(FIX / "thrust_pops.flac", folder / "audio.flac")
    missing = f"{folder / 'session.json'}: missing; using defaults"
    assert missing in load_input(folder).warnings            # (replay of the folder itself says it)
    src = FileSource(str(folder))
    src.open()
    try:
        assert not [w for w in src.read_warnings if "session.json" in w], src.read_warnings
    finally:
        src.close()
