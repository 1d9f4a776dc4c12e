"""The session open in the Session tab whose folder is renamed while the window is open: after
Refresh (F5) it is opened again from its new folder, so a comment or a save goes there."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def win(tmp_path, qtbot):
    for i, name in enumerate(("ana-w1", "ana-w2", "ben-w1")):
        make_session(tmp_path / name, trainee=name[:3], created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=4)
    w = ReviewWindow(tmp_path)
    qtbot.addWidget(w)
    w.open_session(tmp_path / "ana-w2")
    return w


def test_a_comment_after_the_rename_and_f5_is_saved_in_the_new_folder(win, tmp_path, qtbot):
    """The Session tab kept the old folder: a comment said 'not a session folder' (its
    session.json was gone with the old name)."""
    view = win.session_view
    view.seek(2.0)
    (tmp_path / "ana-w2").rename(tmp_path / "ana week 2")
    win.refresh_library()
    assert view.rs.path == tmp_path / "ana week 2"
    assert view.playhead.pos_s == pytest.approx(2.0)
    assert win.statusBar().currentMessage() == "ana-w2 is now ana week 2: opened again from there"
    qtbot.keyClicks(view.comment_text, "elbows")
    qtbot.mouseClick(view.comment_btn, Qt.MouseButton.LeftButton)
    assert view.status.text() == "comment saved at 2.00 s"
    saved = json.loads((tmp_path / "ana week 2" / "session.json").read_text())["comments"]
    assert [c["text"] for c in saved] == ["elbows"]


def test_an_unsaved_reanalysis_survives_the_rename_and_saves_in_the_new_folder(win, tmp_path, qtbot):
    view = win.session_view
    view.r1.setValue(60.0)
    view.r2.setValue(200.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    (tmp_path / "ana-w2").rename(tmp_path / "ana week 2")
    win.refresh_library()
    assert view.rs.path == tmp_path / "ana week 2" and view.rs.dirty
    assert "unsaved re-analysis" in view.grades.text() and view.save_btn.isEnabled()
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert view.status.text() == "saved events.jsonl and calibration to ana week 2"
    assert json.loads((tmp_path / "ana week 2" / "session.json").read_text())["r1_n"] == 60.0


def test_a_session_left_in_place_is_not_opened_again(win, tmp_path):
    rs = win.session_view.rs
    (tmp_path / "ben-w1").rename(tmp_path / "ben week 1")
    win.refresh_library()
    assert win.session_view.rs is rs
