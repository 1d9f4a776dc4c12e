"""While the sensor is away the force plot goes on scrolling: the time since it was lost grows as a
hatched "no data" span at the plot's right edge, and the trace keeps its place to the left of it.
The plot stood still on the last sample until data came again, as if time had stopped."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.sources import Notice
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from ._scroll_chunks import chunk, shaded
from .conftest import ARTIFACTS, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_plot_scrolls_on_while_the_sensor_is_away(qtbot, tmp_path):
    now = [100.0]
    eng = Engine(*schemes(), clock=lambda: now[0])
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    eng.feed(chunk(0.0, 5.0))
    eng.notice(Notice("disconnected", "serial:x: connection lost"))
    win.refresh()
    plot = win.force_plot
    assert plot.t_now == pytest.approx(5.0, abs=0.002)
    now[0] += 3.0                                      # three seconds without a sample
    win.refresh()
    assert plot.t_now == pytest.approx(8.0, abs=0.002)
    assert shaded(plot) == [(-3.0, 0.0)]               # the time away, up to the right edge
    label = plot.gap_labels[0]
    assert label.isVisible() and label.textItem.toPlainText() == "no data"
    # the trace's last sample stands 3 s in from the edge, where the loss began
    x, _ = plot.trace.getOriginalDataset()
    assert np.nanmax(x) == pytest.approx(-3.0, abs=0.01)
    now[0] += 2.0
    win.refresh()
    assert plot.t_now == pytest.approx(10.0, abs=0.002) and shaded(plot) == [(-5.0, 0.0)]
    # a microphone's sound, on the same timeline, come further than the clock says: the plot
    # follows it, the hatched time up to it
    t = np.arange(5.0, 11.0, 1 / 8000)
    eng.feed(Chunk(t, (0.01 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 0, "audio", 8000.0))
    win.refresh()
    assert plot.t_now == pytest.approx(11.0, abs=0.002) and shaded(plot) == [(-6.0, 0.0)]
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_sensor_away.png"))     # to look at
    # back: the data from 10.5 s on end the gap where they begin, and the plot follows them
    eng.notice(Notice("reconnected", "serial:x: back"))
    eng.feed(chunk(10.5, 12.0))
    win.refresh()
    assert [(round(g.t_start, 2), round(g.t_end, 2)) for g in eng.gaps] == [(5.0, 10.5)]
    assert plot.t_now == pytest.approx(12.0, abs=0.002)
    assert shaded(plot) == [(-7.0, -1.5)]
