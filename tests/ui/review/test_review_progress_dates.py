"""The Progress plots' dates and keys, at the window's size and after a resize."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QImage, QPainter

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _drawn_labels(axis):
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(img)
    try:
        return [(rect, text) for rect, _, text in axis.generateDrawSpecs(painter)[2] if text]
    finally:
        painter.end()


@pytest.fixture
def six(qtbot, tmp_path):
    """A trainee's six weekly sessions in the review window, their Progress shown."""
    for i in range(6):
        make_session(tmp_path / f"w{i}", trainee="ana", created=f"{date(2026, 10, 4) + timedelta(weeks=i)}T11:14:00",
                     kinds=("V",) if i % 2 else ("III",), target="V" if i % 2 else "III", seed=i, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_progress("ana")
    qtbot.wait(50)
    return win


def _check_dates(win, at_least):
    pv = win.progress_view
    for k in range(4):
        plot = pv.glw.getItem(k // 2, k % 2)
        labels = sorted(_drawn_labels(plot.getAxis("bottom")), key=lambda rl: rl[0].left())
        texts = [t for _, t in labels]
        assert len(texts) >= at_least, texts
        assert texts[0] == "2026-10-04" and texts[-1] == "2026-11-08", texts     # the first and the last
        for (a, _), (b, _) in zip(labels, labels[1:]):
            assert b.left() - a.right() >= 8, texts                                # apart, not touching
        # the key is above the plotted data, not over its first points
        key = plot.legend.sceneBoundingRect()
        assert not key.intersects(plot.vb.sceneBoundingRect())
        assert [label.text for _, label in plot.legend.items]


def test_six_sessions_show_their_first_and_last_dates_apart(six, qtbot):
    """Six sessions showed two dates, the 3rd and 4th, touching ("2026-10-182026-10-25"); the
    first and last were dropped for running past the plot's edges; the key covered the first
    point."""
    _check_dates(six, at_least=3)


def test_the_dates_fit_the_plots_after_a_resize(six, qtbot):
    six.resize(900, 700)
    qtbot.wait(50)
    _check_dates(six, at_least=2)
    six.resize(2400, 900)
    qtbot.wait(50)
    _check_dates(six, at_least=6)


def test_two_sessions_on_one_day_are_told_apart_and_empty_plots_say_why(qtbot, tmp_path):
    """Two sessions the same day read "2026-12-02" twice under the plots; they now give their
    times. A trainee without thrusts had the thrust plots as empty frames, saying nothing."""
    for i, (day, hhmm) in enumerate((("2026-12-01", "09:30"), ("2026-12-02", "09:30"), ("2026-12-02", "14:05"))):
        make_session(tmp_path / f"s{i}", trainee="ben", created=f"{day}T{hhmm}:00", kinds=("III",), target="III",
                     seed=i, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_progress("ben")
    qtbot.wait(50)
    pv = win.progress_view
    assert pv.dates == ["2026-12-01", "2026-12-02 09:30", "2026-12-02 14:05"]
    titles = [pv.glw.getItem(k // 2, k % 2).titleLabel.text for k in range(4)]
    assert [t.endswith("none in these sessions") for t in titles] == [False, False, True, True], titles
