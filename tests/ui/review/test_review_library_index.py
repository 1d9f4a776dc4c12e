"""The library index on awkward roots and --db paths."""

from __future__ import annotations

from ui.library import Library

from .conftest import make_session


def test_a_session_folder_as_root_is_read_once(tmp_path):
    """A Library whose root is one session folder (from Python: the command line refuses it)
    keeps its index inside it; listing again finds the session unchanged (the index file
    counted as part of the session, so every list read it again, and so did the parent
    folder's index)."""
    s = make_session(tmp_path / "ana", kinds=("III",), target="III")
    with Library(s) as lib:
        first = lib.refresh()
    with Library(s) as lib:
        again = lib.refresh()
    assert (first.added, again.unchanged, again.updated) == (1, 1, 0)
    with Library(tmp_path) as lib:
        lib.refresh()
    with Library(s) as lib:
        lib.refresh()
    with Library(tmp_path) as lib:
        res = lib.refresh()
    assert (res.unchanged, res.updated) == (1, 0)


def test_a_db_path_in_a_missing_folder_or_naming_a_folder_is_said_so(tmp_path, capsys):
    """It said "cannot write the library index there; give --db FILE somewhere writable",
    and for a folder named the folder above it."""
    from ui.cli import main

    make_session(tmp_path / "root" / "ana", kinds=("III",), target="III")
    root = str(tmp_path / "root")
    missing = tmp_path / "no" / "such" / "lib.sqlite"
    assert main(["library", "rebuild", root, "--db", str(missing)]) == 2
    assert capsys.readouterr().err == f"gradecoach: error: --db {missing}: no such folder {missing.parent}\n"
    folder = tmp_path / "indexes"
    folder.mkdir()
    assert main(["library", "list", root, "--db", str(folder)]) == 2
    assert capsys.readouterr().err == (f"gradecoach: error: --db {folder}: a folder; give a file name, "
                                       f"e.g. {folder / 'gradecoach-library.sqlite'}\n")
    assert main(["library", "list", root, "--db", str(folder / "lib.sqlite")]) == 0
    assert "ana" in capsys.readouterr().out


def test_list_says_when_nothing_matched(tmp_path, capsys):
    """'list' printed its header alone, whether the folder held no sessions or the trainee was
    mistyped: now it says which, and names the trainees there are (once each)."""
    from ui.cli import main

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["library", "list", str(empty)]) == 0
    assert capsys.readouterr().err == f"gradecoach: no session folders (with session.json) under {empty}\n"
    root = tmp_path / "root"
    make_session(root / "a1", trainee="Anna", seed=1)
    make_session(root / "a2", trainee="anna ", seed=2)
    make_session(root / "c1", trainee="Chloé", seed=3)
    assert main(["library", "list", str(root), "--trainee", "Ana"]) == 2
    assert capsys.readouterr().err == (f"gradecoach: error: {root}: no sessions of 'Ana' under it (did you mean 'Anna'?); "
                                       "trainees: Anna, Chloé\n")
    assert main(["library", "list", str(root), "--trainee", "anna"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and len(out.splitlines()) == 3


def test_one_session_is_counted_in_the_singular(tmp_path, capsys, qtbot):
    from ui.cli import main
    from ui.review.window import ReviewWindow

    make_session(tmp_path / "ana", trainee="ana", kinds=("III",), target="III")
    assert main(["library", "rebuild", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"indexed 1 session under {tmp_path} (")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    assert win.lib_status.text() == f"1 session under {tmp_path}"
    win.show_progress("ana")
    assert win.progress_view.title.text() == "progress of ana: 1 session"


def test_two_stations_making_a_new_index_at_once(tmp_path, monkeypatch):
    """Another station makes the index between this one reading its version (none yet) and
    making its tables: this one finds it made and goes on ('table sessions already exists'
    was a traceback, as was 'duplicate column name')."""
    make_session(tmp_path / "ana", kinds=("III",), target="III")
    read = Library.version
    raced = []

    def version(self):
        v = read(self)
        if not raced:
            raced.append(v)
            with Library(tmp_path) as other:         # the other station, in between
                other.refresh()
        return v

    monkeypatch.setattr(Library, "version", version)
    with Library(tmp_path) as lib:
        assert lib.refresh().unchanged == 1 and len(lib.rows()) == 1
    assert raced == [0]


def test_a_db_inside_a_recorded_session_is_refused(tmp_path, capsys, monkeypatch):
    """--db pointing into a session's folder wrote the index there, beside the recording;
    every other output refuses that folder, and so does --db now, in one line, writing nothing.
    A session folder given as ROOT without --db is refused too (tests/test_cli_folder_inputs_library_root.py,
    tests/test_cli_leftovers_review_root.py)."""
    from PySide6.QtWidgets import QApplication

    from ui.cli import main

    ana = make_session(tmp_path / "ana", kinds=("III",), target="III")
    before = sorted(p.name for p in ana.iterdir())
    for cmd in (["library", "rebuild"], ["library", "list"], ["review"]):
        db = ana / "lib.sqlite"
        monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)    # (a review that opened)
        assert main([*cmd, str(tmp_path), "--db", str(db)]) == 2, cmd
        assert capsys.readouterr().err == (f"gradecoach: error: --db {db}: inside the recorded session {ana}; "
                                           f"choose another folder, the recording is kept as it is\n")
        assert sorted(p.name for p in ana.iterdir()) == before
    assert main(["library", "list", str(tmp_path), "--db", str(tmp_path / "lib.sqlite")]) == 0
