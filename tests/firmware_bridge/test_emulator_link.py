"""Two emulators started on the same link (``emulate --link ./sensor.pty`` run twice): the
second takes the link, and stopping the first no longer deletes it from under the second (a
recording from the second then lost its sensor for good). Real pseudo-terminals and pyserial."""

from __future__ import annotations

import os
import time

import serial

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.protocol import binary as b


def test_stopping_the_first_emulator_leaves_the_second_ones_link(tmp_path):
    link = tmp_path / "sensor.pty"
    first = PtyEmulator(link, "grade3", 1000)
    first.start()
    second = PtyEmulator(link, "grade2", 1000)
    second.start()
    try:
        first.stop()
        assert link.is_symlink() and os.readlink(link) == os.ttyname(second.slave)
        port = serial.Serial(str(link), 115200, timeout=0.05)
        dec, blocks = b.BinaryDecoder(), []
        deadline = time.monotonic() + 30
        try:
            while len(blocks) < 10:
                assert time.monotonic() < deadline
                blocks += [m for m in dec.feed(port.read(port.in_waiting or 1)) if isinstance(m, b.SampleBlock)]
        finally:
            port.close()
    finally:
        second.stop()
    assert not link.is_symlink()                       # each removes only its own
