"""A class's folder of sessions given where one recording is read (``screenshot --replay``,
``record --device file:``) is one line naming one of its sessions, as ``replay`` says it: it
was "no force.csv, imu.csv or audio file in this session folder", as if the folder were a
broken session."""

from __future__ import annotations

from tests.conftest import class_folder, gc


def test_screenshot_of_a_folder_of_sessions(tmp_path):
    root = class_folder(tmp_path / "class", "anna", "ben")
    r = gc("screenshot", "--replay", root, "--at", 1, "-o", tmp_path / "shot.png")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --replay {root}: a folder of 2 session folders, not a "
                                     f"session; give one of them (e.g. {root / 'anna'})"]
    assert not (tmp_path / "shot.png").exists()


def test_record_played_from_a_folder_of_sessions(tmp_path):
    root = class_folder(tmp_path / "class", "anna", "ben")
    r = gc("record", "--device", f"file:{root}", "--out", tmp_path / "new", "--quiet")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --device file:{root}: a folder of 2 session folders, "
                                     f"not a session; give one of them (e.g. {root / 'anna'})"]
    assert not (tmp_path / "new").exists()
