"""Re-analysis in the review window with the calibration cleared (R1 = R2 = 0)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _reanalyse(view, qtbot, r1, r2):
    view.r1.setValue(r1)
    view.r2.setValue(r2)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.reanalyse_btn.isEnabled(), timeout=30000)


def test_clearing_the_calibration_says_so_and_the_panel_shows_none(qtbot, tmp_path):
    """After a re-analysis with R1 30, R2 60 was saved, one with R1 = R2 = 0 grades nothing:
    the status said "R1 None N, R2 None N" and the session panel still showed the saved
    calibration (R1 30 N, R2 60 N) beside the ungraded cycles."""
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(folder)
    view = win.session_view
    _reanalyse(view, qtbot, 30.0, 60.0)
    assert view.status.text() == "re-analysed with R1 30 N, R2 60 N, α 0.5; not saved"
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert view.details_dict()["calibration"] == "R1 30 N, R2 60 N"
    _reanalyse(view, qtbot, 0.0, 0.0)
    assert view.status.text() == "re-analysed without a calibration: cycles measured, not graded; not saved"
    assert {e["grade"] for e in view.rs.of_type("cycle")} == {None}
    details = view.details_dict()
    assert details["calibration"] == "none" and "on target" not in details
