"""Progress counts a recording copied into another folder (cp -a anna-1 anna-1-copy) once, and
says so: it showed "3 sessions" and two identical points for two recordings."""

from __future__ import annotations

import shutil

import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_copied_folder_is_counted_once_in_progress(tmp_path, qtbot):
    make_session(tmp_path / "anna-1", trainee="Anna", created="2026-10-05T10:00:00", seed=1, cycles=3)
    make_session(tmp_path / "anna-2", trainee="Anna", created="2026-10-12T10:00:00", seed=2, cycles=3)
    shutil.copytree(tmp_path / "anna-1", tmp_path / "anna-1-copy")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    assert win.model.rowCount() == 3                       # (the table lists both, marked)
    win.show_progress("Anna")
    pv = win.progress_view
    assert [r["path"] for r in pv.rows] == ["anna-1", "anna-2"]
    assert pv.title.text() == ("progress of Anna: 2 sessions (anna-1-copy: the same recording as anna-1, "
                               "counted once)")
    assert pv.table.rowCount() == 2 and len(pv.dates) == 2
