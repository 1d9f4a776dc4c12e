"""``emulate --link`` naming a folder says a folder is there, and an empty name asks for one:
both said "a file of that name exists" (of the current folder, for '')."""

from __future__ import annotations

from tests.conftest import gc


def test_link_naming_a_folder(tmp_path):
    (tmp_path / "sessions").mkdir()
    r = gc("emulate", "--link", tmp_path / "sessions")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --link {tmp_path / 'sessions'}: a folder of that name "
                                     f"exists; choose another name"]


def test_link_empty(tmp_path):
    r = gc("emulate", "--link", "", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: --link: give the name of the link to make, e.g. "
                                     "./sensor.pty"]
