""""Compare selected two" puts the older session on the left, as Progress reads left to right:
the library's table is newest first, and its order put week 4 on the left of week 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel

from ui.review.window import FOLDER_ROLE

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("first", ["week1", "week4"])
def test_compare_selected_puts_the_older_on_the_left(tmp_path, qtbot, first):
    make_session(tmp_path / "week1", trainee="Chloé", created="2026-02-02T10:00:00", seed=1, cycles=3)
    make_session(tmp_path / "week4", trainee="Chloé", created="2026-02-23T10:00:00", seed=2, cycles=3)
    win = shown_review(qtbot, tmp_path)
    row = {Path(win.proxy.index(i, 0).data(FOLDER_ROLE)).name: i for i in range(win.proxy.rowCount())}
    assert row["week4"] < row["week1"]               # (the table: newest first)
    pick = win.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for name in (first, "week4" if first == "week1" else "week1"):
        pick.select(win.proxy.index(row[name], 0), flags)
    win.compare_selected()
    cv = win.compare_view
    assert win.tabs.currentWidget() is cv
    assert [rs.path.name for rs in cv.sessions] == ["week1", "week4"]
    assert cv.titles[0].text().startswith("week1 — Chloé, 2026-02-02")
    assert cv.titles[1].text().startswith("week4 — Chloé, 2026-02-23")
