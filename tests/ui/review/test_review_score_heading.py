"""The Compare and Progress tables say what a V/HVLA session's score counts."""

from __future__ import annotations

import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot, tmp_path, targets):
    for i, target in enumerate(targets):
        make_session(tmp_path / f"w{i}", trainee="ana", created=f"2025-03-0{i + 1}T10:00:00", seed=i,
                     kinds=(target,), target=target, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    return win


@pytest.mark.parametrize("targets, heading", [
    (("V", "V"), "score (% of thrusts on target)"),
    (("III", "II"), "score (% on target)"),
    (("III", "V"), "score (% on target; V: % of thrusts on target)"),
])
def test_the_score_says_what_it_counts(qtbot, tmp_path, targets, heading):
    """Both tables read 'score (% on target)' for thrust sessions too, where the figure is
    the share of thrusts made without letting up (as the report says)."""
    win = _window(qtbot, tmp_path, targets)
    win.compare(tmp_path / "w0", tmp_path / "w1")
    t = win.compare_view.table
    assert t.verticalHeaderItem(0).text() == heading
    assert t.verticalHeaderItem(1).text() == "cycles"
    win.show_progress("ana")
    t = win.progress_view.table
    assert [t.horizontalHeaderItem(c).text() for c in range(4)] == ["date", "technique", "target", heading]
