"""A library index that breaks while the review window is open: one line in the library
panel, never an uncaught error in a button's handler."""

from __future__ import annotations

import pytest

from ui.library import INDEX_NAME
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window_of_two(qtbot, tmp_path):
    for i in range(2):
        make_session(tmp_path / f"w{i}", trainee="ana", created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_progress_of_a_trainee_after_the_index_broke_says_so_in_the_library_panel(qtbot, tmp_path):
    """Trainee's progress pressed after the index file was overwritten: the library panel says
    the index is damaged and how to remake it (an IndexDamaged was raised out of the button's
    handler), and the window stays where it was."""
    win = _window_of_two(qtbot, tmp_path)
    (tmp_path / INDEX_NAME).write_bytes(b"garbage" * 1000)
    win.table.selectRow(0)
    win.progress_btn.click()
    text = win.lib_status.text()
    assert text.startswith("progress not shown: ") and "damaged" in text and "gradecoach library rebuild" in text
    assert "\n" not in text
    assert win.tabs.currentWidget() is not win.progress_view


def test_progress_shown_then_the_index_broke_keeps_what_it_showed(qtbot, tmp_path):
    """The Progress tab open, the index broken, then progress asked again: one line, and the
    two sessions already shown stay."""
    win = _window_of_two(qtbot, tmp_path)
    win.table.selectRow(0)
    win.progress_btn.click()
    assert win.progress_view.table.rowCount() == 2
    (tmp_path / INDEX_NAME).write_bytes(b"garbage" * 1000)
    win.progress_btn.click()
    assert "damaged" in win.lib_status.text()
    assert win.progress_view.table.rowCount() == 2
