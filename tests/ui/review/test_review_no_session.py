"""The Session tab before any session is opened (what the review window shows while the
library is read): nothing to play, re-analyse or comment on, and a hint where to start.
Re-analyse and Add comment raised AttributeErrors, Play turned to Pause on nothing, and R1
and R2 were drawn at 0 on a "force (mN)" axis."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_session_tab_waits_for_a_session(tmp_path, qtbot):
    win = ReviewWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    view = win.session_view
    view.comment_text.setText("wrists stiff")
    for btn in (view.play_btn, view.reanalyse_btn, view.comment_btn):
        qtbot.mouseClick(btn, Qt.MouseButton.LeftButton)        # (an error in a slot fails the test)
    assert view.play_btn.text() == "Play" and not view.playhead.playing
    assert view.status.text() == "Double-click a session in the library to open it."
    assert not any(ln.isVisible() for ln in view.r_lines)
    assert view.detail.getAxis("left").labelString().endswith(">force (N)</span>")
    assert view.alpha.value() == 0.5

    make_session(tmp_path / "ana", kinds=("III",), target="III")
    win.open_session(tmp_path / "ana")
    assert all(w.isEnabled() for w in (view.play_btn, view.reanalyse_btn, view.comment_btn, view.r1, view.slider))
    assert all(ln.isVisible() for ln in view.r_lines) and view.status.text() == ""
    qtbot.mouseClick(view.play_btn, Qt.MouseButton.LeftButton)
    assert view.play_btn.text() == "Pause"
    view.stop()
