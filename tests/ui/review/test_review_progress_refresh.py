"""Refresh brings the Progress tab up to date with the sessions recorded since it was shown."""

from __future__ import annotations

import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_new_session_of_the_trainee_joins_their_progress_on_refresh(qtbot, tmp_path):
    """Ana's progress shown with one session; she records a second (a station of the class)
    and Refresh is pressed: Progress reads 2 sessions, the new one last (it stayed at
    "1 session" until asked again). Another trainee's new session does not join it."""
    make_session(tmp_path / "ana1", trainee="ana", created="2025-03-01T10:00:00", seed=1, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.table.selectRow(0)
    win.progress_btn.click()
    pv = win.progress_view
    assert pv.title.text() == "progress of ana: 1 session"
    make_session(tmp_path / "ana2", trainee="Ana ", created="2025-03-08T10:00:00", seed=2, cycles=4)
    make_session(tmp_path / "ben1", trainee="ben", created="2025-03-09T10:00:00", seed=3, cycles=4)
    win.refresh_btn.click()
    assert win.proxy.rowCount() == 3
    assert pv.title.text() == "progress of ana: 2 sessions"
    assert [pv.table.item(i, 0).text() for i in range(pv.table.rowCount())] == ["2025-03-01 10:00", "2025-03-08 10:00"]
