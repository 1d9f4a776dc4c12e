"""A read-only share whose library index is of an earlier version (it needs a schema upgrade,
which is a write): 'review' and 'library list' list every session from a copy of the index
brought up to date in memory, say the index was not saved, and leave the file as it was.

Two real read-only indexes: one marked read-only in its own SQLite header (any user), and a
read-only bind mount of the sessions (root only: mounting needs it; skipped otherwise).
"""

from __future__ import annotations

import argparse
import sqlite3

import pytest

import ui.cmd_review as cmd_review
from ui.cli import main
from ui.library import COLUMNS, INDEX_NAME, MIGRATIONS, Library
from ui.review.window import ReviewWindow

from .conftest import make_read_only, make_session, mount_read_only

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _sessions(root):
    make_session(root / "ana-w1", trainee="ana", created="2025-03-01T10:00:00", seed=1, cycles=4)
    make_session(root / "ben-w1", trainee="ben", created="2025-03-02T10:00:00", seed=2, cycles=4)


def _index_of_version_1(root):
    """An index as gradecoach's first schema wrote it, holding ana-w1 only."""
    with Library(root, str(root.parent / "now.sqlite")) as lib:
        lib.refresh()
        (row,) = [r for r in lib.rows() if r["path"] == "ana-w1"]
    con = sqlite3.connect(root / INDEX_NAME)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied TEXT)")
    for stmt in MIGRATIONS[1]:
        con.execute(stmt)
    con.execute("INSERT INTO schema_migrations VALUES (1, 'x')")
    cols = COLUMNS[:11]
    con.execute(f"INSERT INTO sessions ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                tuple(row[c] for c in cols))
    con.commit()
    con.close()


def _run_review(monkeypatch, qtbot, root):
    shown = []
    monkeypatch.setattr(ReviewWindow, "show", lambda self: shown.append(self))
    from PySide6.QtWidgets import QApplication
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    assert cmd_review.run(argparse.Namespace(session=None, root=str(root), db=None)) == 0
    win = shown[0]
    qtbot.addWidget(win)
    return win


def _check_review(win, root):
    assert sorted(r["trainee"] for r in win.rows) == ["ana", "ben"]
    assert win.proxy.rowCount() == 2
    text = win.lib_status.text()
    assert text.startswith(f"2 sessions under {root}; index not saved: {root}: cannot write the library index "
                           f"there (") and text.endswith("give --db FILE somewhere writable") and "\n" not in text


def _check_list(capsys, root):
    assert main(["library", "list", str(root)]) == 0
    out, err = capsys.readouterr()
    assert [line.split()[-1] for line in out.splitlines()[1:]] == ["ana-w1", "ben-w1"]
    assert err.startswith(f"gradecoach: warning: index not saved: {root}: cannot write the library index there (")
    assert err.endswith("; give --db FILE somewhere writable\n") and err.count("\n") == 1


def test_an_index_needing_an_upgrade_that_cannot_be_written_is_upgraded_in_memory(tmp_path, monkeypatch, qtbot,
                                                                                    capsys):
    """'review' exited with one line ('cannot write the library index there'), before its window
    could fall back on a copy in memory; 'library list' refused in one line as well."""
    root = tmp_path / "class"
    _sessions(root)
    _index_of_version_1(root)
    index = root / INDEX_NAME
    make_read_only(index)
    before = index.read_bytes()
    _check_review(_run_review(monkeypatch, qtbot, root), root)
    _check_list(capsys, root)
    assert index.read_bytes() == before
    assert main(["library", "rebuild", str(root)]) == 2          # (rebuild is a write: refused, one line)
    assert "cannot write the library index" in capsys.readouterr().err
    assert index.read_bytes() == before


def test_a_read_only_share_whose_index_needs_an_upgrade_is_listed(read_only_share, monkeypatch, qtbot, capsys):
    lib, share = read_only_share
    _sessions(lib)
    _index_of_version_1(lib)
    before = (lib / INDEX_NAME).read_bytes()
    mount_read_only(lib, share)
    _check_review(_run_review(monkeypatch, qtbot, share), share)
    _check_list(capsys, share)
    assert (lib / INDEX_NAME).read_bytes() == before
    assert sorted(p.name for p in share.iterdir()) == ["ana-w1", "ben-w1", INDEX_NAME]
