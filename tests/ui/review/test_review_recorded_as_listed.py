"""The review's details say when a session was recorded as the library's row beside it does:
"2025-03-01 10:00:20" where two sessions share a minute (the row gave the seconds, the details
"2025-03-01 10:00"), "2025-03-01 10:05" for one alone in its minute."""

from __future__ import annotations

import pytest

from ._beyond_r2_session import _session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_details_date_a_session_as_its_row(tmp_path, qtbot):
    from ui.review.window import ReviewWindow
    root = tmp_path / "class"
    _session(root / "ana", "2025-03-01T10:00:20", 20.0, 120.0)
    _session(root / "ben", "2025-03-01T10:00:45", 20.0, 120.0)
    _session(root / "cleo", "2025-03-01T10:05:00", 20.0, 120.0)
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    rows = {win.model.item(i, 0).text(): win.model.item(i, 1).text() for i in range(win.model.rowCount())}
    assert rows == {"ana": "2025-03-01 10:00:20", "ben": "2025-03-01 10:00:45", "cleo": "2025-03-01 10:05"}
    for name, listed in rows.items():
        win.open_session(root / name)
        assert win.session_view.details_dict()["recorded"] == listed, name
        assert win.statusBar().currentMessage() == f"{name}: {name}, {listed}"
