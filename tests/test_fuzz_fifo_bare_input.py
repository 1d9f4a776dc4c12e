"""A named pipe given as the recording (``mkfifo f.csv; gradecoach replay f.csv``): nobody writing
into it is one line after a wait, where replay, report and record waited for ever; what a program
writes into it is replayed."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import gc

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lumbar_grade3.csv"


@pytest.fixture(autouse=True)
def short_wait(monkeypatch):
    """The wait for a writer, 10 s, made short (the commands run in this process)."""
    import firmware_bridge.file_kind as fk
    monkeypatch.setattr(fk, "NAMED_PIPE_WAIT_S", 0.5)


def test_a_named_pipe_nobody_writes_into_is_one_line(tmp_path):
    p = tmp_path / "f.csv"
    os.mkfifo(p)
    t = time.monotonic()
    r = gc("replay", p)
    assert time.monotonic() - t < 30
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {p}: a named pipe nothing was written into in 0.5 s; start "
                                     f"the program that writes into it first, or give a file"]


def test_a_writer_that_stops_writing_but_keeps_it_open_is_one_line(tmp_path):
    """A writer that wrote a little and holds the pipe open hung replay with no word."""
    p = tmp_path / "f.csv"
    os.mkfifo(p)
    done = threading.Event()

    def write():
        with open(p, "wb") as fh:
            fh.write(b"t_s,force_n\n0,1\n")
            fh.flush()
            done.wait(20)

    w = threading.Thread(target=write, daemon=True)
    w.start()
    try:
        r = gc("replay", p)
    finally:
        done.set()
        w.join(10)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {p}: a named pipe nothing more was written into in 0.5 s, "
                                     f"and its writer has not closed it; give a file"]


def test_a_named_pipe_named_as_sound_is_refused_at_once(tmp_path):
    """``mkfifo z.wav; replay z.wav`` waited 10 s to say 'start the program that writes into it',
    which, done, was refused: sound through a named pipe cannot be read again."""
    p = tmp_path / "z.wav"
    os.mkfifo(p)
    t = time.monotonic()
    r = gc("replay", p)
    assert time.monotonic() - t < 5
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {p}: a named pipe (read once, it cannot be read again); "
                                     f"give it as <(cat {p}) or save it to a file"]


def test_what_a_program_writes_into_it_is_replayed(tmp_path, monkeypatch):
    import firmware_bridge.file_kind as fk
    monkeypatch.setattr(fk, "NAMED_PIPE_WAIT_S", 10.0)   # (the writer starts 0.5 s late: not raced)
    p = tmp_path / "f.csv"
    os.mkfifo(p)

    def write():
        time.sleep(0.5)
        with open(p, "wb") as fh:
            fh.write(FIXTURE.read_bytes())

    w = threading.Thread(target=write, daemon=True)
    w.start()
    r = gc("replay", p, "--r1", "40", "--r2", "120")
    w.join(10)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count('"type": "cycle"') == 20
