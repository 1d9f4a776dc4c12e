"""Fast cycles (3.27 Hz, fixtures/fast_grade3.csv) in a 10 s window at 1024 px: each cycle's up
and down strokes stay apart, background between them, so the waveform reads; the 2 px line on
its 1 px outline merged them into filled bars. Slower cycles (the demo's 1.5-2.5 Hz at 1366 px)
keep the outlined line."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from .conftest import DEMO, REPO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _across(plot, force_n: float) -> tuple[int, float]:
    """How many separate runs of drawn pixels a row at ``force_n`` meets (the raw trace hidden),
    and the share of drawn pixels from the first to the last."""
    vb = plot.getPlotItem().getViewBox()
    y_px = int(round(plot.mapFromScene(vb.mapViewToScene(QPointF(0.0, force_n))).y()))
    box = plot.mapFromScene(vb.sceneBoundingRect()).boundingRect()
    plot.trace.hide()
    with_cycles = plot.grab().toImage()
    for item in plot.cycle_items.values():
        item.hide()
    without = plot.grab().toImage()
    for item in (plot.trace, *plot.cycle_items.values()):
        item.show()
    drawn = np.array([with_cycles.pixelColor(x, y_px) != without.pixelColor(x, y_px)
                      for x in range(box.left() + 2, box.right() - 2)])
    xs = np.flatnonzero(drawn)
    return int(np.count_nonzero(drawn[1:] & ~drawn[:-1]) + drawn[0]), float(drawn[xs[0]:xs[-1] + 1].mean())


def test_fast_cycles_keep_their_strokes_apart_at_1024_px(qtbot):
    win, eng = target_window(qtbot, "III", (1024, 600))
    Feeder(eng, win, REPO / "fixtures" / "fast_grade3.csv").until(8.0)
    n = len([c for c in eng.cycles if c.t_end >= 8.0 - win.force_plot.window_s])
    assert n >= 10
    # each cycle crosses 50 N going up and coming down: two strokes, apart
    runs, ink = _across(win.force_plot, 50.0)
    assert runs >= 2 * n - 2
    # mostly background between the strokes (the outlined lines covered 57 % of the row)
    assert ink < 0.35


def test_slow_cycles_keep_the_outlined_line(qtbot):
    win, eng = target_window(qtbot, "III", (1366, 768))
    Feeder(eng, win, DEMO).until(28.0)
    assert win.force_plot.drawn["grades"]
    assert win.force_plot.thin_cycles is False
