"""``report --class`` given a file (a session's force.csv, a report) says it is a file, not a
folder of sessions: it said "no such folder" of a file that is there."""

from __future__ import annotations

from tests.conftest import gc
from tests.ui.review.conftest import make_session


def test_class_given_a_file(tmp_path):
    s = make_session(tmp_path / "anna", cycles=3)
    r = gc("report", "--class", s / "force.csv", "-o", tmp_path / "r.html")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --class {s / 'force.csv'}: a file, not a folder of "
                                     f"sessions; give the folder holding the session folders"]


def test_class_given_a_missing_folder(tmp_path):
    r = gc("report", "--class", tmp_path / "nope", "-o", tmp_path / "r.html")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --class {tmp_path / 'nope'}: no such folder"]
