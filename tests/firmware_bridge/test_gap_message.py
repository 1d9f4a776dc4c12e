"""One lost sample is said in the singular ('1 sample lost', not '1 samples lost'), the line
``record`` prints for each gap. A real pseudo-terminal."""

from __future__ import annotations

import os
import time
import tty

import numpy as np

from firmware_bridge.protocol import binary as b
from firmware_bridge.serial_source import SerialSource


def test_one_lost_sample_is_said_in_the_singular():
    master, slave = os.openpty()
    tty.setraw(slave)
    src = SerialSource(os.ttyname(slave))
    src.open()
    notes = []
    try:
        k, deadline = 0, time.monotonic() + 30
        while not any(n.kind == "gap" for n in notes):
            assert time.monotonic() < deadline
            skip = 1 if k == 300 else 0                      # one sample never sent
            os.write(master, b.encode_samples(k + skip, 1000 * (k + skip), 1000, np.ones(10 - skip)))
            k += 10
            src.read(0.01)
            notes += src.notices()
    finally:
        src.close()
        os.close(master)
        os.close(slave)
    (gap,) = [n for n in notes if n.kind == "gap"]
    assert gap.message.endswith(": 1 sample lost")
