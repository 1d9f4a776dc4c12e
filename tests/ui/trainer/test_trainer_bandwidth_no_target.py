"""The 'bandwidth' schedule with no target has nothing to be off of: the window shows each grade
and asks for a target. It showed '?' with 'on target' for every cycle."""

from __future__ import annotations

import pytest

from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_bandwidth_without_a_target_shows_the_grade_and_asks_for_one(qtbot):
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, feedback="bandwidth")
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win).until(26.6)                  # inside the demo's III set
    last = eng.cycles[-1]
    gp = win.grade_panel
    assert gp.grade.text() == last.grade + (last.modifier or "")
    assert "on target" not in gp.caption.text() and "press T" in gp.caption.text()
