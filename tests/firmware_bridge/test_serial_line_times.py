"""Line-protocol device times through a real pseudo-terminal.

A sketch whose first column is not a clock (times that go back, e.g. a countdown): lines whose
time is not after the ones before them are counted as bad lines and left out, and times only
ever go forward. A device that resets mid-stream (its clock back to 0) is said once, naming the line,
and what it sends after the reset is kept on the same timeline, after what came before (it
was left out as bad lines up to the end of the read that brought the reset, without a word)."""

from __future__ import annotations

import os
import threading
import time
import tty

import numpy as np
import pytest

from firmware_bridge.protocol import binary as b
from firmware_bridge.serial_source import SerialSource
from tests.conftest import pty_device


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    yield master, os.ttyname(slave)
    for fd in (master, slave):
        os.close(fd)


def test_times_going_back_are_bad_lines_and_no_restarts():
    def countdown(k: int) -> bytes:               # ten lines at a time, counting down
        return "".join(f"{-(10 * k + i)},{20 + (10 * k + i) % 50}\n" for i in range(10)).encode()

    got = []
    with pty_device(countdown) as path:
        src = SerialSource(path)
        src.open()
        deadline = time.monotonic() + 30
        while src.stats.crc_errors < 300 and time.monotonic() < deadline:
            got += [c for c in src.read(0.1) if c.stream == "force"]
        src.close()
    # a countdown is no clock: nothing is taken from it (every tenth line was, each batch a
    # silent restart), and 'record' says the lines are unreadable instead of recording that
    assert sum(len(c) for c in got) <= 1 and src.stats.crc_errors >= 300
    assert "unreadable lines" in src.silent(5)
    assert src.restarts == 0 and not any("restarted" in n.message for n in src.notices())


def _stream(master: int, lines: list[str], per_write: int, rate_hz: float) -> threading.Thread:
    """Write ``lines`` ``per_write`` at a time, in real time at ``rate_hz`` lines per second: each
    write once its last line's time has come, as a device sends what it took."""
    def send():
        t0 = time.monotonic()
        for i in range(0, len(lines), per_write):
            time.sleep(max(0.0, t0 + (i + per_write) / rate_hz - time.monotonic()))
            os.write(master, "".join(lines[i:i + per_write]).encode())
    th = threading.Thread(target=send, daemon=True)
    th.start()
    return th


def _read(src: SerialSource, want: int, timeout_s: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Force samples ``(t_s, force_n)`` until ``want`` came (the source holds a second back at
    its start and after a restart)."""
    got, deadline = [], time.monotonic() + timeout_s
    while sum(len(c) for c in got) < want and time.monotonic() < deadline:
        got += [c for c in src.read(0.1) if c.stream == "force"]
    return np.concatenate([c.t_s for c in got]), np.concatenate([c.values for c in got])


@pytest.mark.parametrize("per_write", [7, 400, 1])
def test_a_device_reset_is_told_once_and_its_samples_go_on(pty_pair, per_write):
    """Forces 100–149 N before the reset, 200–249 N after, so each sample tells its side."""
    master, path = pty_pair
    rate = 1000.0 if per_write > 1 else 50.0             # a slow sketch sends one line a read
    n = int(1.5 * rate)
    lines = [f"{5000 + k * 1000 / rate:.0f},{100 + k % 50}\n" for k in range(n)]
    lines += [f"{k * 1000 / rate:.0f},{200 + k % 50}\n" for k in range(n)]    # reset: millis() from 0
    src = SerialSource(path)
    src.open()
    try:
        th = _stream(master, lines, per_write, rate)
        t, f = _read(src, 2 * n - 1)
        th.join(10)
        notices = [x.message for x in src.notices()]
    finally:
        src.close()
    after = f >= 200
    assert after.sum() == n, "every sample sent after the reset arrives"
    assert (f[~after] >= 100).sum() >= n - 1             # (the first line may be cut: joined mid-stream)
    assert (np.diff(t) > 0).all() and t[after].min() > t[~after].max()   # one timeline, after the ones before
    said = [m for m in notices if "restarted" in m]
    assert len(said) == 1 and f"device clock restarted at line {n + 1}" in said[0] and "device reset?" in said[0]
    assert src.stats.crc_errors == 0 and src.stats.dropped == 0 and src.restarts == 1


def test_a_lone_line_going_back_is_a_bad_line_not_a_reset(pty_pair):
    master, path = pty_pair
    lines = [f"{10000 + k},{100 + k % 50}\n" for k in range(1500)]
    lines[700] = "104,30\n"                              # digits lost on the wire: 10700 read as 104
    src = SerialSource(path)
    src.open()
    try:
        th = _stream(master, lines, 10, 1000.0)
        t, f = _read(src, 1498)
        th.join(10)
    finally:
        src.close()
    assert len(f) == 1498 and 30 not in f and (np.diff(t) > 0).all()
    assert src.stats.crc_errors == 1 and src.restarts == 0
    assert not any("restarted" in x.message for x in src.notices())


def test_a_binary_device_reset_is_told_too(pty_pair):
    master, path = pty_pair
    src = SerialSource(path)
    src.open()
    try:
        t0 = time.monotonic()
        for k in range(300):                              # 10 frames of 10 samples at 1 kHz, twice
            seq, t_us = (k * 10, 7_000_000 + k * 10_000) if k < 150 else ((k - 150) * 10, (k - 150) * 10_000)
            os.write(master, b.encode_samples(seq, t_us, 1000, np.full(10, 100.0 if k < 150 else 200.0)))
            time.sleep(max(0.0, t0 + (k + 1) * 0.01 - time.monotonic()))
        t, f = _read(src, 3000)
        notices = [x.message for x in src.notices()]
    finally:
        src.close()
    assert (f == 200).sum() == 1500 and (np.diff(t) > 0).all()
    said = [m for m in notices if "restarted" in m]
    assert len(said) == 1 and "device clock restarted at sample 0 (from 8.499 s back to 0.000 s: device reset?)" in said[0]
