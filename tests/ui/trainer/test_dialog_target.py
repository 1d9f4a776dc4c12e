"""The target dialog (key T) lets set only what the chosen grade uses: the modifier for III and
IV, the pacer rate for I–IV, the corridors for V (the rest stayed enabled and was silently
dropped); a peak corridor below the preload is refused with a reason in the dialog (50–90 N
under a 100–160 N preload was taken)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from .conftest import schemes, when_a_dialog_opens

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot):
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    win = TrainerWindow(Engine(*schemes(), clock=lambda: 0.0), start_timer=False)
    qtbot.addWidget(win)
    win.show()
    return win


def _press_t(qtbot, win):
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_T)


@pytest.mark.parametrize("grade,modifier,rate,corridors", [
    ("I", False, True, False), ("II", False, True, False), ("III", True, True, False),
    ("IV", True, True, False), ("V (HVLA)", False, False, True)])
def test_only_what_the_grade_uses_can_be_set(qtbot, grade, modifier, rate, corridors):
    from ui.trainer.dialogs import TargetDialog
    dlg = TargetDialog()
    qtbot.addWidget(dlg)
    dlg.grade.setCurrentText(grade)
    assert dlg.modifier.isEnabled() is modifier and dlg.rate.isEnabled() is rate
    assert all(b.isEnabled() is corridors for b in (dlg.pre_lo, dlg.pre_hi, dlg.peak_lo, dlg.peak_hi))


def test_a_peak_corridor_below_the_preload_is_refused(qtbot):
    win = _window(qtbot)
    seen = {}

    def answer(dlg):
        dlg.grade.setCurrentText("V (HVLA)")
        dlg.pre_lo.setValue(100.0)
        dlg.pre_hi.setValue(160.0)
        dlg.peak_lo.setValue(50.0)
        dlg.peak_hi.setValue(90.0)
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()
        seen["open"], seen["reason"] = dlg.isVisible(), dlg.reason.text()
        dlg.peak_lo.setValue(400.0)
        dlg.peak_hi.setValue(650.0)
        ok.click()
        seen["then"] = dlg.isVisible()

    when_a_dialog_opens(answer)
    _press_t(qtbot, win)
    qtbot.waitUntil(lambda: "then" in seen, timeout=10_000)
    assert seen["open"]
    assert "peak corridor (50–90 N) must lie above the preload corridor (100–160 N)" in seen["reason"]
    assert not seen["then"] and win.target.peak_n == (400.0, 650.0) and win.target.preload_n == (100.0, 160.0)
