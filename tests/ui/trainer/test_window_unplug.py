"""A serial sensor unplugged and plugged back, as the trainer shows it (the emulator on a real
pseudo-terminal): the samples it did not send while away are the gap marked 'disconnected', not
'dropped' in the status line (it read 'dropped 5110' after a reconnect); the banner says in
one short line that the sensor is away and is being looked for, the serial library's words in
its tooltip (they ran over three lines); the grade panel greys the last grade and says it is the
last before the sensor was lost (it stayed as if current)."""

from __future__ import annotations

import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from ui.trainer.engine import Engine

from .conftest import live_window, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

AWAY_SAMPLES = 1500          # 1.5 s at 1 kHz


@pytest.fixture
def unplugged(qtbot, tmp_path):
    """A trainer on an emulated serial sensor, grading; ``unplug()`` takes the sensor away until
    it has missed :data:`AWAY_SAMPLES`, ``replug()`` brings it back until its data flows again."""
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    win, eng, worker = live_window(qtbot, tmp_path, SerialSource(str(em.link)), Engine(*schemes()))
    worker.start()

    class Steps:
        def unplug(self):
            em.unplug()
            qtbot.waitUntil(lambda: eng.disconnected is not None, timeout=30_000)
            away_from = em.sent
            qtbot.waitUntil(lambda: em.sent >= away_from + AWAY_SAMPLES, timeout=30_000)
            win.refresh()

        def replug(self):
            em.open_pty()
            qtbot.waitUntil(lambda: eng.disconnected is None, timeout=30_000)
            back_at = eng.force.last_t
            qtbot.waitUntil(lambda: eng.force.last_t > back_at + 1.0, timeout=30_000)
            win.refresh()

    try:
        qtbot.waitUntil(lambda: len(eng.cycles) >= 2, timeout=30_000)
        win.refresh()
        yield win, eng, Steps()
    finally:
        win.close()
        em.stop()


def test_the_time_away_is_not_counted_as_dropped_samples(unplugged):
    win, eng, steps = unplugged
    steps.unplug()
    steps.replug()
    # (on a busy machine the in-process emulator may drop a frame of its own: a few samples)
    assert eng.dropped < 100, eng.dropped
    assert f"dropped {eng.dropped}" in win.status.text()
    assert [g.reason for g in eng.gaps].count("disconnected") == 1


def test_the_banner_says_plainly_that_the_sensor_is_away(unplugged):
    win, eng, steps = unplugged
    steps.unplug()
    port = win.worker.source.spec.split(":", 1)[1]
    assert win.banner.isVisible()
    assert win.banner.text() == f"Sensor disconnected ({port}) — reconnecting…"
    assert "connection lost" in win.banner.toolTip()
    steps.replug()
    assert not win.banner.isVisible()


def test_the_last_grade_is_greyed_while_the_sensor_is_away(unplugged):
    from ui.trainer.panels import HIDDEN_COLOUR, LOST_NOTE
    win, eng, steps = unplugged
    panel = win.grade_panel
    grade = panel.grade.text()
    assert grade.startswith("III") and HIDDEN_COLOUR not in panel.grade.styleSheet()
    steps.unplug()
    assert panel.grade.text() == grade and HIDDEN_COLOUR in panel.grade.styleSheet()
    assert panel.caption.text() == LOST_NOTE
    assert all(HIDDEN_COLOUR in v.styleSheet() for v in panel.values.values())
    steps.replug()
    assert panel.caption.text() != LOST_NOTE and HIDDEN_COLOUR not in panel.grade.styleSheet()
    assert not any(v.styleSheet() for v in panel.values.values())
