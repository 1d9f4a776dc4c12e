"""The trainer reading the emulator over serial (``emulate`` + ``trainer --device serial:…``)
grades with the calibration the emulator reports, as documented and as ``record`` does; it
stayed 'not calibrated (press C)' because the calibration comes with the identify answer,
after the port is opened. A real pseudo-terminal."""

from __future__ import annotations

import pytest

from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("given", [None, Calibration("blue manikin", 30.0, 90.0)])
def test_the_serial_emulators_calibration_is_taken_unless_one_was_given(qtbot, tmp_path, given):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, speed=2)
    em.start()
    eng = Engine(GradingScheme(), ThrustScheme())
    worker = AcquisitionWorker(SerialSource(str(em.link)), eng)
    win = TrainerWindow(eng, worker, calibration=given, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    try:
        qtbot.waitUntil(lambda: win.frames >= 3, timeout=30_000)
        want = (40.0, 120.0) if given is None else (30.0, 90.0)
        assert (eng.scheme.r1_n, eng.scheme.r2_n) == want
        assert "not calibrated" not in win._status_text()
    finally:
        win.close()
        em.stop()
