"""A flagged let-up is drawn whole in the frame that shows it: the numbers under the HVLA plot
are laid out again at once when one grows ("27 N flagged" was cut to "27 N flag" over the pops
in a screenshot of the default 1366 × 768 window, drawn before Qt's next layout pass)."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("fixture,at", [("thrust_letup.csv", 14.0), ("thrust_side_posture.csv", 10.6)])
def test_a_flagged_let_up_is_whole_in_the_frame_drawn(qtbot, fixture, at):
    win, eng = thrust_tab_window(qtbot, *schemes())
    qtbot.wait(20)                               # (laid out before any thrust came)
    Feeder(eng, win, REPO / "fixtures" / fixture).until(at)
    shot = win.grab()                            # (as the screenshot command draws it: no wait)
    t = eng.thrusts[-1]
    assert t.letup
    panel = win.thrust_panel
    label = panel.values["let-up"]
    assert label.text() == f"{t.letup_n:.1f} N flagged"
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())      # not cut
    pops = panel.values["pops"]
    if pops.y() == label.y():                    # (side by side: the pops start after it)
        assert pops.x() >= label.x() + label.fontMetrics().horizontalAdvance(label.text())
    ARTIFACTS.mkdir(exist_ok=True)
    shot.save(str(ARTIFACTS / f"trainer_letup_whole_{fixture[:-4]}.png"))
