"""The trainer's set summary rounds its share on target half up, as replay's table, the report,
record's closing line and the review do: 5 of 8 cycles on target is "63 % on target", not "62 %"
(Python's format rounds half to even)."""

from __future__ import annotations

import pytest

from ._set_summary import _caption, _window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_five_of_eight_on_target_is_63_percent(qtbot, tmp_path):
    # (R1 40 N, R2 120 N, troughs at 50 N: a crest of 105 N is a III+, of 80 N a IV; aimed at III+)
    win, eng, feed = _window(qtbot, tmp_path, "terminal", [105, 80, 105, 80, 105, 80, 105, 105])
    feed.until(16.0)                              # the set ended 3 s before
    assert sorted(f"{c.grade}{c.modifier or ''}" for c in eng.cycles) == ["III+"] * 5 + ["IV"] * 3
    assert _caption(win).startswith("set: 8 cycles, 63 % on target"), _caption(win)
