"""'--device file:' with no path asks for a recording in record and the trainer, as screenshot
does; run from a class's folder it said '--device file:: a folder of N session folders, not a
session', taking the missing path for the current folder."""

from __future__ import annotations

import pytest

from tests.conftest import class_folder, gc

ASK = "gradecoach: error: file: give a recording, e.g. file:fixtures/demo_mixed.csv or file:sessions/anna"


@pytest.mark.parametrize("cmd", [["record", "--out", "new-session", "--quiet"], ["trainer"]])
def test_an_empty_file_spec_asks_for_a_recording(tmp_path, cmd):
    root = class_folder(tmp_path / "class", "anna", "ben")
    r = gc(cmd[0], "--device", "file:", *cmd[1:], cwd=root)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [ASK]
    assert not (root / "new-session").exists()
