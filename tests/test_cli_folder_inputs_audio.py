"""``--audio FOLDER`` says it is a folder, not an audio file, and the force is analysed without
it as before: the warning was libsndfile's own words ("unreadable audio (Error opening
'FOLDER': Format not recognised.)"). A missing path stays one line naming it."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc

FORCE = ROOT / "fixtures" / "demo_mixed.csv"


def test_a_folder_given_as_audio(tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    r = gc("replay", FORCE, "--audio", folder, "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert r.returncode == 0
    assert r.stderr.splitlines() == [f"gradecoach: warning: {folder}: a folder, not an audio file; "
                                     f"analysed without the audio"]
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["type"] == "summary" and summary["n_cycles"] > 0


def test_a_missing_audio_file(tmp_path):
    r = gc("replay", FORCE, "--audio", tmp_path / "take1.wav", "--r1", 40, "--r2", 120)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: {tmp_path / 'take1.wav'}: no such audio file"]
