"""The review's event list says each thrust's verdict against the session's V target, as its
details and the trainer do ("V, on target"; "V, off: peak 398 N below 400–650 N"); it said "V"
for every thrust, on target or not."""
from __future__ import annotations

import pytest

from tests.ui.review._thrust_session import thrust_session
from ui.review.window import ReviewWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_each_thrust_row_says_its_verdict_as_its_details_do(qtbot, tmp_path):
    folder = thrust_session(tmp_path / "ana-v")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(folder)
    view = win.session_view
    table = view.events_table
    rows = [r for r in range(table.rowCount()) if table.item(r, 1).text() == "thrust"]
    labels = [table.item(r, 2).text() for r in rows]
    assert labels[0] == "V, on target" and labels[1].startswith("V, off: "), labels
    for r, label in zip(rows, labels):
        view._row_clicked(r)
        verdict = view.details_dict()["on target"]
        assert (verdict == "yes") == (label == "V, on target")
        if verdict != "yes":
            assert label.removeprefix("V, off: ") in verdict
        assert table.item(r, 2).toolTip() == label
