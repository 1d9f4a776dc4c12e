"""A serial sensor plugged back says so before its first samples come (its first second is held
back while its clock settles), with the time its gap ends. Until those samples come the plot goes
on scrolling, the time since the loss still hatched 'no data' up to its right edge, and the grade
stays greyed as the last before the sensor was lost. The plot jumped back to the last sample
before the loss, the hatching went, and the grade looked live for about a second."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import Notice
from ui.trainer.engine import Engine
from ui.trainer.panels import HIDDEN_COLOUR, LOST_NOTE
from ui.trainer.window import TrainerWindow

from .conftest import ARTIFACTS, schemes
from ._scroll_chunks import chunk, shaded

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def greyed(win) -> bool:
    p = win.grade_panel
    return HIDDEN_COLOUR in p.grade.styleSheet() and p.caption.text() == LOST_NOTE


def test_a_replugged_sensor_stays_away_on_screen_until_its_data_come(qtbot):
    now = [100.0]
    eng = Engine(*schemes(), clock=lambda: now[0])
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    eng.feed(chunk(0.0, 5.0))
    win.refresh()
    assert eng.cycles and not greyed(win)
    # the serial source's notices: lost at its last sample, back 3 s later with the gap's end
    eng.notice(Notice("disconnected", "serial:x: connection lost (unplugged), reconnecting", 5.0))
    now[0] += 3.0
    win.refresh()
    plot, shown = win.force_plot, [win.force_plot.t_now]
    assert greyed(win) and shaded(plot) == [(-3.0, 0.0)]
    eng.notice(Notice("reconnected", "serial:x: back on /dev/ttyUSB0", 5.0, 8.0))
    for _ in range(4):                                   # its first second held back: no data yet
        now[0] += 0.25
        win.refresh()
        shown.append(plot.t_now)
        assert plot.t_now >= shown[-2]                   # never back in time
        assert shaded(plot) == [(round(5.0 - plot.t_now, 2), 0.0)]     # hatched up to now
        assert greyed(win)
        # the banner says it is back and waited for (it said nothing: the grey alone)
        assert win.banner.isVisible() and win.banner.text().startswith("Sensor back") and win.banner.text().endswith(" — waiting for its data…")
    assert plot.t_now == pytest.approx(9.0, abs=0.002)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_replugged_before_data.png"))     # to look at
    # the held second comes (a little short of the clock's time): the gap ends where the source
    # said, the plot does not step back, and the grade is live again
    eng.feed(chunk(8.0, 8.99))
    win.refresh()
    assert [(round(g.t_start, 2), round(g.t_end, 2)) for g in eng.gaps] == [(5.0, 8.0)]
    assert plot.t_now >= shown[-1]
    assert not greyed(win) and not win.banner.isVisible()
    eng.feed(chunk(8.99, 10.0))
    win.refresh()
    assert plot.t_now == pytest.approx(10.0, abs=0.002) and shaded(plot) == [(-5.0, -2.0)]
