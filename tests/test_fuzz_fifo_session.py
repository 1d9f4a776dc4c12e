"""A named pipe (FIFO) in a session folder, where a recording wrote files, is said in one line
and not opened: opened, it waited for ever for a writer that never came. replay, report,
record --device file:SESSION and screenshot hung on a session whose force.csv or events.jsonl is
one; library rebuild and list over a class folder holding such a session sat silent for ever.
Its audio file as a named pipe is left out with a warning; the library leaves out a session
whose session.json is one, saying why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import make_session

# (each command runs in this process: one that waits on a pipe for ever fails on the tests' timeout)
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def piped(session: Path, name: str) -> Path:
    p = session / name
    if p.exists():
        p.unlink()
    os.mkfifo(p)
    return p


@pytest.mark.parametrize("name", ["force.csv", "events.jsonl"])
def test_replay_and_report_of_a_session_with_a_named_pipe(tmp_path, name):
    s = make_session(tmp_path / "s", cycles=3)
    p = piped(s, name)
    line = [f"gradecoach: error: {p}: a named pipe, not a file"]
    for args in (["replay", s], ["report", s, "-o", tmp_path / "r.html"],
                 ["record", "--device", f"file:{s}", "--out", tmp_path / "rec"]):
        r = gc(*args)
        assert (r.returncode, r.stderr.splitlines()) == (2, line), args
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "rec").exists()


def test_its_audio_as_a_named_pipe_is_left_out(tmp_path):
    s = make_session(tmp_path / "s", cycles=3)
    p = piped(s, "audio.flac")
    r = gc("replay", s, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert f"gradecoach: warning: {p}: a named pipe, not a file; analysed without it" in r.stderr.splitlines()


def test_a_library_of_sessions_with_named_pipes(tmp_path):
    root = tmp_path / "class"
    make_session(root / "anna", trainee="anna", cycles=3)
    bad = {n: make_session(root / n, trainee=n, cycles=3, seed=i) for i, n in enumerate(("ben", "cleo", "dan"), 1)}
    said = [piped(bad["ben"], "force.csv"), piped(bad["cleo"], "events.jsonl"), piped(bad["dan"], "session.json")]
    for action in ("rebuild", "list"):
        r = gc("library", action, root, "--db", tmp_path / "lib.sqlite")
        assert r.returncode == 0, r.stderr
        for p in said:
            assert f"gradecoach: warning: {p}: a named pipe, not a file" in r.stderr.splitlines()
    assert "anna" in r.stdout and "ben" not in r.stdout


def test_an_index_that_is_a_named_pipe(tmp_path):
    make_session(tmp_path / "class" / "anna", cycles=3)
    db = tmp_path / "db.sqlite"
    os.mkfifo(db)
    for action in ("rebuild", "list"):
        r = gc("library", action, tmp_path / "class", "--db", db)
        assert (r.returncode, r.stderr.splitlines()) == (
            2, [f"gradecoach: error: --db {db}: a named pipe, not a file; give an index file"])
