"""The side panel of the session tab shows all of a session's or an event's numbers."""

from __future__ import annotations

import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _all_rows_in_view(table) -> bool:
    vp = table.viewport().rect()
    return all(vp.contains(table.visualItemRect(table.item(i, 1))) for i in range(table.rowCount()))


def _session_in_window(qtbot, tmp_path, width: int, height: int):
    """A session with cycles, a thrust and pops, opened in a review window of that size."""
    folder = make_session(tmp_path / "ana", kinds=("III", "V"), target="III", audio=True)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    qtbot.wait(20)
    return win, win.session_view


def test_every_number_is_in_view_without_scrolling(qtbot, tmp_path):
    """In a 1500 x 900 window the session's cycles, on-target share, thrusts, pops and comments
    were below the fold of the details table (six of its eleven rows showed)."""
    win, view = _session_in_window(qtbot, tmp_path, 1500, 900)
    assert {"on target", "pops", "comments"} <= set(view.details_dict())
    assert _all_rows_in_view(view.details) and not view.details.verticalScrollBar().isVisible()
    for kind in ("thrust", "cavitation", "cycle"):
        view.select_event(next(e for e in view._listed if e["type"] == kind))
        qtbot.wait(20)
        assert _all_rows_in_view(view.details), kind
    assert view.events_table.height() > 150                 # the event list keeps room


def test_on_a_short_screen_the_details_and_the_event_list_share_the_height(qtbot, tmp_path):
    """At 1366 x 700 the event list keeps five rows or more (the details panel as tall as all
    its rows left it three) and the window can still be made as short as before."""
    win, view = _session_in_window(qtbot, tmp_path, 1366, 700)
    rows_shown = view.events_table.viewport().height() / view.events_table.verticalHeader().defaultSectionSize()
    assert rows_shown >= 5 and win.minimumSizeHint().height() <= 600
