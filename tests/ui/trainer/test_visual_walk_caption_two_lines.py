"""The grade panel's caption is whole in the frame that shows it: a flagged let-up with an IMU
beside the force sensor ("thrust: let-up 26.6 N before the thrust · hand moved 4.8 mm") takes two
lines, and a frame drawn before Qt's next layout pass (as the screenshot command draws one)
gave it the height of one, both lines cut through the middle."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, letup_thrust_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_a_two_line_caption_is_whole_in_the_frame_drawn(qtbot, tmp_path, size):
    win, eng = letup_thrust_window(qtbot, tmp_path, size)
    shot = win.grab()                            # (as the screenshot command draws it: no wait)
    panel = win.grade_panel
    cap = panel.caption
    assert eng.thrusts and eng.thrusts[-1].letup
    assert "let-up" in cap.text() and "hand moved" in cap.text()
    assert cap.heightForWidth(cap.width()) > cap.fontMetrics().lineSpacing() * 1.5      # (two lines)
    assert cap.height() >= cap.heightForWidth(cap.width())                               # not cut
    assert cap.geometry().top() >= panel.grade.geometry().bottom()                     # under the grade
    assert panel.rect().contains(cap.geometry())
    ARTIFACTS.mkdir(exist_ok=True)
    shot.save(str(ARTIFACTS / f"trainer_caption_two_lines_{size[0]}.png"))
