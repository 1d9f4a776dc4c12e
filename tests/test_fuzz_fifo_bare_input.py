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


def test_a_named_pipe_nobody_writes_into_is_one_line(tmp_path):
    p = tmp_path / "f.csv"
    os.mkfifo(p)
    t = time.monotonic()
    r = gc("replay", p)
    assert time.monotonic() - t < 30
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {p}: a named pipe nothing was written into in 10 s; start "
                                     f"the program that writes into it first, or give a file"]


def test_what_a_program_writes_into_it_is_replayed(tmp_path):
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
