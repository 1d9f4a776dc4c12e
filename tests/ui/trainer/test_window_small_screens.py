"""The trainer fits a small screen: 1024×600 at 100 % with the microphone strip, and 1366×768 at
150 % (911×512 logical pixels). The grade panel's letters held it at least 256 px tall (the
window could not be shorter than 491 px, 595 with the audio strip), and the thrust readout's row
of six numbers was cut ('151 I', '3.9 kl') when its panel was narrow: it now takes rows of
three, and the grade's letters shrink with their panel."""

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


@pytest.mark.parametrize("width,screen_h", [(1024, 600), (911, 512)])
def test_the_window_fits_a_small_screen_with_the_microphone_strip(qtbot, width, screen_h):
    win, eng = _window(qtbot)
    win.resize(width, 200)                  # as short as it will go
    qtbot.wait(50)
    # room left for a title bar and a task bar
    assert win.height() <= screen_h - 40, f"{win.height()} px tall at its shortest"


def test_thrust_numbers_are_not_cut_on_a_150_percent_laptop(qtbot):
    win, eng = _window(qtbot)
    win.resize(911, 512)
    qtbot.waitUntil(lambda: win.width() == 911)
    Feeder(eng, win, REPO / "fixtures" / "thrust_pops.csv").until(29.0)
    qtbot.wait(50)
    assert win.height() == 512
    panel = win.thrust_panel
    assert panel.values["rate"].text().endswith("kN/s") and panel.values["preload"].text().endswith(" N")
    for k, label in panel.values.items():
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()), (k, label.text())
    assert panel.plot.height() >= 90           # the corridor plot is still a plot
    assert win.force_plot.width() >= 0.55 * win.width()
    assert win.grade_panel.grade.font().pixelSize() >= 40      # V still readable across the room


def test_a_screenshot_of_a_narrow_window_does_not_cut_the_thrust_numbers(qtbot, tmp_path):
    """The screenshot command draws without an event loop: the rows of three, and the grade panel
    with the grade's new size, are laid out at once."""
    from ui.cli import build_parser
    from ui.cmd_screenshot import render
    args = build_parser("screenshot").parse_args(
        ["screenshot", "--replay", str(REPO / "fixtures" / "thrust_pops.csv"), "--at", "29", "--r1", "40",
         "--r2", "120", "--target", "V", "--size", "911x512", "-o", str(tmp_path / "x.png")])
    win = render(args)
    qtbot.addWidget(win)
    for k, label in win.thrust_panel.values.items():
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()), (k, label.text())
    grade = win.grade_panel
    for k, label in [*grade.values.items(), *grade.names.items(), ("caption", grade.caption)]:
        assert label.height() >= label.fontMetrics().height(), (k, label.text())
    assert grade.grade.font().pixelSize() >= 40
