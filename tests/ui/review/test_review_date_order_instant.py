"""The library table's date column sorts sessions by the instant each was recorded, UTC offsets
counted, with or without seconds; it sorted them by the stamps' text (a session recorded at
09:00 in Paris, 07:00 UTC, was listed as newer than one at 08:30 UTC)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from ui.review.window import FOLDER_ROLE, ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SESSIONS = [   # folder, recorded: text order b, c, a; instant order a, c, b
    ("a", "2026-10-04T09:00:00+02:00"),      # 07:00 UTC
    ("b", "2026-10-04T08:30:00+00:00"),      # 08:30 UTC
    ("c", "2026-10-04T08:45+01:00"),         # 07:45 UTC, no seconds
]


def test_the_date_column_sorts_by_the_instant(qtbot, tmp_path):
    for i, (folder, created) in enumerate(SESSIONS):
        make_session(tmp_path / folder, trainee="Ana", created=created, seed=i, cycles=3)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()

    def listed() -> list[str]:
        return [Path(win.proxy.index(r, 0).data(FOLDER_ROLE)).name for r in range(win.proxy.rowCount())]

    assert listed() == ["b", "c", "a"]                         # newest first, as it opens
    header = win.table.horizontalHeader()
    date = QPoint(header.sectionViewportPosition(1) + header.sectionSize(1) // 2, header.height() // 2)
    seen = []
    for _ in range(2):                                         # a click on its heading, then another
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=date)
        assert header.sortIndicatorSection() == 1
        seen.append(listed())
    assert sorted(seen) == [["a", "c", "b"], ["b", "c", "a"]]     # oldest or newest first, by the instant
