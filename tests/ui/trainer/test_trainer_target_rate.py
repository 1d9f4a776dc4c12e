"""The target dialog takes the rates the command line does (up to 10 Hz): OK on a target of
8 Hz keeps 8 Hz. Its box stopped at 5, so OK silently lowered the pacer to 5 Hz."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.trainer.engine import Engine
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

from .conftest import schemes, when_a_dialog_opens

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("rate", [8.0, 10.0])
def test_ok_in_the_target_dialog_keeps_a_fast_rate(qtbot, rate):
    win = TrainerWindow(Engine(*schemes(), clock=lambda: 0.0), start_timer=False, target=Target.parse("III", rate))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    when_a_dialog_opens(lambda dlg: dlg.accept())
    qtbot.keyClick(win, Qt.Key.Key_T)
    assert win.target.rate_hz == rate and win.pacer.rate_hz == rate
