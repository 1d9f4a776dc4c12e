"""The grade panel's 'crest in R1–R2' is a percentage only inside R1–R2: a grade I or II crest
reads 'below R1' (it read '-17 %'), and one past R2 'beyond R2'."""

from __future__ import annotations

import pytest

from .conftest import REPO, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _crest_after(qtbot, fixture: str, t_s: float) -> tuple[str, str]:
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(40.0, 120.0), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win, REPO / "fixtures" / fixture).until(t_s)
    return win.grade_panel.grade.text(), win.grade_panel.values["crest"].text()


@pytest.mark.parametrize("fixture,grade", [("lumbar_grade1.csv", "I"), ("lumbar_grade2.csv", "II")])
def test_a_crest_below_r1_says_so(qtbot, fixture, grade):
    shown, crest = _crest_after(qtbot, fixture, 6.0)
    assert shown == grade and crest == "below R1"


def test_a_crest_inside_r1_r2_is_a_percentage(qtbot):
    shown, crest = _crest_after(qtbot, "lumbar_grade3.csv", 6.0)
    assert shown.startswith("III") and crest.endswith(" %") and 0 <= float(crest.split()[0]) <= 100
