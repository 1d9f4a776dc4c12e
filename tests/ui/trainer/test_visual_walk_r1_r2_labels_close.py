"""The R1 and R2 labels are both readable when their lines are close on the screen: a cervical
calibration (R1 20 N, R2 50 N) under a 1000 N side-posture thrust put the two lines 10 px apart
on a 911 × 512 window, and "R2" was drawn over "R1"; it now stands right of it there."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _rects(win) -> dict:
    plot = win.force_plot
    plot.grab()                                     # (drawn: the labels placed)
    box = plot.getPlotItem().getViewBox().sceneBoundingRect()
    rects = {}
    for name in ("R1", "R2"):
        label = plot.lines[name].label
        assert plot.lines[name].isVisible() and label.isVisible()
        rects[name] = label.sceneBoundingRect()
        assert box.contains(rects[name]), name
    return rects


@pytest.mark.parametrize("size", [(911, 512), (1366, 768)])
def test_close_lines_keep_their_labels_apart(qtbot, size):
    win, eng = thrust_tab_window(qtbot, *schemes(20.0, 50.0))
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    Feeder(eng, win, REPO / "fixtures" / "thrust_side_posture.csv").until(10.0)
    qtbot.wait(20)
    rects = _rects(win)
    assert not rects["R1"].intersects(rects["R2"])
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_r1_r2_close_{size[0]}.png"))


def test_lines_far_apart_keep_their_labels_one_above_the_other(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes(40.0, 120.0))
    Feeder(eng, win, REPO / "fixtures" / "lumbar_grade3.csv").until(10.0)
    qtbot.wait(20)
    rects = _rects(win)
    assert rects["R1"].left() == rects["R2"].left() and not rects["R1"].intersects(rects["R2"])
