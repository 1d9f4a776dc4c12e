"""Compare: the two plots stay level and as tall when one title wraps on more lines than the
other (a long trainee's name): the one under the longer title was pushed down and made shorter,
so the two force scales side by side did not line up."""

from __future__ import annotations

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NAME = "Maximilian Alexander Fitzgerald-Worthington-Smythe the Third of Upper Wallop"


def test_plots_are_level_under_titles_of_different_lengths(qtbot, tmp_path):
    a = make_session(tmp_path / "long", trainee=NAME, kinds=("V",), target="V")
    b = make_session(tmp_path / "short", trainee="Pía", kinds=("V",), target="V", seed=1)
    win = shown_review(qtbot, tmp_path)
    win.compare(a, b)
    cv = win.compare_view
    qtbot.wait(50)
    t0, t1 = cv.titles
    assert t0.heightForWidth(t0.width()) > t1.heightForWidth(t1.width())     # (wrapped on more lines)
    p0, p1 = (p.mapTo(cv, p.rect().topLeft()).y() for p in cv.plots)
    assert p0 == p1
    assert cv.plots[0].height() == cv.plots[1].height()
