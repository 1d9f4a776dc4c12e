"""The trainer on a serial port another program holds waits for it: the banner says the port is
opened once free, and the grade panel says it waits for the port, where it said "source
unavailable: S chooses another" beside that banner (as if the source were given up). A source
that cannot be opened at all still says "source unavailable"."""

from __future__ import annotations

import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource

from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_busy_port_is_waited_for_in_the_grade_panel(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "held.pty", "grade3", 500)
    em.start()
    holder = SerialSource(str(em.link))
    win = None
    try:
        holder.open()
        win, eng = built_trainer(qtbot, tmp_path, "--device", f"serial:{em.link}")
        win.worker.start()
        qtbot.waitUntil(lambda: eng.error is not None, timeout=20_000)
        win.refresh()
        assert win.banner.isVisible() and "it is opened once free" in win.banner.text()
        said = win.grade_panel._said
        assert said == "waiting for the port to be free", said
        holder.close()                                  # the other program lets it go
        qtbot.waitUntil(lambda: (eng.force.last_t or 0.0) > 0.5, timeout=30_000)
        win.refresh()
        assert "port" not in win.grade_panel._said and "unavailable" not in win.grade_panel._said
    finally:
        if win is not None:
            win.close()
        holder.close()
        em.stop()


def test_a_source_not_opened_is_still_unavailable(qtbot, tmp_path):
    win, eng = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3")
    eng.fail("serial:/dev/ttyUSB7: no such port")
    win.refresh()
    assert win.grade_panel._said == "source unavailable: S chooses another"
