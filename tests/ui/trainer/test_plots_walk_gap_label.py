"""A time with no data (the sensor away, samples dropped) is hatched grey and says "no data": it
was shaded a pale vermillion with no label, which read as the orange R1-R2 band."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import ARTIFACTS, REPO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def in_view(plot, text_item):
    """Where a text item is drawn, in the plot's units (seconds before now, N)."""
    return plot.getPlotItem().getViewBox().mapSceneToView(text_item.sceneBoundingRect()).boundingRect()

HOLES = ((6.0, 8.0), (9.3, 9.6))       # s of the recording with no samples: a wide and a narrow gap


def with_holes(tmp_path):
    lines = (REPO / "fixtures" / "lumbar_grade3.csv").read_text().splitlines()
    kept = [ln for ln in lines[1:] if not any(a < float(ln.split(",")[0]) < b for a, b in HOLES)]
    path = tmp_path / "holes.csv"
    path.write_text("\n".join([lines[0], *kept]) + "\n")
    return path


def test_a_gap_is_hatched_grey_and_says_no_data(qtbot, tmp_path):
    win, eng = target_window(qtbot, "III", size=(1366, 768))
    qtbot.waitUntil(lambda: win.width() == 1366)
    Feeder(eng, win, with_holes(tmp_path)).until(11.0)
    plot = win.force_plot
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_gap_no_data.png"))      # (drawn: the labels placed)
    (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    shown = [(r, label) for r, label in zip(plot.gap_items, plot.gap_labels) if r.isVisible()]
    assert len(shown) == 2
    bands = {b.brush.color().name() for b in (plot.band_r1, plot.band_r2, plot.band_target)}
    for (r, label), (a, b) in zip(shown, HOLES):
        assert r.getRegion() == pytest.approx((a - plot.t_now, b - plot.t_now), abs=0.01)
        hatch = r._hatch
        assert hatch.style() not in (Qt.BrushStyle.SolidPattern, Qt.BrushStyle.NoBrush)   # a pattern
        c = hatch.color()
        assert c.red() == c.green() == c.blue() and c.name() not in bands                 # grey, no band's
        assert label.isVisible() and label.textItem.toPlainText() == "no data"
        box = in_view(plot, label)
        assert x0 <= box.left() and box.right() <= x1 and y0 <= box.top() and box.bottom() <= y1
        assert box.left() < (a + b) / 2 - plot.t_now < box.right()                        # on its gap
    (wide, wide_label), (_, narrow_label) = shown
    assert wide_label.angle == 0 and narrow_label.angle == 90     # (upright where it does not fit across)
    box = in_view(plot, wide_label)
    lo, hi = wide.getRegion()
    assert lo <= box.left() and box.right() <= hi


def test_a_cycles_line_stops_at_a_gap_it_spans(tmp_path):
    """A finished cycle across a short gap (samples the recording skips, too few for the analysis
    to split the cycle): its coloured line stops at the gap, as the trace does (it was drawn
    straight across the hatching)."""
    import numpy as np

    from ui import cmd_screenshot
    from ui.cli import build_parser

    a, b = 9.5, 9.6
    lines = (REPO / "fixtures" / "lumbar_grade3.csv").read_text().splitlines()
    path = tmp_path / "short_hole.csv"
    path.write_text("\n".join([lines[0], *(ln for ln in lines[1:] if not a < float(ln.split(",")[0]) < b)]) + "\n")
    args = build_parser("screenshot").parse_args(["screenshot", "--replay", str(path), "--r1", "40", "--r2", "120",
                                                  "--target", "III", "--at", "11", "-o", str(tmp_path / "x.png")])
    win = cmd_screenshot.render(args)
    try:
        plot = win.force_plot
        assert [g for g in win.engine.gaps if g.t_start <= a + 0.01 and g.t_end >= b - 0.01]
        assert [c for c in win.engine.cycles if c.t_start < a and c.t_end > b]        # a cycle spans it
        x, y = plot.cycle_items["III"].getOriginalDataset()
        across = (x > a - 0.01 - plot.t_now) & (x < b + 0.01 - plot.t_now)
        assert across.any() and np.isnan(y[across]).any()
        ARTIFACTS.mkdir(exist_ok=True)
        win.grab().save(str(ARTIFACTS / "trainer_gap_cycle_line.png"))
    finally:
        win.close()


def test_a_gap_narrower_than_its_label_upright_does_not_say_it(qtbot):
    """The first frames after a sensor is lost: its gap a few pixels wide at the plot's right edge.
    Its label, upright, was cut by the edge (half its letters); it waits until it fits upright."""
    from ui.trainer.plots import gap_label, place_gap_label

    label = gap_label()
    tall = label.textItem.boundingRect().height()
    view = ((-10.0, 0.0), (0.0, 150.0), (750.0, 600.0))            # 75 px a second
    place_gap_label(label, -0.5 * tall / 75.0, 0.0, *view)          # half as wide as the label is tall
    assert not label.isVisible()
    place_gap_label(label, -2.0 * tall / 75.0, 0.0, *view)          # twice
    assert label.isVisible() and label.angle == 90
