"""The Progress view of a trainee with many sessions."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _drawn_labels(axis):
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(img)
    try:
        return [(rect, text) for rect, _, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()


def test_thirty_sessions_have_dates_that_can_be_read(qtbot, tmp_path):
    """Thirty sessions: each plot labels a few of their dates, none on top of another (all
    thirty were printed into one smear), and the first and last sessions' ticks are there."""
    for i in range(30):
        make_session(tmp_path / f"w{i:02d}", trainee="zoë", created=f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}T10:00:00",
                     kinds=("III",) if i % 2 else ("V",), target="III" if i % 2 else "V", seed=i, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_progress("zoë")
    qtbot.wait(50)
    pv = win.progress_view
    for k in range(4):
        axis = pv.glw.getItem(k // 2, k % 2).getAxis("bottom")
        labels = _drawn_labels(axis)
        assert 3 <= len(labels) <= 10, [t for _, t in labels]
        rects = sorted((r for r, _ in labels), key=lambda r: r.left())
        for a, b in zip(rects, rects[1:]):
            assert a.right() <= b.left(), [t for _, t in labels]
        ticks = [v for level in axis._tickLevels for v, _ in level]
        assert sorted(ticks) == list(range(1, 31))


def _progress_of_two_sessions(qtbot, tmp_path):
    """The review window showing the Progress of "ana", who recorded two sessions."""
    for i in range(2):
        make_session(tmp_path / f"w{i}", trainee="ana", created=f"2025-03-0{i + 1}T10:00:00", seed=i)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_progress("ana")
    return win


def test_percent_on_target_is_drawn_on_its_whole_scale(qtbot, tmp_path):
    """Two sessions both 100 % on target: the plot's axis runs 0-100 % (it ran 99.6-100.4,
    making a perfect record look like a line in the middle of a scale above 100 %)."""
    win = _progress_of_two_sessions(qtbot, tmp_path)
    qtbot.wait(50)
    pv = win.progress_view
    assert pv.series["on_target_pct"] == [100.0, 100.0]
    y0, y1 = pv.glw.getItem(0, 0).getViewBox().viewRange()[1]
    assert y0 <= 0.0 and 100.0 <= y1 <= 110.0


def test_the_progress_table_shows_whole_headings_and_dates(qtbot, tmp_path):
    """"score (% on target)" read "core (% on targe", and dates broke over two lines."""
    win = _progress_of_two_sessions(qtbot, tmp_path)
    t = win.progress_view.table
    fm = t.horizontalHeader().fontMetrics()
    for c in range(t.columnCount()):
        head = t.horizontalHeaderItem(c).text()
        assert fm.horizontalAdvance(head) <= t.columnWidth(c), head
    assert not t.wordWrap() and t.columnWidth(0) >= t.fontMetrics().horizontalAdvance("2025-03-01 10:00")


def test_the_plot_keys_name_their_lines_in_words(qtbot, tmp_path):
    """The keys read 'freq cv pct', 'amplitude cv pct', 'ttp mean ms'."""
    for i in range(2):
        make_session(tmp_path / f"w{i}", trainee="ana", created=f"2025-03-0{i + 1}T10:00:00", seed=i,
                     kinds=("III", "V", "V"))
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show_progress("ana")
    keys = [[label.text for _, label in win.progress_view.glw.getItem(k // 2, k % 2).legend.items] for k in range(4)]
    assert keys == [["on target"], ["frequency", "amplitude"], ["mean", "SD"], ["mean", "SD"]]
