"""``gradecoach replay -o FILE`` when the disk is full: one line naming the output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ui.cli import main

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "lumbar_grade3.csv"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["jsonl", "table"])
def test_a_full_disk_is_one_line(tmp_path, capsys, fmt):
    full = tmp_path / "events.jsonl"
    full.symlink_to("/dev/full")
    assert main(["replay", str(FIXTURE), "--r1", "40", "--r2", "120", "--format", fmt, "-o", str(full)]) == 2
    err = capsys.readouterr().err
    assert err == f"gradecoach: error: -o {full}: cannot write (No space left on device)\n"


def test_the_events_are_all_written(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    assert main(["replay", str(FIXTURE), "--r1", "40", "--r2", "120", "-o", str(out)]) == 0
    assert out.read_text().splitlines()[-1].startswith('{"type": "summary"')


def test_a_folder_of_sessions_is_named_as_such(tmp_path, capsys):
    """It said 'no force.csv, imu.csv or audio file in this session folder'."""
    import json

    for name in ("ana", "ben"):
        s = tmp_path / "class" / name
        s.mkdir(parents=True)
        (s / "session.json").write_text(json.dumps({"trainee": name}))
        (s / "force.csv").write_text(FIXTURE.read_text())
    folder = tmp_path / "class"
    assert main(["replay", str(folder)]) == 2
    assert capsys.readouterr().err == (
        f"gradecoach: error: {folder}: a folder of 2 session folders, not a session; replay one of them "
        f"(e.g. {folder / 'ana'}), or report on them all with 'gradecoach report --class {folder}'\n")
    assert main(["replay", str(folder / "ana"), "--format", "jsonl"]) == 0
