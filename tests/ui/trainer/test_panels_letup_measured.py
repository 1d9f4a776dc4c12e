"""The HVLA thrust readout gives the let-up as measured: one below the flag read "none" (replay's
JSON said 4.3 N), and now reads its figure and "none" ("4.3 N: none", in tenths as replay gives
it); a flagged one has "flagged" after its figure, in the alert colour, not cut however wide the window was when it came."""

from __future__ import annotations

import pytest

from ui.trainer.palette import ALERT

from .conftest import REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_unflagged_let_up_reads_as_measured(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.0)
    assert len(eng.thrusts) == 1
    t = eng.thrusts[-1]
    assert not t.letup and t.letup_n >= 0.5                 # measured, under the flag
    label = win.thrust_panel.values["let-up"]
    assert label.text() == f"{t.letup_n:.1f} N: none"
    assert ALERT not in label.styleSheet()


@pytest.mark.parametrize("width,height", [(911, 512), (1100, 700)])
def test_a_flagged_let_up_says_so_after_its_figure(qtbot, width, height):
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.resize(width, height)                    # (laid out before the thrust came)
    qtbot.waitUntil(lambda: win.width() == width)
    Feeder(eng, win, REPO / "fixtures" / "thrust_letup.csv").until(4.5)
    assert len(eng.thrusts) == 1
    t = eng.thrusts[-1]
    assert t.letup
    label = win.thrust_panel.values["let-up"]
    qtbot.wait(20)
    assert label.text() == f"{t.letup_n:.1f} N flagged"
    assert ALERT in label.styleSheet()
    assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())      # not cut
