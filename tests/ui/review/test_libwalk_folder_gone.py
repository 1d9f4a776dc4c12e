"""A session whose folder was renamed, moved or deleted while it is open in the review: a
comment or a saved analysis says the folder is no longer there and to press Refresh, and
Refresh says a session moved out of the library's folder is gone."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def opened(qtbot, tmp_path):
    root = tmp_path / "root"
    folder = make_session(root / "anna-3", trainee="Anna", cycles=3)
    make_session(root / "ben-1", trainee="Ben", created="2025-03-02T10:00:00", seed=2, cycles=3)
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    assert win.open_session(folder) is not None
    return win, root, folder


def test_a_comment_on_a_renamed_folder_says_to_refresh(opened):
    """It said "…/anna-3: not a session folder; comments are saved in session.json"."""
    win, root, folder = opened
    folder.rename(root / "anna-3-renamed")
    view = win.session_view
    view.comment_text.setText("elbow too high")
    view.add_comment()
    assert view.status.text() == (f"comment not saved: {folder}: the folder is no longer there (renamed or moved?): "
                                  f"press Refresh (F5)")
    assert not folder.exists()                      # (nothing made where it was)


def test_saving_an_analysis_of_a_moved_folder_says_to_refresh(opened, qtbot):
    """It said "analysis not saved: …/events.jsonl: cannot save (No such file or directory)"."""
    win, root, folder = opened
    view = win.session_view
    view.r1.setValue(50.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    folder.rename(root / "elsewhere")
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert view.status.text() == (f"analysis not saved: {folder}: the folder is no longer there (renamed or "
                                  f"moved?): press Refresh (F5)")
    assert view.rs.dirty                            # (still to be saved, once opened from where it is)


def test_refresh_says_a_session_moved_out_of_the_library_is_gone(opened, tmp_path):
    """It stayed open after Refresh without a word."""
    win, root, folder = opened
    shutil.move(str(folder), str(tmp_path / "outside"))
    win.refresh_library()
    said = (f"anna-3: its folder is no longer under {win.library.root} (moved out of it, or deleted): shown as it "
            f"was read; comments and analyses cannot be saved")
    assert win.statusBar().currentMessage() == said
    assert win.session_view.status.text() == said
