"""After a gap (the sensor away), the force line stops at the gap and starts again after it, as
the review draws it; a straight line joined the last force before the gap to the first after."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

GAP = (6.0, 10.0)       # s of the recording with no samples


def _with_a_hole(tmp_path):
    lines = (REPO / "fixtures" / "lumbar_grade3.csv").read_text().splitlines()
    kept = [ln for ln in lines[1:] if not GAP[0] < float(ln.split(",")[0]) < GAP[1]]
    path = tmp_path / "hole.csv"
    path.write_text("\n".join([lines[0], *kept]) + "\n")
    return path


def _line_pixels_across(plot, t_s: float) -> int:
    """Pixels of the plot's column at time ``t_s`` that its lines (the trace and the cycles)
    change: the column drawn with and without them."""
    vb = plot.getPlotItem().getViewBox()
    x = int(round(plot.mapFromScene(vb.mapViewToScene(_point(t_s - plot.t_now, 0.0))).x()))
    top = int(plot.mapFromScene(vb.sceneBoundingRect().topLeft()).y()) + 2
    bottom = int(plot.mapFromScene(vb.sceneBoundingRect().bottomLeft()).y()) - 2
    lines = [plot.trace, *plot.cycle_items.values()]
    with_lines = plot.grab().toImage()
    for item in lines:
        item.hide()
    without = plot.grab().toImage()
    for item in lines:
        item.show()
    return sum(with_lines.pixelColor(x, yy) != without.pixelColor(x, yy) for yy in range(top, bottom))


def _point(x, y):
    from PySide6.QtCore import QPointF
    return QPointF(x, y)


def test_the_line_breaks_at_a_gap(qtbot, tmp_path):
    path = _with_a_hole(tmp_path)
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, path).until(12.0)
    plot = win.force_plot
    assert [g for g in eng.gaps if g.t_start <= GAP[0] + 0.01 and g.t_end >= GAP[1] - 0.01]   # a gap, shaded
    x, y = plot.trace.getData()
    across = (x > GAP[0] - 0.01 - plot.t_now) & (x < GAP[1] + 0.01 - plot.t_now)
    assert np.isnan(y[across]).any()                           # a break between the two sides
    assert _line_pixels_across(plot, 0.5 * (GAP[0] + GAP[1])) == 0      # (a line across it was drawn)
    assert _line_pixels_across(plot, GAP[1] + 1.2) > 0                  # (the trace itself is seen)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_gap_line.png"))
