"""Which files the library index makes, takes and moves aside."""

from __future__ import annotations

import sqlite3

from ui.cli import main
from ui.library import INDEX_NAME
from ui.review.window import ReviewWindow

from .conftest import make_session


def test_a_folder_without_sessions_gets_no_index(tmp_path, capsys, qtbot):
    """'list' and the review window on a folder of bare CSVs said there were no sessions and
    left a gradecoach-library.sqlite there all the same."""
    sim = tmp_path / "sim"
    sim.mkdir()
    (sim / "s00.csv").write_text("t_s,force_n\n0,1\n0.005,2\n")
    assert main(["library", "list", str(sim)]) == 0
    assert capsys.readouterr().err == f"gradecoach: no session folders (with session.json) under {sim}\n"
    assert main(["library", "rebuild", str(sim)]) == 0
    win = ReviewWindow(sim)
    qtbot.addWidget(win)
    assert win.lib_status.text() == f"0 sessions under {sim}"
    win.close()
    assert sorted(p.name for p in sim.iterdir()) == ["s00.csv"]
    make_session(sim / "ana", kinds=("III",), target="III")            # the first session: made now
    assert main(["library", "list", str(sim)]) == 0
    assert "ana" in capsys.readouterr().out
    con = sqlite3.connect(sim / INDEX_NAME)
    assert con.execute("SELECT path FROM sessions").fetchall() == [("ana",)]
    con.close()


def test_a_file_that_is_no_sqlite_file_is_not_taken_for_a_damaged_index(tmp_path, capsys):
    """'rebuild --db events.csv' renamed the CSV a report wrote to events.csv.broken and took
    its name; 'list --db' on it suggested that command."""
    make_session(tmp_path / "root" / "ana", kinds=("III",), target="III")
    root = tmp_path / "root"
    for name, text in (("events.csv", "recording,type,t_start\nclass/ana,cycle,2.9\n"),
                       ("report.html", "<!doctype html><title>class</title>\n")):
        other = tmp_path / name
        other.write_text(text)
        for action in ("list", "rebuild"):
            assert main(["library", action, str(root), "--db", str(other)]) == 2
            # (a page gradecoach did not write is said to be one before it is looked at as an index)
            assert capsys.readouterr().err == (
                f"gradecoach: error: {other}: not a library index (not an SQLite file), left as it is; give --db a "
                f"new file name\n" if name == "events.csv" else f"gradecoach: error: --db {other}: that is an HTML "
                f"page gradecoach did not write (class); choose another file, the file is kept as it is\n")
        assert other.read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "report.html", "root"]
    empty = tmp_path / "new.sqlite"
    empty.touch()                                   # an empty file is an empty SQLite database
    assert main(["library", "rebuild", str(root), "--db", str(empty)]) == 0
    assert "indexed 1 session" in capsys.readouterr().out


def test_a_second_damaged_index_keeps_the_first_one_moved_aside(tmp_path, capsys):
    make_session(tmp_path / "ana", kinds=("III",), target="III")
    index = tmp_path / INDEX_NAME
    for n, suffix in ((1, ".broken"), (2, ".broken-2"), (3, ".broken-3")):
        index.write_bytes(b"SQLite format 3\0" + f"damage {n}".encode() * 100)
        assert main(["library", "rebuild", str(tmp_path)]) == 0
        assert f"moved it aside to {index}{suffix} and made a new one" in capsys.readouterr().err
    for n, suffix in ((1, ".broken"), (2, ".broken-2"), (3, ".broken-3")):
        assert f"damage {n}".encode() in (tmp_path / f"{INDEX_NAME}{suffix}").read_bytes()
