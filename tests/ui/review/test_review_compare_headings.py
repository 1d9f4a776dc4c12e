"""Compare: the table's column headings show long session names cut in the middle with "…"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_long_session_names_are_elided_in_the_middle_with_the_whole_name_as_tooltip(qtbot, tmp_path):
    """The headings were clipped at both ends with no ellipsis ("-o'brien-2026-10")."""
    names = ["ben-o'brien-2026-10-05-morning", "ben-o'brien-2026-10-12-morning"]
    a, b = (make_session(tmp_path / n, kinds=("III",), seed=i, cycles=3) for i, n in enumerate(names))
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.compare(a, b)
    table = win.compare_view.table
    header = table.horizontalHeader()
    fm = QFontMetrics(header.font())
    room = header.sectionSize(0) - 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    assert fm.horizontalAdvance(names[0]) > room                 # (too long for the column as it is)
    for c, name in enumerate(names):
        item = table.horizontalHeaderItem(c)
        shown = item.text()
        head, _, tail = shown.partition("…")
        assert _ == "…" and name.startswith(head) and name.endswith(tail) and head and tail, shown
        assert fm.horizontalAdvance(shown) <= room
        assert item.toolTip() == name
    header.resizeSection(0, fm.horizontalAdvance(names[0]) + 40)  # widened: the whole name again
    assert table.horizontalHeaderItem(0).text() == names[0]
    assert table.horizontalHeaderItem(0).data(Qt.ItemDataRole.ToolTipRole) == names[0]
