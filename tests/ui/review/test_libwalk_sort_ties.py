"""Sorted by trainee, technique, target or score, the review's library table keeps each group's
sessions newest first, as the table opens, before and after the filter is used, in either
direction."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

DATES = ["2026-11-16", "2026-10-05", "2026-11-02", "2026-10-12"]


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("three")
    # made in an order that is not the dates' (folders are listed by name, dates are not)
    for who in ("anna", "ben", "chloe"):
        for i, day in enumerate(DATES):
            make_session(tmp_path / f"{who}-{i}", trainee=who.title(), created=f"{day}T10:00:00", seed=i, cycles=3)
    return tmp_path


def _shown(win, column):
    return [(win.proxy.index(i, column).data(), win.proxy.index(i, 1).data()[:10])
            for i in range(win.proxy.rowCount())]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("column", [0, 2, 3, 4])
def test_ties_are_in_date_order_after_filtering(three, qtbot, column, order):
    """Sorted by trainee, typing "2026-11" in the filter and clearing it brought each trainee's
    sessions back as 10-05, 10-12 after 11-16 (the order the filter left them in)."""
    win = ReviewWindow(three)
    qtbot.addWidget(win)
    win.table.sortByColumn(column, order)
    for typed in ("", "2026-11", ""):
        win.filter.setText(typed)
        shown = _shown(win, column)
        assert len(shown) == (6 if typed else 12)
        for (a, day_a), (b, day_b) in zip(shown, shown[1:]):
            assert a != b or day_a >= day_b, (typed, shown)
        if column == 0:
            names = [w for w, _ in shown]
            assert names == sorted(names, reverse=order == Qt.SortOrder.DescendingOrder)
            assert [d for w, d in shown if w == "Ben"] == sorted((d for d in DATES if d >= typed), reverse=True)
