"""An SQLite file of another program given as --db is refused and left as it is."""

from __future__ import annotations

import sqlite3

from ui.cli import main

from .conftest import make_session


def _other(path, tables):
    con = sqlite3.connect(path)
    for t in tables:
        con.execute(f"CREATE TABLE {t} (id INTEGER, name TEXT)")
        con.execute(f"INSERT INTO {t} VALUES (1, 'x')")
    con.commit()
    con.close()


def test_another_programs_sqlite_file_is_refused_and_left_as_it_is(tmp_path, capsys):
    """'rebuild --db contacts.sqlite' added schema_migrations and sessions to another program's
    file and exited 0; with a 'sessions' table of its own, rebuild and list ended in a traceback
    'table sessions already exists' and left schema_migrations behind."""
    root = tmp_path / "root"
    make_session(root / "ana", kinds=("III",), target="III")
    for name, tables in (("contacts.sqlite", ("contacts",)), ("crm.sqlite", ("contacts", "sessions"))):
        other = tmp_path / name
        _other(other, tables)
        before = other.read_bytes()
        for action in ("rebuild", "list"):
            assert main(["library", action, str(root), "--db", str(other)]) == 2
            assert capsys.readouterr().err == (
                f"gradecoach: error: {other}: an SQLite file of another program, not a gradecoach library "
                f"index; left as it is; give --db a new file name\n")
            assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.sqlite", "crm.sqlite", "root"]


def test_our_own_index_and_an_empty_database_are_still_taken(tmp_path, capsys):
    root = tmp_path / "root"
    make_session(root / "ana", kinds=("III",), target="III")
    empty = tmp_path / "new.sqlite"
    sqlite3.connect(empty).close()                 # a database file with no tables
    for _ in range(2):                              # made, then opened again as ours
        assert main(["library", "rebuild", str(root), "--db", str(empty)]) == 0
        assert "indexed 1 session" in capsys.readouterr().out
    assert main(["library", "list", str(root), "--db", str(empty)]) == 0
    assert "ana" in capsys.readouterr().out
