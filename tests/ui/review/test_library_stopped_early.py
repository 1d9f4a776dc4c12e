"""The library index keeps, for each session, whether and why its recording stopped early because
its folder refused a write (session.json's ``extra.stopped``: a full disk, no permission), in
its ``stopped_early``: the words of the review's "stopped early" details row ("at 12.3 s: disk
full, force.csv"), None for one that did not (schema version 5). An index of version 4 is
migrated on opening (SQLite and PostgreSQL) and its sessions read again at the next refresh,
also where it cannot be written (a copy in memory); a read-only index of version 4 is left as it
was. Made by the trainer's recorder on a real small disk that fills up (as root)."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from tests.conftest import gc
from ui.library import INDEX_NAME, SCHEMA_VERSION, Library
from ui.review.data import describe_session, open_review

from .conftest import make_read_only, make_session, mark_stopped, row_notes, shown_review, tear
from ._stopped_early import _stopped_on_a_full_disk

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ROW = "at 12.3 s: disk full, force.csv"


def _stop(folder):
    """``folder`` cut off, its session.json saying it stopped early (``extra.stopped``) on a full
    disk 12.345 s in, as the recorder writes it."""
    tear(folder)
    return mark_stopped(folder, {"t_s": 12.345, "reason": "disk full", "file": "force.csv"})


def _class(root):
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1)
    _stop(make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=4, seed=2))
    return root


def _stopped(lib: Library) -> dict[str, str | None]:
    return {r["path"]: r["stopped_early"] for r in lib.rows()}


def _as_version_4(lib: Library) -> None:
    """``lib``'s index as gradecoach wrote it before version 5 (its rows signed, up to date)."""
    for col in ("stopped_early", "finished", "cut_off", "cut_short", "cut_short_whole",      # (versions 5, 6)
                "n_beyond_r2", "audio_s", "n_pops"):                                        # (and 10, 11, 12)
        lib.execute(f"ALTER TABLE sessions DROP COLUMN {col}")
    lib.execute("DELETE FROM schema_migrations WHERE version > 4")
    lib.commit()


def test_a_recording_stopped_on_a_full_disk_is_said_so_in_the_library_as_in_the_review(tmp_path, small_disk,
                                                                                       capsys):
    root = tmp_path / "class"
    make_session(root / "ana", cycles=4, seed=1)
    shutil.copytree(_stopped_on_a_full_disk(small_disk), root / "ben")
    rs = open_review(root / "ben", movement=False)
    row = dict(describe_session(rs))["stopped early"]
    assert row.startswith("at ") and ": disk full, " in row
    with Library(root) as lib:
        assert lib.refresh().added == 2
        assert _stopped(lib) == {"ana": None, "ben": row}
        lib.update(root / "ben")                         # (as Save analysis indexes it again)
        assert _stopped(lib)["ben"] == row
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    (line,) = [x for x in r.stdout.splitlines() if "  ben" in x]
    assert line.endswith(f"  ben  (stopped early {row})")
    capsys.readouterr()


def test_an_index_of_version_4_is_migrated_and_its_sessions_read_again(tmp_path):
    root = _class(tmp_path / "class")
    with Library(root) as lib:
        lib.refresh()
        _as_version_4(lib)
    with Library(root) as lib:
        assert lib.version() == SCHEMA_VERSION
        assert _stopped(lib) == {"ana": None, "ben": None}          # (not known before it is read)
        res = lib.refresh()
        assert (res.updated, res.unchanged, res.failed) == (2, 0, [])
        assert _stopped(lib) == {"ana": None, "ben": ROW}
    with Library(root) as lib:                                        # (once)
        assert lib.refresh().unchanged == 2


def test_a_read_only_index_of_version_4_is_listed_from_memory_and_left_as_it_was(tmp_path, capsys):
    root = _class(tmp_path / "class")
    with Library(root) as lib:
        lib.refresh()
        _as_version_4(lib)
    index = root / INDEX_NAME
    make_read_only(index)
    before = index.read_bytes()
    r = gc("library", "list", root, "--format", "jsonl")
    assert r.returncode == 0
    assert [json.loads(x)["stopped_early"] for x in r.stdout.splitlines()] == [None, ROW]
    assert "index not saved" in r.stderr
    assert index.read_bytes() == before
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == 4
    con.close()


def test_the_review_windows_rows_carry_it(qtbot, tmp_path):
    root = _class(tmp_path / "class")
    win = shown_review(qtbot, root)
    qtbot.waitUntil(lambda: len(win.rows) == 2, timeout=30000)
    assert {r["path"]: r["stopped_early"] for r in win.rows} == {"ana": None, "ben": ROW}


def test_postgresql_index_of_version_4_is_migrated(tmp_path, pg_url):
    root = _class(tmp_path / "class")
    with Library(root, pg_url) as lib:
        lib.execute("DROP TABLE IF EXISTS sessions")
        lib.execute("DROP TABLE IF EXISTS schema_migrations")
        lib.commit()
    with Library(root, pg_url) as lib:
        lib.refresh()
        assert _stopped(lib) == {"ana": None, "ben": ROW}
        _as_version_4(lib)
    with Library(root, pg_url) as lib:
        assert lib.version() == SCHEMA_VERSION
        assert lib.refresh().updated == 2
        assert _stopped(lib) == {"ana": None, "ben": ROW}


def test_the_review_windows_table_notes_it_with_when_and_why(qtbot, tmp_path):
    """The library table's note column says "stopped early" (not only "unfinished", which the
    recording is too) with when and why as its tooltip, as ``library list`` notes it."""
    root = _class(tmp_path / "class")
    tear(make_session(root / "cleo", trainee="cleo", created="2025-03-03T09:00:00", cycles=4, seed=3))
    win = shown_review(qtbot, root)
    qtbot.waitUntil(lambda: len(win.rows) == 3, timeout=30000)
    assert row_notes(win) == {"ana": ("", ""), "ben": ("stopped early", f"stopped early {ROW}"),
                           "cleo": ("unfinished", "unfinished: still recording, or cut off")}
