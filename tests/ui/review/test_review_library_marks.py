"""The review's library table marks what ``library list`` marks: a session whose recording did
not finish (still being recorded, or cut off by a crash), and a recording found in two folders
(a session folder copied by hand), which the status line warns of as ``library list`` does; it
showed both as ordinary sessions, the copy counted as a second recording."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ui.cli import main
from ui.cmd_library import UNFINISHED
from ui.review.window import FOLDER_ROLE, NOTE_COLUMN, ReviewWindow

from .conftest import make_session, row_notes, tear

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_unfinished_and_copied_sessions_are_marked_as_the_library_command_marks_them(qtbot, tmp_path, capsys):
    root = tmp_path / "class"
    make_session(root / "ana", trainee="Ana", created="2026-10-04T09:00:00+02:00", cycles=3)
    shutil.copytree(root / "ana", root / "ana copy")
    tear(make_session(root / "ben", trainee="Ben", created="2026-10-04T10:00:00+02:00", seed=1, cycles=3))
    make_session(root / "cleo", trainee="Cleo", created="2026-10-04T11:00:00+02:00", seed=2, cycles=3)
    assert main(["library", "list", str(root)]) == 0
    said = capsys.readouterr()
    marked = sorted(Path(ln.split("  ")[-2].strip()).name for ln in said.out.splitlines() if ln.endswith(UNFINISHED))
    assert marked == ["ben"]
    warning = f"ana and ana copy under {root} hold the same recording (a copy?): it is listed twice"
    assert warning in said.err
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    win.show()
    assert not win.table.isColumnHidden(NOTE_COLUMN)
    assert win.model.horizontalHeaderItem(NOTE_COLUMN).text() == "note"
    notes = row_notes(win)
    assert notes == {"ana": ("same recording as ana copy", warning), "ana copy": ("same recording as ana", warning),
                     "ben": ("unfinished", "unfinished: still recording, or cut off"), "cleo": ("", "")}
    assert win.lib_status.text() == f"4 sessions under {root}; {warning}"
    win.filter.setText("unfinished")                      # (the filter finds them)
    assert [Path(win.proxy.index(r, 0).data(FOLDER_ROLE)).name for r in range(win.proxy.rowCount())] == ["ben"]


def test_a_library_with_nothing_to_note_shows_no_note_column(qtbot, tmp_path):
    make_session(tmp_path / "ana", trainee="Ana", cycles=3)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    assert win.proxy.rowCount() == 1 and win.table.isColumnHidden(NOTE_COLUMN)
    assert win.lib_status.text() == f"1 session under {tmp_path}"
