"""A folder that is no session given to ``replay`` names, in its one line, everything replay
reads instead, a BLE notification capture (.jsonl) among them: it named a session folder, a .csv
and audio only, and a capture given as the file it is replays (shown here)."""

from __future__ import annotations

import shutil

from tests.conftest import ROOT, gc


def test_a_folder_that_is_no_session_names_a_ble_capture_among_what_to_give(tmp_path):
    folder = tmp_path / "captures"
    folder.mkdir()
    shutil.copy(ROOT / "fixtures" / "ble" / "progressor_grade4.jsonl", folder)
    r = gc("replay", folder)
    assert (r.returncode, r.stdout) == (2, "")
    [line] = r.stderr.splitlines()
    assert line.startswith(f"gradecoach: error: {folder}: not a session folder (no session.json in it); give a "
                           f"session folder, a .csv of time and force (e.g. t_s,force_n), a BLE capture (.jsonl) "
                           f"or an audio file (.wav/.flac/")

    r = gc("replay", folder / "progressor_grade4.jsonl", "--format", "jsonl")   # (as the line says)
    assert r.returncode == 0 and '"type": "summary"' in r.stdout
