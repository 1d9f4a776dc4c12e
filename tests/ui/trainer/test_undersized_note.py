"""A lumbar grade IV of 15 N (R1 200 N, R2 350 N) is smaller than the scheme's minimum
amplitude (20 N): the grade panel says so while the hand oscillates, instead of waiting for a
first cycle that never comes; with ``--min-amplitude 10`` it is graded IV."""

from __future__ import annotations

import pytest

from analysis.scheme import GradingScheme, ThrustScheme
from tests.analysis._small_oscillations import a_set

from .conftest import Feeder

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _panel_after(qtbot, tmp_path, scheme: GradingScheme, t_s: float) -> tuple[str, str]:
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    t, y = a_set(260.0, 275.0)
    csv = tmp_path / "lumbar_iv_15n.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    eng = Engine(scheme, ThrustScheme(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win, csv).until(t_s)
    return win.grade_panel.grade.text(), win.grade_panel.caption.text()


def test_the_panel_says_the_oscillation_is_below_the_minimum_amplitude(qtbot, tmp_path):
    grade, caption = _panel_after(qtbot, tmp_path, GradingScheme(200.0, 350.0), 9.0)
    assert grade == "–"
    assert caption == ("oscillations of about 15 N are below the minimum amplitude of 20 N and not graded "
                       "(--min-amplitude sets it)")


def test_with_a_lower_minimum_it_is_graded(qtbot, tmp_path):
    grade, caption = _panel_after(qtbot, tmp_path, GradingScheme(200.0, 350.0).with_min_amplitude(10.0), 9.0)
    assert grade == "IV" and "minimum amplitude" not in caption
