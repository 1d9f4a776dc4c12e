"""A session folder that cannot be written, made so for real: a comment or a saved re-analysis
is one line under the side panel, never a traceback, and nothing on disk changes.

A read-only bind mount of the sessions (root only: mounting needs it; skipped otherwise); and a
folder standing at the name a save once wrote to, which no longer stops it.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_read_only, make_session, mount_read_only

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _shas(folder):
    return {p.name: hashlib.sha1(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _comment(view, qtbot, text="elbows"):
    view.seek(2.0)
    qtbot.keyClicks(view.comment_text, text)
    qtbot.mouseClick(view.comment_btn, Qt.MouseButton.LeftButton)


def _reanalyse_and_save(view, qtbot):
    view.r1.setValue(60.0)
    view.r2.setValue(200.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("blocked", ["session.json.tmp", "events.jsonl.tmp"])
def test_a_folder_at_the_old_tmp_name_does_not_stop_a_save(qtbot, tmp_path, blocked):
    """A folder standing where the save wrote its .tmp file made a comment and a re-analysis
    fail ('cannot save (Is a directory)'). Each save now writes a file of its own beside the
    one it replaces (two stations saving at once each write theirs), and that folder, not
    ours, is left as it was."""
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    (folder / blocked).mkdir()
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(folder)
    view = win.session_view
    _comment(view, qtbot)
    assert view.status.text() == "comment saved at 2.00 s"
    _reanalyse_and_save(view, qtbot)
    assert view.status.text().startswith("saved events.jsonl") and not view.rs.dirty
    assert [c["text"] for c in json.loads((folder / "session.json").read_text())["comments"]] == ["elbows"]
    assert json.loads((folder / "session.json").read_text())["r1_n"] == 60.0
    assert (folder / blocked).is_dir() and not any((folder / blocked).iterdir())
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") and p.name != blocked]


def test_a_read_only_share_refuses_a_comment_and_a_save_in_one_line(qtbot, read_only_share):
    lib, share = read_only_share
    make_session(lib / "ana", kinds=("III",), target="III")
    mount_read_only(lib, share)
    folder = share / "ana"
    win = ReviewWindow()
    qtbot.addWidget(win)
    win.open_session(folder)
    view = win.session_view
    before = _shas(folder)
    _comment(view, qtbot)
    assert view.status.text() == (f"comment not saved: {folder / 'session.json'}: cannot save "
                                  f"(Read-only file system)")
    assert view.rs.comments == [] and view.comment_text.text() == "elbows"
    _reanalyse_and_save(view, qtbot)
    assert view.status.text() == (f"analysis not saved: {folder / 'events.jsonl'}: cannot save "
                                  f"(Read-only file system)")
    assert view.rs.dirty and "unsaved" in view.grades.text()
    assert _shas(folder) == before


def test_an_index_that_cannot_be_saved_still_lists_the_sessions(qtbot, tmp_path):
    """A read-only index missing a session: the library showed no row at all, only 'library not
    updated: … give --db FILE'. Now every session is listed, and the line says the index was not
    saved; the file is left as it was."""
    from ui.cli import main
    from ui.library import INDEX_NAME

    make_session(tmp_path / "ana-w1", trainee="ana", seed=1)
    make_session(tmp_path / "ben-w1", trainee="ben", seed=2)
    assert main(["library", "rebuild", str(tmp_path)]) == 0
    index = tmp_path / INDEX_NAME
    make_read_only(index)
    make_session(tmp_path / "ana-w2", trainee="ana", created="2025-03-08T10:00:00", seed=3)
    before = index.read_bytes()
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    assert sorted(win.proxy.index(i, 0).data() for i in range(win.proxy.rowCount())) == ["ana", "ana", "ben"]
    text = win.lib_status.text()
    assert text.startswith(f"3 sessions under {tmp_path}; index not saved: {tmp_path}: cannot write the "
                           f"library index there (")
    assert text.endswith("give --db FILE somewhere writable") and "\n" not in text
    win.show_progress("ana")
    assert win.progress_view.table.rowCount() == 2
    make_session(tmp_path / "ben-w2", trainee="ben", created="2025-03-09T10:00:00", seed=4)
    win.refresh_library()                                           # F5: the new one joins
    assert win.proxy.rowCount() == 4 and win.lib_status.text().startswith(f"4 sessions under {tmp_path}; ")
    assert index.read_bytes() == before


def test_a_read_only_share_without_an_index_lists_its_sessions(qtbot, read_only_share):
    lib, share = read_only_share
    make_session(lib / "ana", trainee="ana", kinds=("III",), target="III")
    mount_read_only(lib, share)
    win = ReviewWindow(share)
    qtbot.addWidget(win)
    assert win.proxy.rowCount() == 1
    assert win.lib_status.text() == (f"1 session under {share}; index not saved: {share}: cannot write the "
                                     f"library index there (unable to open database file); give --db FILE "
                                     f"somewhere writable")
    assert sorted(p.name for p in share.iterdir()) == ["ana"]


def test_a_saved_reanalysis_updates_the_library_row_when_the_index_cannot_be_saved(qtbot, tmp_path):
    """The sessions can be written but the index cannot: a saved re-analysis said only
    'library not updated: …', its row kept the old score. Now the row shows the new score and
    the library line says the index was not saved."""
    from ui.cli import main
    from ui.library import INDEX_NAME

    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    assert main(["library", "rebuild", str(tmp_path)]) == 0
    index = tmp_path / INDEX_NAME
    make_read_only(index)
    before = index.read_bytes()
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    assert win.lib_status.text() == f"1 session under {tmp_path}"
    assert win.proxy.index(0, 4).data() == "100"
    win.open_session(folder)
    view = win.session_view
    view.r1.setValue(10.0)
    view.r2.setValue(40.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert view.status.text().startswith("saved events.jsonl")
    assert win.proxy.index(0, 4).data() != "100"
    assert win.lib_status.text().startswith(f"1 session under {tmp_path}; index not saved: {tmp_path}: "
                                            f"cannot write the library index there (")
    assert index.read_bytes() == before
