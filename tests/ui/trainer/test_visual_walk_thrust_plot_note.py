"""The HVLA tab, in front while a trainee practises grades I–IV, says why its plot is empty
("no HVLA thrust yet"): until the first thrust it showed bare 0–700 N and -300–600 ms axes
over a row of dashes, while the movement diagram beside it said what it waits for."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _note_shown(win) -> bool:
    plot = win.thrust_panel.plot
    note = plot.note
    if not note.isVisible():
        return False
    plot.grab()                                    # (drawn: the text placed in the view)
    assert "no HVLA thrust yet" in note.textItem.toPlainText()
    assert plot.getPlotItem().getViewBox().sceneBoundingRect().contains(note.sceneBoundingRect())   # whole
    return True


@pytest.mark.parametrize("size", [(1366, 768), (911, 512)])
def test_the_empty_thrust_plot_says_why_until_a_thrust(qtbot, size):
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    feed = Feeder(eng, win, REPO / "fixtures" / "demo_mixed.csv")
    feed.until(30.0)                               # grades I to IV, no thrust yet
    qtbot.wait(20)
    assert eng.cycles and not eng.thrusts
    assert _note_shown(win)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_thrust_plot_empty_{size[0]}.png"))
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.0)     # a thrust
    assert eng.thrusts
    assert not _note_shown(win)
    win.thrust_panel.clear()                       # another source: nothing of the old one
    assert _note_shown(win)


def test_the_note_stays_in_the_middle_when_the_axis_is_of_millimetres(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.thrust_panel.plot.show_movement(True)      # (a worn IMU alone)
    qtbot.wait(20)
    assert _note_shown(win)
    assert abs(win.thrust_panel.plot.note.pos().y()) < 1.0      # (-5 … 5 mm)
