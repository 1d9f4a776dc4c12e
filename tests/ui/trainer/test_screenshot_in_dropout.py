"""``screenshot --at`` at a time inside a long hole in a recording's data (a bare CSV with 30 s
without samples: replay says "gaps: 1 (dropout: 1), 30.0 s without data") shows that time as
the trainer showed it then: the plot scrolled on to it with the time without data shaded, and a
banner saying since when no data came. It showed the last samples before the hole as if they
were the newest, the grade as if live."""

from __future__ import annotations

import numpy as np
import pytest

from ui import cmd_screenshot
from ui.cli import build_parser

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

RATE_HZ = 200.0
HOLE = (10.0, 40.0)           # the last sample before the hole, the first after it


def _csv(path):
    t = np.arange(0.0, 20.0, 1 / RATE_HZ)
    t = np.where(t > HOLE[0], t + HOLE[1] - HOLE[0] - 1 / RATE_HZ, t)
    f = 50 + 30 * np.sin(2 * np.pi * 1.5 * t)
    path.write_text("t_s,force_n\n" + "".join(f"{a:.4f},{b:.3f}\n" for a, b in zip(t, f)), encoding="utf-8")
    return path


def _render(tmp_path, at_s: float):
    src = _csv(tmp_path / "hole.csv")
    args = build_parser("screenshot").parse_args(["screenshot", "--replay", str(src), "--r1", "40", "--r2", "120",
                                                  "--at", str(at_s), "-o", str(tmp_path / "x.png")])
    return cmd_screenshot.render(args)


def test_a_time_inside_a_hole_shows_the_time_without_data_growing(qtbot, tmp_path):
    win = _render(tmp_path, 25.0)
    try:
        plot = win.force_plot
        assert plot.t_now == pytest.approx(25.0, abs=0.06)          # it stood at 10.0 s
        shaded = [r.getRegion() for r in plot.gap_items if r.isVisible()]
        assert shaded == [pytest.approx((HOLE[0] - plot.t_now, 0.0), abs=0.06)]
        assert win.banner.isVisible()
        # (not "Sensor disconnected — reconnecting…": nothing is being reconnected in a recording)
        assert win.banner.text() == "No data in the recording from 10.0 s to 40.0 s (replay)"
        assert win.engine.away
    finally:
        win.close()


def test_a_time_after_the_hole_is_drawn_as_before(qtbot, tmp_path):
    win = _render(tmp_path, 45.0)
    try:
        assert not win.banner.isVisible() and not win.engine.away
        assert win.force_plot.t_now == pytest.approx(45.0, abs=0.06)
    finally:
        win.close()
