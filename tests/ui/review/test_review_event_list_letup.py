"""The review's event list gives a flagged let-up as the details, the report and replay's table
do: its figure with "flagged" after it, beside the grade ("V, let-up 29.0 N flagged");
it read "V let-up", like the name of a grade."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow
from ._thrust_session import thrust_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_a_flagged_let_up_is_listed_with_its_figure_and_flag(qtbot, tmp_path):
    folder = thrust_session(tmp_path / "ana-v")
    stored = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    thrusts = [e for e in stored if e.get("type") == "thrust"]
    assert [bool(t["letup"]) for t in thrusts] == [False, True]
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    view = win.session_view
    table = view.events_table
    rows = [r for r in range(table.rowCount()) if table.item(r, 1).text() == "thrust"]
    grades = [table.item(r, 2).text() for r in rows]
    # against the session's V target each says its verdict, the let-up among what missed
    assert grades[0] == "V, on target"
    assert grades[1].startswith("V, off: ") and f"let-up {thrusts[1]['letup_n']:.1f} N" in grades[1], grades
    # worded as the thrust's details word it
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(rows[1], 2)).center())
    assert grades[1].removeprefix("V, off: ") in view.details_dict()["on target"]
    # read whole in the list beside its scroll bar, not cut short ("V, let-up 2…"), and no
    # sideways scrolling
    qtbot.waitUntil(table.verticalScrollBar().isVisible)        # (more rows than it shows)
    table.scrollToItem(table.item(rows[1], 2))
    assert table.sizeHintForColumn(2) <= table.columnWidth(2)
    assert sum(table.columnWidth(c) for c in range(table.columnCount())) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    path = tmp_path / "review_letup.png"
    assert win.grab().save(str(path))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "review_event_list_letup.png")      # to look at
