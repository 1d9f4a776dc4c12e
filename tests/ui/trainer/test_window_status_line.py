"""The status line fits its window: a long trainee name is shortened with '…' and the line's
end is cut last (it ran on out of sight, losing the schedule, window and dropped count, and at
1024 px pushed the recording label out: '… the source has ende'); a right-to-left name reads in
its own direction inside a line that stays left to right (the whole line was turned around);
a saved recording is named by its folder, the path in the tooltip."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LONG = "Maria-Magdalena Żółkiewska-Østergaard de la Fuente-Rodríguez"
ARABIC = "محمد عبد الرحمن الشريف"


def _window(qtbot, tmp_path, w=1366, h=768):
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, record_root=tmp_path / "rec",
                        calibration=Calibration("gradecoach emulator (mixed)", 40.0, 120.0))
    qtbot.addWidget(win)
    win.show()
    win.resize(w, h)
    qtbot.waitUntil(lambda: win.width() == w)
    return win, eng


def _ink_columns(label) -> np.ndarray:
    """The x of every pixel column of the label that holds text (darker than its background)."""
    img = label.grab().toImage()
    bg = QColor(img.pixel(img.width() - 1, 0)).lightness()
    cols = [x for x in range(img.width())
            if any(QColor(img.pixel(x, y)).lightness() < bg - 60 for y in range(img.height()))]
    return np.array(cols)


def test_a_long_name_is_shortened_and_the_line_keeps_its_fields(qtbot, tmp_path):
    win, eng = _window(qtbot, tmp_path)
    win.source_label = "gradecoach emulator (mixed)"
    win.set_trainee(LONG, "PA glide L4, prone")
    win.start_recording()
    win.refresh()
    shown = win.status.text()
    assert "dropped 0" in shown and "no target (press T)" in shown     # (shortened when it must be)
    assert win.status.fontMetrics().horizontalAdvance(shown) <= win.status.contentsRect().width()
    assert LONG in win.status.toolTip() and "window 10 s" in win.status.toolTip()
    # the calibration's origin said briefly when it is the source itself
    assert "R1 40 N, R2 120 N from the device" in win.status.toolTip()


def test_the_recording_label_is_never_cut_on_a_small_screen(qtbot, tmp_path):
    win, eng = _window(qtbot, tmp_path, 1024, 600)
    win.set_trainee(LONG, "PA glide L4, prone")
    win.refresh()
    folder = win.start_recording()
    eng.finished = True                       # the source has played to its end
    win.refresh()
    qtbot.wait(50)
    rec = win.rec_label
    assert rec.text().endswith("the source has ended: Space saves")
    assert rec.width() >= rec.fontMetrics().horizontalAdvance(rec.text())
    assert rec.geometry().right() < win.statusBar().width()
    assert win.status.geometry().right() <= rec.geometry().left()
    eng.finished = False
    Feeder(eng, win).until(2.0)
    assert win.stop_recording() == folder
    assert win.rec_label.text() == f"saved {folder.name}" and win.rec_label.toolTip() == str(folder)


@pytest.mark.parametrize("width", [1366, 1024])
def test_a_right_to_left_name_leaves_the_line_left_to_right(qtbot, tmp_path, width):
    win, eng = _window(qtbot, tmp_path, width, 600)
    win.set_trainee(ARABIC, "")
    win.refresh()
    shown = win.status.text()
    assert shown.startswith(f"\u2068{ARABIC}\u2069 · replay · R1 40 N")
    ink = _ink_columns(win.status)
    assert len(ink) and ink[0] < 12             # the line starts at the left, not cut at the right
