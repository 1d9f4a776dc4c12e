"""A line-protocol sketch whose first column is not a clock (times that go back within what one
read brings, e.g. columns swapped or a countdown) must not make a recording that cannot be
opened: lines whose time is not after the ones before them are counted as bad lines and left
out, and the recorded times only ever go forward. Through a real pseudo-terminal."""

from __future__ import annotations

import os
import threading
import tty

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session


def test_times_going_back_within_a_batch_are_bad_lines_and_the_recording_opens(tmp_path):
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    stop = threading.Event()

    def send():                       # ten lines at a time, each batch counting down
        k = 0
        while not stop.wait(0.01):
            batch = "".join(f"{-(k + i)},{20 + (k + i) % 50}\n" for i in range(10))
            try:
                os.write(master, batch.encode())
                os.read(master, 4096)
            except (BlockingIOError, OSError):
                pass
            k += 10

    th = threading.Thread(target=send, daemon=True)
    th.start()
    src = SerialSource(os.ttyname(slave))
    try:
        src.open()
        w = SessionWriter(tmp_path / "sess", new_meta(src, GradingScheme(40, 120)))
        record(src, w, GradingScheme(40, 120), stop=lambda: w.n_force >= 100)
        src.close()
        w.close()
    finally:
        stop.set()
        th.join(5)
        os.close(master)
        os.close(slave)
    s = open_session(tmp_path / "sess")
    assert s.warnings == [] and len(s.force.t_s) >= 100 and (np.diff(s.force.t_s) > 0).all()
    assert src.stats.crc_errors >= 5 * len(s.force.t_s)      # nine lines in ten went back in time
