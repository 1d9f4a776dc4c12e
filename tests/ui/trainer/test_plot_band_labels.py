"""The target's label and R1's (or R2's) are both readable: with target I or II the target
line is at R1, and "target" was written over "R1"."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, DEMO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
@pytest.mark.parametrize("text", ["II", "I", "IV--", "III++"])
def test_the_labels_do_not_overlap(qtbot, text, size):
    win, eng = target_window(qtbot, text, size)
    Feeder(eng, win, DEMO).until(22.0)
    qtbot.wait(20)
    lines = win.force_plot.lines
    rects = {}
    for name in ("R1", "R2", "target"):
        label = lines[name].label
        assert lines[name].isVisible() and label.isVisible() and label.textItem.toPlainText() == name
        rects[name] = label.sceneBoundingRect()
        assert win.force_plot.getPlotItem().getViewBox().sceneBoundingRect().contains(rects[name])
    assert not rects["target"].intersects(rects["R1"]) and not rects["target"].intersects(rects["R2"])
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_band_labels_{text}_{size[0]}.png"))
