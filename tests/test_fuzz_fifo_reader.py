"""A named pipe given by its name is read once what a program writes into it, and one nobody
writes into is a one-line error after a wait, not a wait for ever
(:func:`firmware_bridge.file_kind.read_named_pipe`: ``mkfifo f.csv; gradecoach replay f.csv``
opened it as a file, which waits for a writer that may never come)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from analysis.errors import InputError
from firmware_bridge.file_kind import read_named_pipe

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def test_nobody_writing_is_one_line_after_the_wait(tmp_path):
    p = tmp_path / "f.csv"
    os.mkfifo(p)
    t = time.monotonic()
    with pytest.raises(InputError) as e:
        read_named_pipe(p, 1 << 20, wait_s=0.5)
    assert time.monotonic() - t < 5
    assert str(e.value) == (f"{p}: a named pipe nothing was written into in 0.5 s; start the program that writes "
                            f"into it first, or give a file")


def test_what_a_program_writes_is_read_whole_and_bounded(tmp_path):
    p = tmp_path / "f.csv"
    os.mkfifo(p)
    data = b"t_s,force_n\n" + b"0.000,1.0\n" * 20000

    def write(late: float):
        time.sleep(late)
        try:
            with open(p, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:                     # (the reader stopped at its bound)
            pass

    for late, limit, want in ((0.3, 1 << 20, data), (0.0, 1000, data[:1001])):
        w = threading.Thread(target=write, args=(late,), daemon=True)
        w.start()
        assert read_named_pipe(p, limit, wait_s=10) == want
        w.join(5)


def test_a_writer_that_closes_at_once_gives_nothing(tmp_path):
    p = tmp_path / "f.csv"
    os.mkfifo(p)
    w = threading.Thread(target=lambda: open(p, "wb").close(), daemon=True)
    w.start()
    assert read_named_pipe(p, 100, wait_s=10) == b""
    w.join(5)
