"""The review of a recorded session says, as its report and replay do, when its pops drift against
its thrusts: the recorder stores its analysis without that warning, and the review showed the
stored analysis as it was, saying nothing of it."""

from __future__ import annotations

import pytest

from tests._drifting_pops import DRIFT, _recorded
from ui.review.session_view import SessionView
from ui.review.window import ReviewWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_review_of_a_recorded_session_says_its_pops_drift(qtbot, tmp_path):
    folder = _recorded(tmp_path / "s")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    rs = win.open_session(folder)
    assert rs is not None and rs.source == "stored"           # (not analysed again)
    view: SessionView = win.session_view
    said = [ln for ln in view.warning.text().splitlines() if DRIFT in ln]
    assert len(said) == 1 and "--audio-rate 16005.0" in said[0], view.warning.text()
    assert view.warning.isVisible()
