"""``library list`` no longer reads every session's files to say how they end: whether each
finished (session.json), whether a stream file's last line is torn ("cut off"), and whether one
was cut short at a line end (the "*" beside its stored figures). The index keeps it for each
session, read with the rest of its row (schema version 6), and a folder whose files changed is
read again as before. With 300 sessions a listing read every session.json three times and the
ends of 600 stream files: 0.39-0.58 s of its time in one process (0.04-0.06 s now). An index of the version
before gets the columns, filled from the files' ends at its next refresh (its sessions' figures
not read again), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import sys

from tests.conftest import gc
from ui.cli import main
from ui.library import INDEX_NAME, SCHEMA_VERSION, Library

from .conftest import cut_at_line_end, make_session, tear

ENDS = ("finished", "cut_off", "cut_short", "cut_short_whole")

_opened: list[str] | None = None      # the files opened while a listing is watched (None: not watched)


def _hook(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_hook)             # (for the whole process: it notes nothing unless _opened is a list)


def _class(root):
    """ana (whole), ben (force.csv cut short at a line end after the recording: "*"), cleo (its
    last line torn: "cut off", and "*" as the sample of that line is not there), dan (did not
    finish)."""
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1)
    cut_at_line_end(make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=8, seed=2))
    cleo = make_session(root / "cleo", trainee="cleo", created="2025-03-03T09:00:00", cycles=4, seed=3)
    fp = cleo / "force.csv"
    fp.write_bytes(fp.read_bytes()[:-3])
    tear(make_session(root / "dan", trainee="dan", created="2025-03-04T09:00:00", cycles=4, seed=4))
    return root


def _list_watched(root, capsys, *db) -> tuple[str, str, list[str]]:
    """``library list ROOT`` in this process: its output, and the files inside the session
    folders it opened."""
    global _opened
    capsys.readouterr()
    _opened = []
    try:
        assert main(["library", "list", str(root), *db]) == 0
    finally:
        opened, _opened = _opened, None
    out, err = capsys.readouterr()
    inside = [p for p in opened if os.path.abspath(p).startswith(str(root) + os.sep)
              and not os.path.basename(p).startswith(INDEX_NAME)]
    return out, err, inside


def _check_marks(out: str, err: str, root) -> None:
    rows = {ln.split("  (")[0].split()[-1]: ln for ln in out.splitlines()[1:]}
    assert sorted(rows) == ["ana", "ben", "cleo", "dan"], out
    assert rows["ana"].endswith("  ana") and rows["ben"].endswith("  ben")
    assert rows["ben"].split()[-3:] == ["8*", "0*", "ben"]
    assert rows["cleo"].endswith("  cleo  (cut off: force.csv's last line has no line end)")
    assert rows["cleo"].split("  (")[0].split()[-3:] == ["4*", "0*", "cleo"]
    assert rows["dan"].endswith("  dan  (unfinished: still recording, or cut off)")
    said = err.splitlines()
    assert [x.split(": ends at ")[0] for x in said] == [f"gradecoach: warning: {root / n / 'force.csv'}"
                                                        for n in ("ben", "cleo")]
    assert all("(*)" in x for x in said)


def test_listing_an_index_that_is_up_to_date_opens_no_file_of_the_sessions(tmp_path, capsys):
    """It opened session.json (three times) and the ends of force.csv and imu.csv of every
    session, at every listing."""
    root = _class(tmp_path / "class")
    first, first_err, _ = _list_watched(root, capsys)        # (indexes them: reads them all)
    _check_marks(first, first_err, root)
    out, err, opened = _list_watched(root, capsys)
    assert opened == []
    assert (out, err) == (first, first_err)                  # (the same marks and notes)
    jl, _, opened = _list_watched(root, capsys, "--format", "jsonl")
    assert opened == [] and '"finished": false' in jl


def test_a_file_changed_after_indexing_is_read_again(tmp_path, capsys):
    root = _class(tmp_path / "class")
    _list_watched(root, capsys)
    cut_at_line_end(root / "ana")
    out, err, opened = _list_watched(root, capsys)
    assert opened and all("/ana/" in p for p in opened)       # (that session alone, read again)
    assert out.splitlines()[1].split()[-3:] == ["4*", "0*", "ana"]
    assert len(err.splitlines()) == 3


def test_a_library_moved_names_the_files_where_they_are_now(tmp_path, capsys):
    """The index keeps its sessions' paths relative to its root (a share mounted elsewhere on
    another station, a library moved to another disk); the files cut short are named where
    they are."""
    _class(tmp_path / "class")
    _list_watched(tmp_path / "class", capsys)
    root = (tmp_path / "class").rename(tmp_path / "class of 2025")
    out, err, opened = _list_watched(root, capsys)
    assert opened == []                                       # (its rows as they were)
    _check_marks(out, err, root)


def _as_version_5(lib: Library) -> None:
    """``lib``'s index as gradecoach wrote it before version 6 (its rows signed, up to date)."""
    for col in (*ENDS, "n_beyond_r2", "audio_s", "n_pops"):      # (added by versions 6, 10, 11 and 12)
        lib.execute(f"ALTER TABLE sessions DROP COLUMN {col}")
    lib.execute("DELETE FROM schema_migrations WHERE version > 5")
    lib.commit()


def _kept(lib: Library) -> dict[str, tuple]:
    return {r["path"]: tuple(r[c] for c in ENDS) for r in lib.rows()}


KEPT = {"ana": (1, None, None, None), "ben": (1, None, "ends at", 1), "cleo": (0, "force.csv", "ends at", 1),
        "dan": (0, None, None, None)}


def _check_kept(lib: Library) -> None:
    kept = _kept(lib)
    for name in ("ben", "cleo"):
        note = kept[name][2]
        assert note.startswith("force.csv: ends at ") and "cut short after" in note     # (in its folder)
        kept[name] = kept[name][:2] + ("ends at",) + kept[name][3:]
    assert kept == KEPT


def test_an_index_of_version_5_gets_how_its_sessions_end(tmp_path, capsys):
    """(Version 6 reads only the files' ends of its rows; version 9 reads every row again.)"""
    root = _class(tmp_path / "class")
    before, before_err, _ = _list_watched(root, capsys)
    with Library(root) as lib:
        signed = {r["path"]: r["signature"] for r in lib.rows()}
        _as_version_5(lib)
    r = gc("library", "list", root)
    assert r.returncode == 0 and (r.stdout, r.stderr) == (before, before_err)
    with Library(root) as lib:
        assert lib.version() == SCHEMA_VERSION
        assert {r["path"]: r["signature"] for r in lib.rows()} == signed
        _check_kept(lib)
    assert _list_watched(root, capsys)[2] == []


def test_a_read_only_index_of_version_5_is_listed_alike(tmp_path, capsys):
    root = _class(tmp_path / "class")
    before, _, _ = _list_watched(root, capsys)
    with Library(root) as lib:
        _as_version_5(lib)
    index = root / INDEX_NAME
    raw = bytearray(index.read_bytes())
    raw[18] = 3                          # (read-only in its own header: as on a read-only share)
    index.write_bytes(raw)
    r = gc("library", "list", root)
    assert r.returncode == 0 and r.stdout == before
    assert "index not saved" in r.stderr and "ends at" in r.stderr
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == 5
    con.close()


def test_postgresql_index_of_version_5(tmp_path, pg_url, capsys):
    root = _class(tmp_path / "class")
    with Library(root, pg_url) as lib:
        lib.execute("DROP TABLE IF EXISTS sessions")
        lib.execute("DROP TABLE IF EXISTS schema_migrations")
        lib.commit()
    before, before_err, _ = _list_watched(root, capsys, "--db", pg_url)
    _check_marks(before, before_err, root)
    with Library(root, pg_url) as lib:
        _check_kept(lib)
        _as_version_5(lib)
    out, err, _ = _list_watched(root, capsys, "--db", pg_url)
    assert (out, err) == (before, before_err)
    with Library(root, pg_url) as lib:
        assert lib.version() == SCHEMA_VERSION
        _check_kept(lib)
        assert lib.refresh().unchanged == 4
    assert _list_watched(root, capsys, "--db", pg_url)[2] == []
