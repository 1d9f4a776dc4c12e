"""SerialSource fed crafted bytes through a real pseudo-terminal: raw counts, garbage, gaps, lines.

The test writes to the terminal's master side exactly what a device would send; the source
reads the other side through pyserial as it would read a USB port.
"""

from __future__ import annotations

import os
import time
import tty

import numpy as np
import pytest

from analysis.errors import DeviceError
from firmware_bridge.protocol import binary as b
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.sources import open_source


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def drain(src: SerialSource, want: int, timeout_s: float = 10.0):
    """Chunks until ``want`` force samples arrived (the source holds its first second back)."""
    chunks, n = [], 0
    deadline = time.monotonic() + timeout_s
    while n < want and time.monotonic() < deadline:
        got = src.read(0.1)
        chunks += got
        n += sum(len(c) for c in got if c.stream == "force")
    return chunks


def test_raw_counts_are_calibrated_and_garbage_gaps_and_bad_frames_are_counted(pty_pair):
    master, path = pty_pair
    src = SerialSource(path)
    src.open()
    assert b.BinaryDecoder().feed(os.read(master, 100))[0] == b.Command("identify", 0.0)   # asked on open
    ident = b.Identify("gc-ref", "1.0.0", 1000.0, "counts", {"offset": 1000.0, "n_per_count": 0.01}, False)
    t0 = time.monotonic()
    os.write(master, b"\x00\x55garbage" + b.encode_identify(ident))
    bad = bytearray(b.encode_samples(30, 30_000, 1000, np.full(10, 3000.0), raw_counts=True))
    bad[8] ^= 0xFF
    for k in range(0, 60, 10):
        if k == 30:
            os.write(master, bytes(bad))             # corrupted on the wire: these 10 are lost
            continue
        counts = 1000.0 + 100.0 * np.arange(k, k + 10)  # (counts − offset) · 0.01 = k N
        os.write(master, b.encode_samples(k, 1_000_000 + 1000 * k, 1000, counts, raw_counts=True))
        time.sleep(max(0.0, t0 + 0.011 * (k + 10) / 10 - time.monotonic()))
    chunks = drain(src, 50)
    src.close()
    force = [c for c in chunks if c.stream == "force"]
    values = np.concatenate([c.values for c in force])
    seq = np.concatenate([np.arange(c.seq0, c.seq0 + len(c)) for c in force])
    assert seq.tolist() == list(range(30)) + list(range(40, 60))
    assert np.allclose(values, seq * 1.0)
    assert src.info["force_units"] == "N" and src.info["name"] == "gc-ref" and src.info["firmware"] == "1.0.0"
    assert src.stats.crc_errors == 2 and src.stats.dropped == 10     # the garbage and the corrupted frame
    (gap,) = [n for n in src.notices() if n.kind == "gap"]
    t = np.concatenate([c.t_s for c in force])
    assert t[29] < gap.t_s < gap.t_end_s < t[30]
    assert gap.t_end_s - gap.t_s == pytest.approx(0.009, abs=1e-4)      # samples 30..39 at 1 kHz


def test_untimed_lines_are_spread_over_their_arrival_and_a_header_is_skipped(pty_pair):
    master, path = pty_pair
    src = SerialSource(path)
    src.open()
    os.write(master, b"\nforce_n\r\n")
    for k in range(40):
        os.write(master, "".join(f"{k * 5 + j}.5\r\n" for j in range(5)).encode())
        time.sleep(0.02)
    chunks = drain(src, 200)
    src.close()
    values = np.concatenate([c.values for c in chunks])
    t = np.concatenate([c.t_s for c in chunks])
    assert values.tolist() == [k + 0.5 for k in range(200)]
    assert (np.diff(t) > 0).all() and src.stats.crc_errors == 0 and src.info["protocol"] == "line"


def test_a_port_that_is_not_there_is_one_line():
    src = open_source("serial:/nonexistent/ttyACM9@230400")
    src.open_timeout_s = 0.2
    with pytest.raises(DeviceError, match=r"^serial:/nonexistent/ttyACM9: cannot open"):
        src.open()
    with pytest.raises(DeviceError, match="baud rate"):
        open_source("serial:/dev/ttyACM0@fast")
