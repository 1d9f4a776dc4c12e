"""The source list (key S) offers every emulator scenario, as docs/trainer.md lists them; it
offered mixed, grade3 and hvla only (no grade1, grade2 or grade4)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from firmware_bridge.scenarios import SCENARIOS

from .conftest import REPO, schemes, when_a_dialog_opens

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_every_emulator_scenario_is_offered_as_the_docs_list_them(qtbot):
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    win = TrainerWindow(Engine(*schemes(), clock=lambda: 0.0), start_timer=False)
    qtbot.addWidget(win)
    win.show()
    offered = []

    def answer(dlg):
        box = dlg.findChild(QComboBox)
        offered.extend(box.itemText(i) for i in range(box.count()))
        dlg.reject()

    when_a_dialog_opens(answer)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: bool(offered), timeout=10_000)
    emulated = {s.split(":", 1)[1] for s in offered if s.startswith("emulator:")}
    assert emulated == set(SCENARIOS) and offered[0] == "emulator:mixed"
    docs = (REPO / "docs" / "trainer.md").read_text(encoding="utf-8")
    listed = re.search(r"`emulator:([a-z0-9|+-]+)\[@HZ\]`", docs).group(1).split("|")
    assert set(listed) == set(SCENARIOS)
