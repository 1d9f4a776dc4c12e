"""C with a profiles file that cannot be read (hand-edited, half-written by another program):
the wizard still opens and says which file, instead of an 'internal error' banner and no
wizard; values can be captured or typed and are used, and the broken file is not overwritten."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from ui.trainer.dialogs import CalibrationWizard
from ui.trainer.engine import Engine
from ui.trainer.profiles import profiles_path
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BROKEN = b'{"profiles": {"blue manikin": {"r1_n": 40, "r2_n": 120}'


def test_c_opens_the_wizard_naming_a_broken_profiles_file(qtbot, monkeypatch):
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(BROKEN)
    opened = []

    def exec_(dlg):
        opened.append(dlg)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(CalibrationWizard, "exec", exec_)
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.calibrate()
    (dlg,) = opened
    assert str(path) in dlg.reason.text() and "not valid JSON" in dlg.reason.text()
    assert eng.error is None
    dlg.name.setText("red manikin")
    dlg.r1.setValue(30.0)
    dlg.r2.setValue(90.0)
    dlg.accept()
    # used for practice now, not saved (it could never be applied while the file was broken)
    assert (dlg.calibration.r1_n, dlg.calibration.r2_n) == (30.0, 90.0) and dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.not_saved.startswith("calibration red manikin used but not saved: ") and str(path) in dlg.not_saved
    assert path.read_bytes() == BROKEN


def test_a_calibration_that_cannot_be_saved_is_still_used_and_the_window_says_so(qtbot, monkeypatch):
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(BROKEN)

    def exec_(dlg):                            # the user types R1 and R2 and presses OK
        dlg.name.setText("red manikin")
        dlg.r1.setValue(30.0)
        dlg.r2.setValue(90.0)
        dlg.accept()
        return dlg.result()

    monkeypatch.setattr(CalibrationWizard, "exec", exec_)
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.calibrate()
    assert (win.calibration.r1_n, win.calibration.r2_n) == (30.0, 90.0)
    assert win.statusBar().currentMessage().startswith("calibration red manikin used but not saved: ")
    assert path.read_bytes() == BROKEN
