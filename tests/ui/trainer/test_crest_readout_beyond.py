"""The grade panel's 'crest in R1–R2' follows the grader's own beyond-R2 rule: a crest of 126 N
with R1 40 N and R2 120 N (108 % of R1–R2, within the scheme's 10 % tolerance) is graded III++
and not flagged, and reads as its percentage (it read 'beyond R2' against a III++ grade); a
crest of 140 N is flagged and reads 'beyond R2'."""

from __future__ import annotations

import pytest

from tests.analysis._small_oscillations import a_set

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _panel(qtbot, tmp_path, crest_n: float) -> tuple[str, str, str, bool]:
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    t, y = a_set(40.0, crest_n, cycles=4)
    csv = tmp_path / "crest.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    eng = Engine(*schemes(40.0, 120.0), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win, csv).until(6.0)
    p = win.grade_panel
    return p.grade.text(), p.values["crest"].text(), p.caption.text(), eng.cycles[-1].beyond_r2


def test_a_crest_a_little_past_r2_reads_as_the_grader_grades_it(qtbot, tmp_path):
    grade, crest, caption, flagged = _panel(qtbot, tmp_path, 126.0)
    assert grade == "III++" and not flagged
    assert crest.endswith(" %") and 100 < float(crest.split()[0]) <= 110, crest
    assert "beyond" not in caption


def test_a_crest_the_grader_flags_reads_beyond_r2(qtbot, tmp_path):
    grade, crest, caption, flagged = _panel(qtbot, tmp_path, 140.0)
    assert flagged and crest == "beyond R2" and "beyond R2!" in caption
