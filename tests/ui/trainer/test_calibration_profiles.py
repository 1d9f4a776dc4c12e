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


def _broken_profiles():
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(BROKEN)
    return path


def _calibrate(qtbot, monkeypatch, exec_):
    """C pressed in a trainer window whose wizard runs ``exec_`` instead of waiting for a user."""
    monkeypatch.setattr(CalibrationWizard, "exec", exec_)
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.calibrate()
    return win, eng


def _type_red_manikin(dlg):
    dlg.name.setText("red manikin")
    dlg.r1.setValue(30.0)
    dlg.r2.setValue(90.0)
    dlg.accept()


def test_c_opens_the_wizard_naming_a_broken_profiles_file(qtbot, monkeypatch):
    path = _broken_profiles()
    opened = []

    def exec_(dlg):
        opened.append(dlg)
        return QDialog.DialogCode.Rejected

    _, eng = _calibrate(qtbot, monkeypatch, exec_)
    (dlg,) = opened
    assert str(path) in dlg.reason.text() and "not valid JSON" in dlg.reason.text()
    assert eng.error is None
    _type_red_manikin(dlg)
    # used for practice now, not saved (it could never be applied while the file was broken)
    assert (dlg.calibration.r1_n, dlg.calibration.r2_n) == (30.0, 90.0) and dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.not_saved.startswith("calibration red manikin used but not saved: ") and str(path) in dlg.not_saved
    assert path.read_bytes() == BROKEN


def test_a_calibration_that_cannot_be_saved_is_still_used_and_the_window_says_so(qtbot, monkeypatch):
    path = _broken_profiles()

    def exec_(dlg):                            # the user types R1 and R2 and presses OK
        _type_red_manikin(dlg)
        return dlg.result()

    win, _ = _calibrate(qtbot, monkeypatch, exec_)
    assert (win.calibration.r1_n, win.calibration.r2_n) == (30.0, 90.0)
    assert win.statusBar().currentMessage().startswith("calibration red manikin used but not saved: ")
    assert path.read_bytes() == BROKEN
