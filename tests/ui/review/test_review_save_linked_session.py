"""A session listed through a symbolic link (a folder of links to sessions) whose re-analysis is
saved in the review window has its library row brought up to date at once, as any session's
is: it kept its old score until Refresh (F5), the index finding it under the library's folder
no more once the link was resolved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui.library import Library
from ui.review.window import FOLDER_ROLE, ReviewWindow

from .conftest import make_session

pytestmark = [pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
              pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")]


def _row_of(win, name: str) -> int:
    return next(r for r in range(win.proxy.rowCount()) if Path(win.proxy.index(r, 0).data(FOLDER_ROLE)).name == name)


def test_a_saved_analysis_of_a_linked_session_updates_its_row(tmp_path, qtbot):
    make_session(tmp_path / "class" / "ana-w2", trainee="ana", created="2025-03-08T10:00:00", kinds=("III", "V", "V"),
                 seed=2)
    favs = tmp_path / "favs"
    favs.mkdir()
    os.symlink("../class/ana-w2", favs / "ana-w2")
    win = ReviewWindow(favs)
    qtbot.addWidget(win)
    before = win.proxy.index(_row_of(win, "ana-w2"), 4).data()
    view = win.session_view
    assert win.open_row(_row_of(win, "ana-w2")) is not None
    view.r1.setValue(200.0)
    view.r2.setValue(300.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    shown = view.details_dict()["on target"]
    score = win.proxy.index(_row_of(win, "ana-w2"), 4).data()
    assert score != before and f"{score} %" == shown
    with Library(favs) as lib:                         # (in the index too, under the link's path)
        assert [(r["path"], f"{r['score_pct']:.0f} %") for r in lib.rows()] == [("ana-w2", shown)]
