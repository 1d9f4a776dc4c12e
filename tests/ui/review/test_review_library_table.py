"""The library table of the review window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def win(qtbot, tmp_path):
    make_session(tmp_path / "a1", trainee="Anna", created="2025-03-01T10:00:00", seed=1)
    make_session(tmp_path / "b1", trainee="ben", created="2025-03-02T10:00:00", seed=2)
    make_session(tmp_path / "a2", trainee="anna ", created="2025-03-08T10:00:00", seed=3)
    make_session(tmp_path / "c1", trainee="Chloé", created="2025-03-05T10:00:00", seed=4)
    w = ReviewWindow(tmp_path)
    qtbot.addWidget(w)
    return w


def _column(win, c):
    return [win.proxy.index(r, c).data() for r in range(win.proxy.rowCount())]


def test_it_opens_newest_first(win):
    assert _column(win, 1) == ["2025-03-08 10:00", "2025-03-05 10:00", "2025-03-02 10:00", "2025-03-01 10:00"]


def test_sorting_by_trainee_keeps_one_trainee_together_whatever_the_case(win):
    """"Anna" and "anna " (typed so at two recordings) are the same trainee for the library's
    --trainee and the Progress view; sorted by trainee they are side by side (they were at
    the two ends of the table, lower case after every capital)."""
    win.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [t.strip().casefold() for t in _column(win, 0)] == ["anna", "anna", "ben", "chloé"]
    win.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [t.strip().casefold() for t in _column(win, 0)] == ["chloé", "ben", "anna", "anna"]


def test_every_column_is_in_view_without_scrolling(win, qtbot, tmp_path):
    """Trainee, date, technique, target and score side by side, each date on one line, however
    long the status line below the table is (a folder that cannot be read is named in it)."""
    bad = tmp_path / "a folder with a long name that cannot be read as a session" / "x"
    bad.mkdir(parents=True)
    (bad / "session.json").write_text("{}")
    win.refresh_library()
    win.show()
    qtbot.waitExposed(win)
    t = win.table
    assert "unreadable" in win.lib_status.text()
    assert sum(t.columnWidth(c) for c in range(5)) <= t.viewport().width()
    assert not t.horizontalScrollBar().isVisible()
    fm = t.fontMetrics()
    assert t.columnWidth(1) >= fm.horizontalAdvance("2025-03-08 10:00")
    assert not t.wordWrap()


def test_the_library_panel_can_be_dragged_narrower_on_a_small_screen(win, qtbot):
    """It opens wide enough for its five columns, but does not hold the window to that width."""
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    assert not win.table.horizontalScrollBar().isVisible()
    assert win.table.minimumWidth() < 200
    win.split.setSizes([250, 1030])
    assert win.split.sizes()[0] < 350             # (the buttons below the table need about 300)


def test_refresh_shows_sessions_recorded_while_the_window_is_open(win, qtbot, tmp_path):
    """A class records at its stations while the instructor reviews: Refresh (F5) lists the new
    session, and the session selected before stays selected and the filter stays."""
    win.show()
    qtbot.waitExposed(win)
    win.filter.setText("anna")
    win.table.selectRow(1)
    before = win._folder(win._selected_rows()[0])
    make_session(tmp_path / "a3", trainee="Anna", created="2025-03-09T10:00:00", seed=5)
    assert win.proxy.rowCount() == 2                       # not seen until asked for
    assert win.refresh_btn.shortcut().toString() == "F5"
    qtbot.mouseClick(win.refresh_btn, Qt.MouseButton.LeftButton)
    assert _column(win, 1) == ["2025-03-09 10:00", "2025-03-08 10:00", "2025-03-01 10:00"]
    assert [win._folder(r) for r in win._selected_rows()] == [before]
    assert win.lib_status.text().startswith("5 sessions under ")
