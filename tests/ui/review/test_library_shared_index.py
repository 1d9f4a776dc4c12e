"""One library index shared by several stations: a recording ending while the index is
refreshed, another station writing the index, a full disk. Real SQLite files and real
processes."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

import ui.library.folders
import ui.library.index
from ui.cli import main
from ui.library import INDEX_NAME, SCHEMA_VERSION, Library
from ui.review.window import ReviewWindow

from .conftest import make_session, tear

HOLD = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN " + sys.argv[2])
c.execute("UPDATE sessions SET trainee = trainee")
print("held", flush=True)
sys.stdin.read()
c.execute("COMMIT")
"""


@pytest.fixture
def another_station():
    """``hold(index, kind)``: another process holding a write transaction (``BEGIN kind``) on
    the SQLite file ``index`` until the test ends."""
    procs = []

    def hold(index, kind="IMMEDIATE"):
        p = subprocess.Popen([sys.executable, "-c", HOLD, str(index), kind], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        procs.append(p)
        assert p.stdout.readline() == "held\n"
    yield hold
    for p in procs:
        p.communicate("", timeout=10)


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """A class of two sessions whose index was made, and a third session new to it; waiting
    for another station is cut to 0.2 s."""
    root = tmp_path / "class"
    make_session(root / "ana", trainee="ana", kinds=("III",), target="III", seed=1)
    make_session(root / "ben", trainee="ben", kinds=("II",), target="III", seed=2)
    with Library(root) as lib:
        lib.refresh()
    make_session(root / "cara", trainee="cara", kinds=("III",), target="III", seed=3)
    monkeypatch.setattr(ui.library.index, "BUSY_TIMEOUT_S", 0.2)
    return root


def _list_line(capsys, name: str) -> list[str]:
    """The columns of ``name``'s line of 'library list', up to its path."""
    out = capsys.readouterr().out
    cols = next(line for line in out.splitlines() if f"  {name}" in line).split(f"  {name}")[0].split()
    return cols + [name]


def test_a_recording_that_ends_while_it_is_read_is_read_again(tmp_path, monkeypatch, capsys):
    """A refresh that read a recording just before it finished kept its "0 cycles" for good: the
    row was signed with the finished folder's signature, so no refresh read it again."""
    done = make_session(tmp_path / "done", trainee="cara", kinds=("III",), target="III")
    root = tmp_path / "class"
    live = root / "live"
    shutil.copytree(done, live)
    tear(live, keep=0.05)                           # still recording: hardly any force yet
    read = ui.library.folders.session_events

    def read_then_finish(folder):
        got = read(folder)
        for f in done.iterdir():                    # the recorder writes its last files meanwhile
            shutil.copyfile(f, live / f.name)
        return got

    monkeypatch.setattr(ui.library.folders, "session_events", read_then_finish)
    assert main(["library", "list", str(root)]) == 0
    assert _list_line(capsys, "live")[-3] == "0"    # read while recording
    monkeypatch.setattr(ui.library.folders, "session_events", read)
    assert main(["library", "list", str(root)]) == 0
    with Library(tmp_path / "done") as fresh:
        fresh.rebuild()
        n_cycles = fresh.rows()[0]["n_cycles"]
    assert n_cycles > 0
    assert _list_line(capsys, "live")[-3] == str(n_cycles)


@pytest.mark.parametrize("kind", ["IMMEDIATE", "EXCLUSIVE"])
def test_an_index_another_station_is_writing_is_listed_without_saving(shared, another_station, capsys, kind):
    """'database is locked' ended 'list' in a traceback when another station held the index
    longer than SQLite's 5 s; one holding it exclusively (mid-commit) blocks reading it too."""
    index = shared / INDEX_NAME
    another_station(index, kind)
    assert main(["library", "list", str(shared)]) == 0
    cap = capsys.readouterr()
    assert cap.err == (f"gradecoach: warning: index not saved: library index {index}: busy (another gradecoach "
                       f"has been writing it for 0.2 s); try again\n")
    assert [line.split()[-1] for line in cap.out.splitlines()[1:]] == ["ana", "ben", "cara"]


def test_rebuild_of_an_index_another_station_is_writing_is_one_line(shared, another_station, capsys):
    index = shared / INDEX_NAME
    another_station(index)
    assert main(["library", "rebuild", str(shared)]) == 2
    assert capsys.readouterr().err == (f"gradecoach: error: library index {index}: busy (another gradecoach "
                                       f"has been writing it for 0.2 s); try again\n")


def test_the_review_window_opens_on_an_index_another_station_is_writing(shared, another_station, qtbot):
    """'gradecoach review' failed to open (exit 1, a traceback)."""
    another_station(shared / INDEX_NAME)
    win = ReviewWindow(shared)
    qtbot.addWidget(win)
    assert win.lib_status.text().startswith(f"3 sessions under {shared}; index not saved: library index ")
    assert "busy (another gradecoach has been writing it" in win.lib_status.text()
    assert sorted(r["trainee"] for r in win.rows) == ["ana", "ben", "cara"]
    win.close()



def test_a_full_disk_under_the_index_is_one_line_and_the_sessions_are_listed(shared, small_disk, capsys):
    """'database or disk is full' ended 'list' in a traceback, and nothing was listed."""
    index = small_disk / "index.sqlite"
    assert main(["library", "rebuild", str(shared), "--db", str(index)]) == 0
    make_session(shared / "dan", trainee="dan", kinds=("III",), target="III", seed=4)
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as fh:     # the disk filled by something else
        try:
            while True:
                fh.write(b"\0" * 512)
        except OSError:
            pass
    capsys.readouterr()
    assert main(["library", "list", str(shared), "--db", str(index)]) == 0
    cap = capsys.readouterr()
    assert cap.err == (f"gradecoach: warning: index not saved: library index {index}: cannot be written "
                       f"(database or disk is full); free some space there, or give --db FILE on another disk\n")
    assert [line.split()[-1] for line in cap.out.splitlines()[1:]] == ["ana", "ben", "cara", "dan"]


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC0")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("first, second, shown", [
    # Sydney 5 s before Los Angeles (one minute: told apart by their seconds)
    ("2025-03-01T10:00:05+1100", "2025-02-28T15:00:10-0800", ["2025-02-28 23:00:05", "2025-02-28 23:00:10"]),
    # 20 min apart, the clocks gone back
    ("2026-11-01T01:50:00-0700", "2026-11-01T01:10:00-0800", ["2026-11-01 08:50", "2026-11-01 09:10"]),
])
def test_sessions_are_listed_in_the_order_they_were_recorded(tmp_path, capsys, utc, first, second, shown):
    """They were ordered by the text of their stamps: the later session first. Each is dated in
    this computer's time zone (here UTC), so that the dates read in the order they are listed."""
    make_session(tmp_path / "first", trainee="anna", created=first, seed=1)
    make_session(tmp_path / "second", trainee="anna", created=second, seed=2)
    assert main(["library", "list", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert [line.split()[-1] for line in lines] == ["first", "second"]
    assert [" ".join(line.split()[:2]) for line in lines] == shown


def test_an_index_of_a_newer_version_is_left_as_it_is_and_its_sessions_listed(shared, capsys):
    """'list' refused it saying to rebuild the index, and 'rebuild' refused it saying the same."""
    index = shared / INDEX_NAME
    con = sqlite3.connect(index)
    con.execute("INSERT INTO schema_migrations VALUES (99, 'on another station')")
    con.commit()
    con.close()
    before = index.read_bytes()
    said = (f"{index}: library index version 99 is newer than this gradecoach ({SCHEMA_VERSION}), left as it "
            f"is (the newer gradecoach may keep in it what the session folders do not); upgrade gradecoach, "
            f"or give --db FILE for an index of this version's own\n")
    assert main(["library", "rebuild", str(shared)]) == 2
    assert capsys.readouterr().err == f"gradecoach: error: {said}"
    assert main(["library", "list", str(shared)]) == 0
    cap = capsys.readouterr()
    assert cap.err == f"gradecoach: warning: index not saved: {said}"
    assert [line.split()[-1] for line in cap.out.splitlines()[1:]] == ["ana", "ben", "cara"]
    assert index.read_bytes() == before


def test_a_session_still_recording_or_cut_off_is_marked(tmp_path, capsys):
    """It was listed as any other ('–  0  0'), while replay and report said it did not finish."""
    make_session(tmp_path / "old", trainee="ana", seed=1)
    tear(make_session(tmp_path / "live", trainee="cara", created="2025-03-02T10:00:00", seed=2))
    assert main(["library", "list", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines[0].endswith("  old")
    assert lines[1].endswith("  live  (unfinished: still recording, or cut off)")


def test_names_typed_with_spaces_around_them_keep_the_columns(tmp_path, capsys):
    """' ANNA ' shifted the technique, target and score of her row one place to the right."""
    make_session(tmp_path / "a", trainee=" ANNA ", technique_name=" PA  L4", seed=1)
    make_session(tmp_path / "b", trainee="ben", created="2025-03-02T10:00:00", seed=2)
    make_session(tmp_path / "c", trainee="  ", created="2025-03-03T10:00:00", seed=3)
    assert main(["library", "list", str(tmp_path)]) == 0
    head, *lines = capsys.readouterr().out.splitlines()
    assert [line[18:34] for line in lines] == ["ANNA            ", "ben             ", "no trainee      "]
    assert [line[36:50] for line in lines] == ["PA L4         "] * 3
    assert len({line.index(" %") for line in lines}) == 1


def test_a_copied_session_folder_is_named(tmp_path, capsys):
    """A folder copied by hand was listed twice, with no word."""
    make_session(tmp_path / "anna", trainee="anna", seed=1)
    make_session(tmp_path / "ben", trainee="ben", seed=2)
    shutil.copytree(tmp_path / "anna", tmp_path / "backup" / "anna")
    said = (f"gradecoach: warning: anna and backup/anna under {tmp_path} hold the same recording (a copy?): "
            f"it is listed twice\n")
    for action in ("rebuild", "list"):
        assert main(["library", action, str(tmp_path)]) == 0
        assert capsys.readouterr().err == said
