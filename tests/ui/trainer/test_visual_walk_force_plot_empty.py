"""The force plot says when it has no force to draw: a recording of sound alone showed bare
0-50 N axes with its pops along their top, and nothing said why the plot stayed empty."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _note(win) -> str:
    plot = win.force_plot
    plot.grab()                                      # (drawn: the text placed in the view)
    if not plot.note.isVisible():
        return ""
    assert plot.getPlotItem().getViewBox().sceneBoundingRect().contains(plot.note.sceneBoundingRect())
    return plot.note.toPlainText()


def test_sound_alone_the_force_plot_says_it_has_no_force(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, REPO / "fixtures" / "thrust_pops.flac").until(20.0)
    qtbot.wait(20)
    assert eng.pops and eng.force.last_t is None
    assert win.force_plot.drawn["pops"] >= 1               # (its pops are drawn ...)
    assert _note(win) == "no force data"                  # (... and why there is nothing else)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_sound_alone_force_plot.png"))


def test_with_force_to_draw_the_plot_says_nothing(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, REPO / "fixtures" / "lumbar_grade3.csv").until(6.0)
    qtbot.wait(20)
    assert _note(win) == ""
