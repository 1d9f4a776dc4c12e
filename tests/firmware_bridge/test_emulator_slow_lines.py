"""A slow line-protocol sensor emulated (``emulate --line --rate 2``) prints each line when its
sample is taken, as a sketch does, not ten at a time (one burst every 5 s, later than
``record`` waits for a first sample). Through a real pseudo-terminal and pyserial."""

from __future__ import annotations

import time

import serial

from firmware_bridge.emulator import PtyEmulator


def test_each_line_of_a_slow_sensor_comes_when_it_is_taken(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 2, line=True, speed=4)
    em.start()
    port = serial.Serial(str(em.link), 115200, timeout=0.05)
    got = b""
    try:
        deadline = time.monotonic() + 30
        while got.count(b"\n") < 4:
            assert time.monotonic() < deadline
            got += port.read(port.in_waiting or 1)
    finally:
        port.close()
        em.stop()
    # one write per line (the fourth line came 1.5 s of device time after the first, not 5 s)
    assert em.frames >= 4 and em.frames == em.sent
    # (the lines written before the port was opened are not read: pyserial's open empties what
    # waits, and on a loaded machine the first line of 0 ms came before it)
    t_ms = [float(x.split(b",")[0]) for x in got.splitlines()[:4]]
    assert t_ms[0] % 500.0 == 0.0 and t_ms == [t_ms[0] + 500.0 * i for i in range(4)]
