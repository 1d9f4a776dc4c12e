"""The trainer started on a serial port another program holds (a recording of it, a probe) says
so in its banner and opens the port once it is free; it stayed refused ("port busy … stop it
first") until the trainer was started again."""

from __future__ import annotations

import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource

from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_busy_port_is_opened_once_free(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "held.pty", "grade3", 500)
    em.start()
    holder = SerialSource(str(em.link))
    win = None
    try:
        holder.open()
        win, eng = built_trainer(qtbot, tmp_path, "--device", f"serial:{em.link}")
        win.worker.start()
        qtbot.waitUntil(lambda: eng.error is not None, timeout=20_000)
        assert "port busy" in eng.error and eng.error.endswith("it is opened once free")
        qtbot.waitUntil(lambda: win.banner.isVisible() and "port busy" in win.banner.text(), timeout=10_000)
        holder.close()                                  # the other program lets it go
        qtbot.waitUntil(lambda: (eng.force.last_t or 0.0) > 0.5, timeout=30_000)
        assert eng.error is None
        qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=10_000)
    finally:
        if win is not None:
            win.close()
        holder.close()
        em.stop()
