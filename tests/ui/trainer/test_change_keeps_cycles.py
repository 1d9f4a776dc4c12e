"""A new target (T) or calibration (C) starts a set of its own without losing the cycles in
progress: on the emulator's grade III practice, choosing target IV about 6 s in made the
engine's cycles jump from 4.63–5.35 s to 6.68–7.31 s, two cycles never graded and drawn in the
ungraded grey. The cycles found after a new calibration are graded with it as if it had been
chosen from the start."""

from __future__ import annotations

import pytest

from firmware_bridge.scenarios import R1_N, R2_N, scenario_signal
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CHANGE_S, END_S = 6.0, 14.0
NEW_R1, NEW_R2 = 0.8 * R1_N, 0.9 * R2_N


@pytest.fixture(scope="module")
def grade3_csv(tmp_path_factory):
    """The emulator's grade III practice (emulator:grade3), as a recording."""
    t, y, _ = scenario_signal("grade3", 1000.0, 0)
    path = tmp_path_factory.mktemp("g3") / "grade3.csv"
    path.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    return path


def _run(qtbot, csv, r1=R1_N, r2=R2_N, change=None):
    eng = Engine(*schemes(r1, r2, target="III"), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, target=Target.parse("III"), calibration=Calibration("emu", r1, r2))
    qtbot.addWidget(win)
    win.show()
    feed = Feeder(eng, win, csv)
    feed.until(CHANGE_S)
    before = len(eng.cycles)
    if change is not None:
        change(win)
    feed.until(END_S)
    return win, eng, before


def _spans(cycles):
    return [(round(c.t_start, 3), round(c.t_end, 3)) for c in cycles]


def test_a_new_target_keeps_the_cycles_in_progress_and_starts_a_set(qtbot, grade3_csv):
    _, plain, _ = _run(qtbot, grade3_csv)
    win, eng, before = _run(qtbot, grade3_csv, change=lambda w: w.set_target(Target.parse("IV")))
    assert _spans(eng.cycles) == _spans(plain.cycles)         # none lost
    assert [c.grade + (c.modifier or "") for c in eng.cycles] == \
        [c.grade + (c.modifier or "") for c in plain.cycles]
    old, new = list(eng.cycles)[:before], list(eng.cycles)[before:]
    assert len(new) >= 10
    assert {c.set_index for c in old} == {0} and {c.set_index for c in new} == {1}
    # (the cycle ended just before the key: its trough was confirmed after it)
    assert new[0].t_start < CHANGE_S
    assert "target IV: off target" in win.grade_panel.caption.text()


def test_a_new_calibration_keeps_the_cycles_in_progress_graded_with_it(qtbot, grade3_csv):
    _, fresh, _ = _run(qtbot, grade3_csv, r1=NEW_R1, r2=NEW_R2)      # the new calibration from the start
    win, eng, before = _run(qtbot, grade3_csv,
                            change=lambda w: w.set_calibration(Calibration("new", NEW_R1, NEW_R2)))
    assert _spans(eng.cycles) == _spans(fresh.cycles)
    new = list(eng.cycles)[before:]
    assert new[0].t_start < CHANGE_S and {c.set_index for c in new} == {1}
    graded = [(c.grade, c.modifier, c.crest_pct) for c in fresh.cycles][before:]
    assert [(c.grade, c.modifier, c.crest_pct) for c in new] == graded
    assert "R1 32 N, R2 108 N" in win.status.full_text


def test_the_next_change_goes_on_numbering_sets(qtbot, grade3_csv):
    def twice(w):
        w.set_target(Target.parse("IV"))
        w.set_calibration(Calibration("new", NEW_R1, NEW_R2))
    _, plain, _ = _run(qtbot, grade3_csv)
    _, eng, before = _run(qtbot, grade3_csv, change=twice)
    assert _spans(eng.cycles) == _spans(plain.cycles)
    assert {c.set_index for c in list(eng.cycles)[before:]} == {1}
