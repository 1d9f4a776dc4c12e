"""A session folder that cannot be written (a read-only share, a full disk): a comment or a
saved re-analysis is one line in the window, nothing on disk changes, nothing is shown as
saved that was not."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pathlib

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _shas(folder):
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def locked(qtbot, tmp_path, monkeypatch):
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(folder)
    os_open = os.open

    def refuse(path, flags, *a, **kw):                  # (no file can be made in the folder)
        if flags & os.O_CREAT and pathlib.Path(path).parent == folder:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return os_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", refuse)
    return win, folder


def test_a_comment_that_cannot_be_saved_is_said_so_and_not_shown(locked, qtbot):
    win, folder = locked
    view = win.session_view
    before = _shas(folder)
    view.seek(2.0)
    qtbot.keyClicks(view.comment_text, "elbows")
    qtbot.mouseClick(view.comment_btn, Qt.MouseButton.LeftButton)       # raised in the slot before
    assert view.status.text() == (f"comment not saved: {folder / 'session.json'}: cannot save "
                                  f"(Read-only file system)")
    assert view.rs.comments == [] and view.comment_lines == []
    assert view.comment_text.text() == "elbows"                          # still there to try again
    assert _shas(folder) == before


def test_a_reanalysis_that_cannot_be_saved_stays_unsaved(locked, qtbot):
    win, folder = locked
    view = win.session_view
    before = _shas(folder)
    view.r1.setValue(60.0)
    view.r2.setValue(200.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)          # raised in the slot before
    assert view.status.text() == (f"analysis not saved: {folder / 'events.jsonl'}: cannot save "
                                  f"(Read-only file system)")
    assert view.rs.dirty and view.save_btn.isEnabled() and "unsaved" in view.grades.text()
    assert _shas(folder) == before
    assert json.loads((folder / "session.json").read_text())["r1_n"] == 40.0
