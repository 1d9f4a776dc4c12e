"""A crest beyond R2 (a safety matter) is counted in the set's summary under every schedule that
holds the grade back, and while the grade is shown live once that cycle is no longer the last:
a set of six cycles with one crest of 140 N (R1 40 N, R2 120 N) ended under 'terminal' read
'set: 6 cycles, 0 % on target · target III+: off target' with no word of it, and under
'concurrent' its 'beyond R2!' went with the next cycle."""

from __future__ import annotations

import pytest

from ui.trainer.feedback import MODES
from ui.trainer.palette import ALERT

from ._set_summary import _caption, _window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("mode", [m for m in MODES if m != "concurrent"])
def test_the_set_summary_counts_a_crest_beyond_r2(qtbot, tmp_path, mode):
    win, eng, feed = _window(qtbot, tmp_path, mode, [90, 95, 140, 92, 90, 93])
    feed.until(14.0)                              # the set ended 3 s before
    flagged = [c for c in eng.cycles if c.beyond_r2]
    assert len(eng.cycles) == 6 and len(flagged) == 1 and not eng.cycles[-1].beyond_r2
    cap = _caption(win)
    assert cap.startswith("set: 6 cycles, 0 % on target · 1 beyond R2"), cap
    assert ALERT in win.grade_panel.caption.styleSheet()


def test_concurrent_keeps_the_count_once_the_cycle_is_not_the_last(qtbot, tmp_path):
    win, eng, feed = _window(qtbot, tmp_path, "concurrent", [90, 95, 140, 92, 90, 93])
    feed.until(7.0)                               # two cycles after the flagged one
    assert eng.cycles[-1].beyond_r2 is False and any(c.beyond_r2 for c in eng.cycles)
    assert "set: 1 beyond R2" in _caption(win) and "beyond R2!" not in _caption(win)
    feed.until(14.0)                              # and after the set has ended
    assert "set: 1 beyond R2" in _caption(win)


def test_a_set_within_r2_says_nothing_of_it(qtbot, tmp_path):
    win, eng, feed = _window(qtbot, tmp_path, "terminal", [90, 95, 100, 92, 90, 93])
    feed.until(14.0)
    assert "beyond" not in _caption(win)
    assert _caption(win).startswith("set: 6 cycles, ")
