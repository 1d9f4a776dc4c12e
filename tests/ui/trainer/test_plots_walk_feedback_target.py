"""While a feedback schedule holds the grade back, the force plot holds back the target zone
(a crest drawn in or out of it was its verdict) and, blind, the R1/R2 bands too (a crest in
them was its grade), with their labels; they come back when the set ends. Blind and terminal
drew the trace over the labelled target zone while the panel said "?"."""

from __future__ import annotations

import pytest

from ui.trainer.feedback import Schedule

from .conftest import ARTIFACTS, REPO, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LUMBAR = REPO / "fixtures" / "lumbar_grade3_p.csv"


def with_rest(tmp_path, rest_s: float = 5.0):
    """The lumbar set followed by ``rest_s`` of the hand at rest (1.5 N): the set ends in it."""
    lines = LUMBAR.read_text().splitlines()
    t_end = float(lines[-1].split(",")[0])
    rest = [f"{t_end + 0.001 * k:.6f},1.5" for k in range(1, int(1000 * rest_s))]
    path = tmp_path / "set_then_rest.csv"
    path.write_text("\n".join(lines + rest) + "\n")
    return path


def feedback_window(qtbot, feedback: str):
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("demo manikin", 40.0, 120.0), target=Target.parse("III+"),
                        feedback=feedback, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    return win, eng


def shown(plot) -> dict[str, bool]:
    return {"target": plot.band_target.isVisible(), "target label": plot.lines["target"].isVisible(),
            "R1-R2": plot.band_r2.isVisible(), "R1": plot.lines["R1"].isVisible(),
            "R2": plot.lines["R2"].isVisible(), "0-R1": plot.band_r1.isVisible()}


@pytest.mark.parametrize(("feedback", "target", "bands"), [("blind", False, False), ("terminal", False, True),
                                                           ("concurrent", True, True)])
def test_the_target_zone_is_held_back_with_the_grade(qtbot, tmp_path, feedback, target, bands):
    win, eng = feedback_window(qtbot, feedback)
    feeder = Feeder(eng, win, with_rest(tmp_path))
    feeder.until(10.0)                            # in the set: ten cycles drawn
    assert win.grade_panel.grade.text() == ("?" if feedback != "concurrent" else "III+")
    seen = shown(win.force_plot)
    assert seen == {"target": target, "target label": target, "R1-R2": bands, "R1": bands, "R2": bands,
                    "0-R1": bands}
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_feedback_{feedback}_in_set.png"))
    feeder.until(16.5)                            # the set over (no cycle for 3 s): all revealed
    assert "set:" in win.grade_panel.caption.text() or feedback == "concurrent"
    assert all(shown(win.force_plot).values()), shown(win.force_plot)
    assert win.force_plot.band_target.getRegion() == pytest.approx((90.0, 110.0))


def test_faded_and_bandwidth_hold_it_back_as_they_hold_the_grade():
    faded = Schedule("faded")
    for k in range(9):                            # sets 0, 3 and 8 live, the others not
        v = faded.view(True, k, None)
        assert v.target == v.live and v.bands
    bandwidth = Schedule("bandwidth")             # it says "on target" itself: the zone stays
    assert bandwidth.view(True, 0, True).target and bandwidth.view(True, 0, False).target
    assert Schedule("concurrent").view(True, 0, True).target
    assert not Schedule("blind").view(True, 0, True).bands
