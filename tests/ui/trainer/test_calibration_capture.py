"""Capturing R1 or R2 while the sensor is away takes nothing: the last second before the loss
is not what the hands hold now (it was captured as if it were)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog

from analysis.chunk import Chunk
from firmware_bridge.sources import Notice
from ui.trainer.dialogs import CalibrationWizard
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_capture_while_the_sensor_is_away_is_refused(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(CalibrationWizard, "exec", lambda dlg: opened.append(dlg) or QDialog.DialogCode.Rejected)
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    t = np.arange(2000) / 1000.0
    eng.feed(Chunk(t, 60.0 + 0.2 * np.sin(t), -1, "force", 1000.0))     # a steady 60 N press
    win.calibrate()
    assert opened[-1].capture("r1") == pytest.approx(60.0, abs=0.5)       # held now: taken

    eng.notice(Notice("disconnected", "serial:/dev/ttyACM0: connection lost", 2.0))
    win.calibrate()
    dlg = opened[-1]
    assert dlg.capture("r1") is None and "connected" in dlg.reason.text()
    assert dlg.r1.value() == 0.0
