"""The trainer window cannot be made smaller than its layout works at. Resized to 800×480 the
HVLA corridor plot shrank to a strip (its force axis's title cut to "(N)", "no HVLA thrust yet"
drawn over the axis) and its numbers went to rows of two, a row more than the height had room
for; narrower still, the force plot was squeezed while the panels kept their width."""

from __future__ import annotations

import pytest

from .conftest import REPO, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot):
    from ui.trainer.engine import Engine
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, target=Target.parse("V"))
    qtbot.addWidget(win)
    win.show()
    win.audio_strip.setVisible(True)        # as with a microphone
    return win, eng


def _axis_title_whole(win) -> bool:
    plot = win.thrust_panel.plot
    return plot.getPlotItem().vb.height() >= plot.getAxis("left").label.boundingRect().width()


@pytest.mark.parametrize("thrust", [False, True])
def test_an_800_by_480_window_keeps_the_hvla_plot_and_numbers(qtbot, thrust):
    win, eng = _window(qtbot)
    win.resize(800, 480)
    qtbot.wait(50)
    if thrust:
        Feeder(eng, win, REPO / "fixtures" / "thrust_pops.csv").until(20.0)
        qtbot.wait(50)
    panel = win.thrust_panel
    assert _axis_title_whole(win), win.thrust_panel.plot.getPlotItem().vb.height()
    assert panel.columns == 3                               # rows of three, not two
    # each number's name, value and the pops line below the plot, none over another
    labels = [*panel.names.values(), *panel.values.values()]
    bottom = panel.plot.geometry().bottom()
    for label in labels:
        if label.isVisible():
            assert label.geometry().top() > bottom, label.text()
            assert label.height() >= label.fontMetrics().height(), label.text()
    # the window keeps its status line whole in height: nothing was pushed below the window
    assert win.statusBar().geometry().bottom() < win.height()
    assert (win.width(), win.height()) == (800, 480)       # all of it at the size asked for


def test_the_window_goes_no_narrower_than_its_panels_work_at(qtbot):
    win, eng = _window(qtbot)
    win.resize(400, 300)
    qtbot.wait(50)
    assert win.width() > 400
    assert win.force_plot.width() >= win.thrust_panel.width() - win.pacer.width()
    assert win.thrust_panel.columns == 3
    assert _axis_title_whole(win)
