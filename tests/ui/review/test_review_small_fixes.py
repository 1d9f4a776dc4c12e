"""Small things the review and the library say and keep."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_grades_line_says_where_the_grades_come_from_in_words(qtbot, tmp_path):
    """It read '(events from stored)' and '(events from analysis)'."""
    make_session(tmp_path / "stored", kinds=("III",), target="III")
    make_session(tmp_path / "bare", kinds=("III",), target="III", events=False, seed=1)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(tmp_path / "stored")
    assert win.session_view.grades.text().endswith("  (from the stored events)")
    win.open_session(tmp_path / "bare")
    assert win.session_view.grades.text().endswith("  (analysed again from the raw data)")

