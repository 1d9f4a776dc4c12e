"""The HVLA tab shows when the newest thrust's pops came against its force: a tick over its curve
at each pop's moment from onset, so that pops before the peak, at it or after it, and how
spread they are, read at a glance beside the dotted line at the time to peak. The force plot's
10 s shows a thrust's pops as one marker and a count; the panel's words give the first pop only.

The thrust fixture with its sound: thrusts with 4, 1, 2, 0, 2 and 4 pops."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF


from .conftest import ARTIFACTS, thrust_pops_on_hvla_tab

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def ticks_px(plot) -> list[tuple[float, float]]:
    """Where each tick is drawn, in the plot's pixels (x right, y down)."""
    vb = plot.getPlotItem().getViewBox()
    x, y = plot.pop_ticks.getData()
    return [(p.x(), p.y()) for p in (vb.mapViewToScene(QPointF(float(a), float(b))) for a, b in zip(x, y))]


def curve_px(plot, x_ms: float) -> float:
    """The newest curve's height at ``x_ms``, in the plot's pixels (y down)."""
    cx, cy = plot.curves[-1].getData()
    ok = np.isfinite(cx) & np.isfinite(cy)
    v = float(np.interp(x_ms, cx[ok], cy[ok]))
    return plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x_ms, v)).y()


def test_each_pop_of_the_newest_thrust_is_a_tick_over_its_curve_at_its_moment(qtbot):
    thrusts, pops, win, eng, feed = thrust_pops_on_hvla_tab(qtbot, 0.05, frame_every=5)
    assert [sum(p.thrust == t.index for p in pops) for t in thrusts] == [4, 1, 2, 0, 2, 4]
    plot = win.thrust_panel.plot
    feed.until(thrusts[0].t_onset - 0.5)
    assert not plot.pop_ticks.isVisible() and plot.pops_at == []
    for t in thrusts:
        mine = sorted((p for p in pops if p.thrust == t.index), key=lambda p: p.t)
        feed.until(max([t.t_detect_s] + [p.t_detect_s for p in mine]) + 0.06)
        win.grab()                                            # (laid out and drawn)
        assert eng.thrusts[-1].t_onset == pytest.approx(t.t_onset)
        if not mine:                                          # the last thrust's ticks are gone
            assert not plot.pop_ticks.isVisible() and plot.pops_at == []
            continue
        assert plot.pop_ticks.isVisible()
        # one tick a pop, at its time from onset, not one for the lot
        xs = [x for x, _ in plot.pops_at]
        assert xs == pytest.approx([1000.0 * (p.t - t.t_onset) for p in mine], abs=1e-6)
        # near the peak (a pop belongs to the thrust whose peak is within 150 ms of it)
        assert all(abs(x - t.time_to_peak_ms) <= 150.0 for x in xs)
        px = ticks_px(plot)
        assert len(px) == len(mine)
        (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
        top_px = plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x0, y1)).y()
        for (x_ms, _), (_, y_px) in zip(plot.pops_at, px):
            # over the curve (its foot 3 px over it: y down), and inside the plot
            assert curve_px(plot, x_ms) - y_px >= 3 + 14 / 2 - 1
            assert y_px - 14 / 2 >= top_px - 1
        # pops 5 ms apart or more stay apart on the screen (the tick's pen is 2 px)
        dx = np.diff(sorted(x for x, _ in px))
        gaps_ms = np.diff(xs)
        assert all(d >= 2.0 for d, g in zip(dx, gaps_ms) if g >= 5.0)
    win.tabs.setCurrentWidget(win.thrust_panel)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_thrust_pop_ticks.png"))

    win.thrust_panel.clear()                                  # a new source: no thrust, no ticks
    assert not plot.pop_ticks.isVisible() and plot.pops_at == []
