"""A trainee's name or a technique too long for its library column is cut with "…"; hovering
the cell shows the whole of it (there was no way to read it in the library)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NAME = "Maximilian Alexander Fitzgerald-Worthington-Smythe the Third of Upper Wallop"
TECHNIQUE = "HVLA thoracic T6 prone crossed pisiform, second attempt"


def test_long_trainee_and_technique_have_their_whole_text_as_tooltip(qtbot, tmp_path):
    make_session(tmp_path / "long", trainee=NAME, technique_name=TECHNIQUE, cycles=3)
    make_session(tmp_path / "short", trainee="Zoë Ångström", technique_name="", cycles=3, seed=1)
    win = shown_review(qtbot, tmp_path)
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 2)
    heads = [win.model.headerData(c, Qt.Orientation.Horizontal) for c in range(win.model.columnCount())]
    rows = {win.proxy.index(r, 0).data(): r for r in range(win.proxy.rowCount())}
    long_row = rows[NAME]
    trainee_col, technique_col = heads.index("trainee"), heads.index("technique")
    assert win.table.columnWidth(trainee_col) < win.table.fontMetrics().horizontalAdvance(NAME)   # (cut)
    assert win.proxy.index(long_row, trainee_col).data(Qt.ItemDataRole.ToolTipRole) == NAME
    assert win.proxy.index(long_row, technique_col).data(Qt.ItemDataRole.ToolTipRole) == TECHNIQUE
    short_row = rows["Zoë Ångström"]
    assert win.proxy.index(short_row, trainee_col).data(Qt.ItemDataRole.ToolTipRole) == "Zoë Ångström"
    assert win.proxy.index(short_row, technique_col).data(Qt.ItemDataRole.ToolTipRole) is None
