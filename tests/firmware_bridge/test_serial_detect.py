"""Protocol detection when the host joins a running stream: the first bytes are a cut-off piece.

A board that already streams (or a USB packet boundary) can hand the host the tail of a binary
frame first. Such a tail has no ``0x00`` (that ends every frame) but may well hold ``0x0A``
(the sample count of a 10-sample block is 0x0A), so it must not be taken for the line protocol.
The bytes go through a real pseudo-terminal and pyserial; the test waits until the source has
read each piece (the terminal's input queue is empty) instead of sleeping.
"""

from __future__ import annotations

import fcntl
import os
import struct
import termios
import time
import tty

import numpy as np
import pytest

from firmware_bridge.protocol import binary as b
from firmware_bridge.serial_source import SerialSource


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, slave, os.ttyname(slave)
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def waiting(fd: int) -> int:
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def wait_consumed(slave: int, quiet_s: float = 0.1, timeout_s: float = 5.0) -> None:
    """Until the reader has taken every byte and the terminal stayed empty for ``quiet_s``.

    The terminal moves bytes from its master to its slave side asynchronously, so one empty
    look is not proof; an empty queue for a tenth of a second (many of the reader's polls) is.
    """
    deadline = time.monotonic() + timeout_s
    empty_since = None
    while time.monotonic() < deadline:
        now = time.monotonic()
        if waiting(slave):
            empty_since = None
        elif empty_since is None:
            empty_since = now
        elif now - empty_since >= quiet_s:
            return
        time.sleep(0.002)
    raise AssertionError("the source did not read the terminal")


def drain(src: SerialSource, want: int, timeout_s: float = 5.0) -> list:
    chunks, n = [], 0
    deadline = time.monotonic() + timeout_s
    while n < want and time.monotonic() < deadline:
        got = src.read(0.1)
        chunks += [c for c in got if c.stream == "force"]
        n += sum(len(c) for c in got if c.stream == "force")
    return chunks


@pytest.mark.parametrize("cut", [9, 11, 13])
def test_joining_a_binary_stream_mid_frame_still_reads_it_as_binary(pty_pair, cut):
    master, slave, path = pty_pair
    frames = [b.encode_samples(k, 1000 * k, 1000, 20.0 + np.arange(10.0)) for k in range(0, 3000, 10)]
    tail = frames[0][cut:-1]                      # a frame cut before its end delimiter
    assert b"\n" in tail and b"\x00" not in tail  # the trap: looks like the end of a text line
    src = SerialSource(path)
    src.open()
    try:
        wait_consumed(slave)
        os.read(master, 4096)                     # the identify/start commands sent on open
        os.write(master, tail)
        wait_consumed(slave)
        for k in range(1, len(frames), 20):          # 200 samples every 0.1 s, like a 2 kHz board
            os.write(master, b"".join(frames[k:k + 20]))
            time.sleep(0.1)
        chunks = drain(src, 2000)
    finally:
        src.close()
    assert src.info.get("protocol") == "binary"
    seq = np.concatenate([np.arange(c.seq0, c.seq0 + len(c)) for c in chunks])
    assert len(seq) >= 2000 and (np.diff(seq) == 1).all()


def test_a_zero_byte_of_power_up_noise_before_text_lines_does_not_make_it_binary(pty_pair):
    master, slave, path = pty_pair
    src = SerialSource(path)
    src.open()
    try:
        wait_consumed(slave)
        os.read(master, 4096)
        os.write(master, b"\x00\xf8\x00")                # a board's UART glitch as it powers up
        wait_consumed(slave)
        lines = [f"{k},{20.0 + k % 50:.1f}\r\n" for k in range(3000)]
        t0 = time.monotonic()
        for i in range(0, len(lines), 100):           # 1 kHz: 100 lines every 0.1 s, once taken
            time.sleep(max(0.0, t0 + (i + 100) / 1000 - time.monotonic()))
            os.write(master, "".join(lines[i:i + 100]).encode())
        chunks = drain(src, 2500)
    finally:
        src.close()
    assert src.info.get("protocol") == "line"
    f = np.concatenate([c.values for c in chunks])
    seq = np.concatenate([np.arange(c.seq0, c.seq0 + len(c)) for c in chunks])
    assert len(f) >= 2500 and (np.diff(seq) == 1).all()
    assert np.allclose(f, 20.0 + (f[0] - 20.0 + np.arange(len(f))) % 50)   # every line, in order
