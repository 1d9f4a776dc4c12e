"""``gradecoach review FOLDER`` where FOLDER holds session folders, as the README's
'gradecoach review sessions/' does."""

from __future__ import annotations

import argparse

import pytest

import ui.cmd_review as cmd_review
from ui.library import INDEX_NAME
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _run(monkeypatch, qtbot, **kw):
    shown = []
    monkeypatch.setattr(ReviewWindow, "show", lambda self: shown.append(self))
    from PySide6.QtWidgets import QApplication
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    assert cmd_review.run(argparse.Namespace(**{"session": None, "root": None, "db": None, **kw})) == 0
    win = shown[0]
    qtbot.addWidget(win)
    return win


def test_a_folder_of_sessions_opens_as_the_library(tmp_path, monkeypatch, qtbot):
    """It opened the folder above as the library (every session under it, and its index
    written there) and said 'sessions: no force.csv, imu.csv or audio file in this session
    folder'."""
    sessions = tmp_path / "sessions"
    for name in ("ana", "ben"):
        make_session(sessions / name, trainee=name, seed=len(name))
    make_session(tmp_path / "elsewhere", trainee="zed", seed=9)
    win = _run(monkeypatch, qtbot, session=str(sessions))
    assert win.library.root == sessions.resolve()
    assert sorted(r["trainee"] for r in win.rows) == ["ana", "ben"]
    assert win.statusBar().currentMessage() == "" and win.session_view.rs is None
    assert (sessions / INDEX_NAME).exists() and not (tmp_path / INDEX_NAME).exists()


def test_a_session_still_opens_in_the_library_of_its_folder(tmp_path, monkeypatch, qtbot):
    make_session(tmp_path / "sessions" / "ana", trainee="ana", seed=1)
    make_session(tmp_path / "sessions" / "ben", trainee="ben", seed=2)
    win = _run(monkeypatch, qtbot, session=str(tmp_path / "sessions" / "ana"))
    assert win.library.root == (tmp_path / "sessions").resolve() and len(win.rows) == 2
    assert win.session_view.rs is not None and win.session_view.rs.path.name == "ana"
