"""The metronome (M) and microphone (A) items are ticked in the menu while on (nothing showed
whether they were); M without a target says there is no pacer yet and how to get one (it said
'visual pacer only' with no pacer shown)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot, target=None):
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    win = TrainerWindow(Engine(*schemes(), clock=lambda: 0.0), start_timer=False, target=target)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    return win


def test_m_without_a_target_does_not_promise_a_pacer(qtbot):
    win = _window(qtbot)
    click = win.actions_by_name["toggle_click"]
    assert click.isCheckable() and win.actions_by_name["toggle_microphone"].isCheckable()
    qtbot.keyClick(win, Qt.Key.Key_M)
    said = win.statusBar().currentMessage()
    assert not win.pacer.isVisibleTo(win)
    assert "visual pacer only" not in said and "press T" in said
    assert click.isChecked() is win.click_on              # ticked exactly when the click is on
    if win.click_on:                                      # (a machine with a sound output)
        qtbot.keyClick(win, Qt.Key.Key_M)
        assert not click.isChecked() and not win.click_on


def test_m_with_a_paced_target_and_no_sound_output_keeps_the_visual_pacer(qtbot):
    from ui.trainer.target import Target
    win = _window(qtbot, Target("III", "", 1.5))
    qtbot.keyClick(win, Qt.Key.Key_M)
    said = win.statusBar().currentMessage()
    assert win.pacer.isVisibleTo(win)
    assert win.actions_by_name["toggle_click"].isChecked() is win.click_on
    assert said == ("metronome click on" if win.click_on else said)
    assert win.click_on or said.endswith("visual pacer only")


def test_a_with_no_source_leaves_the_microphone_unticked(qtbot):
    win = _window(qtbot)
    qtbot.keyClick(win, Qt.Key.Key_A)
    assert not win.actions_by_name["toggle_microphone"].isChecked()
