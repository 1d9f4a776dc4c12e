"""A file the system refuses that no check before named (a session's events.jsonl or session.json
that is a folder, a file this user may not read) is one line naming it and exit 2: it was a
traceback (IsADirectoryError, PermissionError) from replay, report, screenshot, record and library."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import ROOT, gc
from tests.ui.review.conftest import make_session


def _session(tmp_path, folder_for: str):
    s = make_session(tmp_path / "class" / "anna", cycles=3)
    (s / folder_for).unlink(missing_ok=True)
    (s / folder_for).mkdir()
    return s


@pytest.mark.parametrize("name", ["events.jsonl", "session.json"])
def test_replay_of_a_session_whose_file_is_a_folder(tmp_path, name):
    s = _session(tmp_path, name)
    r = gc("replay", s)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: {s / name}: Is a directory"]


def test_report_and_library_over_a_class_holding_such_a_session(tmp_path):
    """The class's other sessions are reported and listed; the refused one is named once and left out."""
    s = _session(tmp_path, "events.jsonl")
    make_session(tmp_path / "class" / "ben", cycles=3, seed=1)
    for args in (["report", "--class", s.parent, "-o", tmp_path / "class.html"],
                 ["library", "list", s.parent, "--db", tmp_path / "lib.sqlite"]):
        r = gc(*args)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr and str(s / "events.jsonl") in r.stderr
        assert len([ln for ln in r.stderr.splitlines() if "events.jsonl" in ln]) == 1, r.stderr
    assert "ben" in r.stdout and "anna" not in r.stdout


def test_a_refusal_names_its_file_through_main(monkeypatch, capsys):
    """(In the process: the same line for a file the user may not read, as root may read any.)"""
    import ui.cmd_replay
    from ui import cli

    def refused(*a, **k):
        raise PermissionError(13, "Permission denied", "secret.csv")

    monkeypatch.setattr(ui.cmd_replay, "load_input", refused)
    assert cli.main(["replay", str(ROOT / "fixtures" / "lumbar_grade3.csv")]) == 2
    assert capsys.readouterr().err.splitlines() == ["gradecoach: error: secret.csv: Permission denied"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a file of mode 000")
def test_an_unreadable_csv(tmp_path):
    csv = tmp_path / "a.csv"
    shutil.copy(ROOT / "fixtures" / "lumbar_grade3.csv", csv)
    csv.chmod(0)
    r = gc("replay", csv)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {csv}: Permission denied"]
