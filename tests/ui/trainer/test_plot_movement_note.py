"""The Movement diagram tab says in its plot what it needs (a worn IMU with the force sensor)
until a cycle has both; it was an empty 0-1 N by 0-1 mm plot with nothing said."""

from __future__ import annotations

import numpy as np
import pytest

from ui.cli import main
from ui.trainer.thrust_plots import MOVEMENT_NOTE

from .conftest import ARTIFACTS, DEMO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _note_in_view(plot) -> bool:
    vb = plot.getPlotItem().getViewBox()
    return plot.note.isVisible() and vb.sceneBoundingRect().contains(plot.note.sceneBoundingRect())


def test_force_alone_says_the_diagram_needs_an_imu(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.tabs.setCurrentWidget(win.movement)
    Feeder(eng, win, DEMO).until(30.0)
    assert eng.cycles and not any(c.loop for c in eng.cycles)
    assert "Needs a worn IMU" in win.movement.note.textItem.toPlainText() == MOVEMENT_NOTE
    assert not win.movement.getPlotItem().getAxis("left").style["showValues"]       # (0-1 N of nothing)
    win.grab()
    assert _note_in_view(win.movement)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_movement_note.png"))


def test_force_and_an_imu_draw_the_loops_without_the_note(qtbot, tmp_path):
    out = tmp_path / "imu_grade3.csv"
    assert main(["simulate", "--grade", "III", "--cycles", "6", "--imu", "200", "--seed", "3",
                 "-o", str(out)]) == 0
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.tabs.setCurrentWidget(win.movement)
    Feeder(eng, win, out).until(1e9)
    assert not win.movement.note.isVisible() and win.movement.getPlotItem().getAxis("left").style["showValues"]
    x, y = win.movement.curves[-1].getOriginalDataset()
    win.grab().save(str(ARTIFACTS / "trainer_movement_loops.png"))     # (drawn: the view fits the loops)
    (x0, x1), (y0, y1) = win.movement.getPlotItem().getViewBox().viewRange()
    assert x0 <= np.min(x) and np.max(x) <= x1 and y0 <= np.min(y) and np.max(y) <= y1    # the loop in view
    win.movement.update_loops([])                 # a new source: nothing drawn, the note again
    win.grab()
    assert _note_in_view(win.movement)
