"""``gradecoach devices --probe`` recognises a sketch that prints one line at a time (each read
brings one line): it said 'sends data, protocol not recognised' unless three lines came in one
read. A real pseudo-terminal."""

from __future__ import annotations

import os
import threading
import tty

from firmware_bridge.serial_source import probe


def test_lines_that_come_one_read_at_a_time_are_the_line_protocol():
    master, slave = os.openpty()
    tty.setraw(slave)
    stop = threading.Event()

    def sketch():                                  # 20 lines a second, each written alone
        k = 0
        while not stop.wait(0.05):
            os.write(master, f"{50 * k},{20.0 + k % 7:.1f}\r\n".encode())
            k += 1

    th = threading.Thread(target=sketch, daemon=True)
    th.start()
    try:
        said = probe(os.ttyname(slave), timeout_s=5.0)
    finally:
        stop.set()
        th.join(5)
        os.close(master)
        os.close(slave)
    assert said.startswith("line protocol"), said
