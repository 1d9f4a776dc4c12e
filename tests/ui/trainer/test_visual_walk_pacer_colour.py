"""The pacer's ball does not wear a grade's colour: it was grade III's orange whatever the
target, so a trainee aiming at IV++ (blue) or I (sky blue) was paced by a ball in the colour
the plot and the grade panel give grade III."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from ui.trainer.palette import GRADE_COLOURS

from .conftest import REPO, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("target", ["I", "IV++", "III"])
def test_the_pacer_ball_is_in_no_grades_colour(qtbot, target):
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(target=target), clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("blue manikin", 40.0, 120.0),
                        target=Target.parse(target, 1.5), start_timer=False)
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win, REPO / "fixtures" / "lumbar_grade3.csv").until(6.0)
    qtbot.wait(20)
    assert win.pacer.isVisible() and win.pacer.rate_hz == 1.5
    img = win.pacer.grab().toImage()
    seen = {img.pixel(x, y) for x in range(img.width()) for y in range(img.height())}
    grades = {g: QColor(c).rgb() for g, c in GRADE_COLOURS.items() if g is not None}
    background = img.pixel(0, 0)
    assert sum(img.pixel(x, y) != background for x in range(img.width())
               for y in range(img.height())) > 300                     # (a ball is drawn)
    assert not seen & set(grades.values()), [g for g, c in grades.items() if c in seen]
