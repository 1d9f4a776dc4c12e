"""Opening the review window on sessions new to the library index: the window is up and
answers while they are read, and says how far it got (it showed nothing until all were read,
many seconds for a class's hour-long recordings)."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import ui.cmd_review as cmd_review
from ui.library import Library
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def root(tmp_path):
    for i in range(3):
        make_session(tmp_path / f"s{i}", trainee=f"t{i}", seed=i, cycles=4)
    return tmp_path


def _watch(win, also=None):
    """What the library panel says each time the window handles its events (a 0 ms timer
    fires once per pass)."""
    seen = []
    timer = QTimer(win)
    timer.setInterval(0)

    def look():
        seen.append((win.lib_status.text(), win.lib_progress.isVisible(), win.refresh_btn.isEnabled()))
        if also:
            also(seen[-1][0])
    timer.timeout.connect(look)
    timer.start()
    return timer, seen


def test_new_sessions_are_counted_while_the_window_answers(root, qtbot):
    win = ReviewWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    timer, seen = _watch(win)
    win.set_library(Library(root))
    timer.stop()
    texts = [t for t, _, _ in seen]
    for i in range(3):
        assert f"reading {i + 1} of 3 new or changed sessions: s{i}…" in texts
    # the bar shows meanwhile, and Refresh cannot start a second reading
    assert all(bar and not refresh for t, bar, refresh in seen if t.startswith("reading"))
    assert win.lib_status.text() == f"3 sessions under {root}"
    assert win.proxy.rowCount() == 3 and not win.lib_progress.isVisible() and win.refresh_btn.isEnabled()
    # nothing new: nothing to count
    timer, seen = _watch(win)
    win.refresh_library()
    timer.stop()
    assert not any(t.startswith("reading") for t, _, _ in seen)


def test_closing_the_window_while_sessions_are_read(root, qtbot):
    """The reading stops there; what was read is kept in the index, no traceback."""
    win = ReviewWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    timer, _ = _watch(win, lambda text: text.startswith("reading 2 of 3") and win.close())
    lib = Library(root)
    win.set_library(lib)
    timer.stop()
    assert win.closed
    with Library(root) as again:
        assert [r["path"] for r in again.rows()] == ["s0"]
        assert again.refresh().added == 2


def test_review_shows_its_window_before_reading_the_sessions(root, monkeypatch, qtbot):
    """'gradecoach review FOLDER' puts the window up first, then reads the sessions into it."""
    shown = []
    monkeypatch.setattr(ReviewWindow, "show", lambda self: shown.append((self, self.proxy.rowCount())))
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    assert cmd_review.run(argparse.Namespace(session=str(root), root=None, db=None)) == 0
    win, rows_when_shown = shown[0]
    qtbot.addWidget(win)
    assert rows_when_shown == 0 and win.proxy.rowCount() == 3
