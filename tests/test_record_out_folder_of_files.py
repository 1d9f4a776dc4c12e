"""``record --out`` records into a new folder or an empty one, never into a folder of someone's
own files (a logger's CSVs): that folder would become a session, later outputs into it refused
as inside a recorded session, and the library would list it."""

from __future__ import annotations

import pytest

from firmware_bridge.session import open_session
from tests.conftest import gc


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_folder_of_files_is_refused_before_the_device_is_opened_and_left_as_it_is(tmp_path):
    own = tmp_path / "csvdir"
    own.mkdir()
    (own / "logger-01.csv").write_text("Time,Force\n0.0,1.5\n0.1,2.0\n")
    (own / "notes.txt").write_text("Anna, Tuesday\n")
    before = _files(tmp_path)
    # a device that is not there: the folder is refused before any device is opened
    r = gc("record", "--device", f"serial:{tmp_path / 'no-such-port'}", "--out", own, "--duration", 1, "--quiet")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --out {own}: it already holds files (logger-01.csv, "
                                     f"notes.txt); a session is recorded into a new or empty folder, "
                                     f"e.g. {own / 'session-1'}"]
    assert _files(tmp_path) == before
    assert sorted(p.name for p in own.iterdir()) == ["logger-01.csv", "notes.txt"]


def test_the_name_it_suggests_is_free_and_long_lists_are_cut(tmp_path):
    own = tmp_path / "csvdir"
    (own / "session-1").mkdir(parents=True)
    for k in range(4):
        (own / f"log{k}.csv").write_text("Time,Force\n0,1\n")
    r = gc("record", "--device", "emulator:hvla", "--out", own, "--duration", 1, "--quiet")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: --out {own}: it already holds files (log0.csv, log1.csv, "
                                     f"log2.csv, …); a session is recorded into a new or empty folder, "
                                     f"e.g. {own / 'session-2'}"]
    assert not (own / "session.json").exists()


@pytest.mark.parametrize("case", ["new", "empty", "empty as a file browser left it", "empty as KDE and macOS left it"])
def test_a_new_or_empty_folder_records(tmp_path, case):
    out = tmp_path / "anna"
    if case != "new":
        out.mkdir()
    if case == "empty as a file browser left it":
        (out / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    if case == "empty as KDE and macOS left it":     # (Dolphin's view settings; a drive's resource forks)
        (out / ".directory").write_text("[Dolphin]\nViewMode=1\n")
        (out / "._.DS_Store").write_bytes(b"\0\5\26\7")
    r = gc("record", "--device", "emulator:hvla", "--out", out, "--duration", 1, "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("recorded ")
    s = open_session(out)
    assert s.meta.complete and len(s.force.t_s) > 500
