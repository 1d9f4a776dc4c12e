"""The HVLA plot's force axis in a 911×512 window (1366×768 at 150 %), where the plot is a few
tens of pixels high at the window's least height: its labels do not overlap (0, 200, 400 and 600
were drawn over each other), and a larger window keeps its labels as before."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter

from .conftest import REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _labels(plot) -> list:
    axis = plot.getAxis("left")
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        _, _, texts = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [(rect, text) for rect, _, text in texts]


@pytest.mark.parametrize(("size", "shortest", "at_least"), [((911, 512), True, 1), ((1366, 768), True, 2),
                                                            ((1366, 768), False, 4)])
def test_the_thrust_axis_labels_never_overlap(qtbot, size, shortest, at_least):
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    Feeder(eng, win, REPO / "fixtures" / "thrust_pops.csv").until(8.0)
    if shortest:
        win.resize(size[0], win.minimumSizeHint().height())     # as short as the window goes
        qtbot.wait(50)
    labels = _labels(win.thrust_panel.plot)
    assert len(labels) >= at_least
    for i, (a, ta) in enumerate(labels):
        for b, tb in labels[i + 1:]:
            assert not a.intersects(b), (ta, tb)
