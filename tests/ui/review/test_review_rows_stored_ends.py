"""The review's library table notes a session "unfinished" or "cut short" from how the index
keeps its files' ends (as ``library list`` does), not by opening every session.json and the
ends of every force.csv and imu.csv each time the list is refreshed (a class of hundreds of
sessions, refreshed as new ones are recorded); a folder whose files changed is read again."""

from __future__ import annotations

import os
import sys

import pytest

from ui.library import INDEX_NAME
from ui.review.window import ReviewWindow

from .conftest import cut_at_line_end, make_session, row_notes, tear

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

_opened: list[str] | None = None      # the files opened while the rows are made (None: not watched)


def _hook(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_hook)             # (for the whole process: it notes nothing unless _opened is a list)


def _rows_watched(win, root) -> tuple[list[dict], list[str]]:
    global _opened
    _opened = []
    try:
        rows = win._library_rows()
    finally:
        opened, _opened = _opened, None
    return rows, [p for p in opened if os.path.abspath(p).startswith(str(root) + os.sep)
                  and not os.path.basename(p).startswith(INDEX_NAME)]


def test_the_rows_notes_come_from_the_index_without_opening_the_sessions_files(qtbot, tmp_path):
    root = tmp_path / "class"
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1)
    cut_at_line_end(make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=8, seed=2))
    tear(make_session(root / "dan", trainee="dan", created="2025-03-04T09:00:00", cycles=4, seed=4))
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 3, timeout=20000)
    notes = row_notes(win)
    assert notes["ana"] == ("", "")
    assert notes["ben"][0] == "cut short" and notes["ben"][1].startswith(f"{root / 'ben' / 'force.csv'}: ends at ")
    assert notes["dan"][0] == "unfinished"
    rows, inside = _rows_watched(win, root)
    assert inside == []
    by_name = {os.path.basename(r["folder"]): r for r in rows}
    assert by_name["ben"]["note"] == "cut short" and by_name["dan"]["note"] == "unfinished"
    assert by_name["ana"]["note"] == ""
