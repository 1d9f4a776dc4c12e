"""The emulator, read by nobody for a while, behaves like a sensor whose transmit buffer is full:
it goes on sampling on time, keeps a bounded backlog and drops the rest, so a reader that comes
back sees at most that backlog, then a jump of the sequence number, then the samples of the
moment (not the whole stall in one burst). Through a real pseudo-terminal and pyserial."""

from __future__ import annotations

import os
import time
import tty

import numpy as np
import pytest
import serial

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.protocol import binary as b

SPEED, RATE_HZ, STALL_S = 4.0, 1000, 16.0       # device seconds without a reader
FIRMWARE_TX_BYTES = 8192        # the reference firmware's Serial.setTxBufferSize (firmware/src/main.cpp)


def pty_buffer_bytes() -> int:
    """What a pseudo-terminal itself holds before a write would block (the operating system's
    share of the backlog when the port is open but not read)."""
    master, slave = os.openpty()
    try:
        tty.setraw(slave)
        os.set_blocking(master, False)
        n = 0
        try:
            while True:
                n += os.write(master, b"x" * 256)
        except BlockingIOError:
            return n
    finally:
        os.close(master)
        os.close(slave)


def device_now(em: PtyEmulator) -> float:
    return (time.monotonic() - em.started_at) * SPEED


def wait_until(cond, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def read_blocks(port: serial.Serial, dec: b.BinaryDecoder, until, timeout_s: float = 60.0) -> list[b.SampleBlock]:
    got: list[b.SampleBlock] = []
    deadline = time.monotonic() + timeout_s
    while not until(got):
        assert time.monotonic() < deadline, "timed out"
        got += [m for m in dec.feed(port.read(port.in_waiting or 1)) if isinstance(m, b.SampleBlock)]
    return got


@pytest.mark.parametrize("port_open", [False, True], ids=["port-closed", "port-open-not-read"])
def test_a_reader_back_after_a_stall_gets_a_bounded_backlog_then_a_gap(tmp_path, port_open):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", RATE_HZ, speed=SPEED)
    em.tx_buffer_bytes = FIRMWARE_TX_BYTES          # as at real time (faster, it scales with the speed)
    frame_bytes = len(b.encode_samples(0, 0, 1000, np.zeros(em.per_frame)))
    in_sensor = FIRMWARE_TX_BYTES // frame_bytes * em.per_frame       # samples each buffer holds
    in_terminal = pty_buffer_bytes() // frame_bytes * em.per_frame
    # pyserial empties the terminal when it opens the port: only an open port keeps its share,
    # which depends on how the kernel packs the writes (measured with other writes): twice it
    backlog = in_sensor + (2 * in_terminal if port_open else 0)
    em.start()
    port = dec = None
    try:
        wait_until(lambda: em.started_at is not None)
        if port_open:
            port, dec = serial.Serial(str(em.link), 115200, timeout=0.05), b.BinaryDecoder()
            read_blocks(port, dec, lambda g: len(g) >= 10)             # reading, then not
        t0 = device_now(em)
        wait_until(lambda: device_now(em) >= t0 + STALL_S)
        t_back = device_now(em)
        taken_by_then = em.sent
        if port is None:
            port, dec = serial.Serial(str(em.link), 115200, timeout=0.05), b.BinaryDecoder()
        blocks = read_blocks(port, dec, lambda g: bool(g) and g[-1].t_us * 1e-6 >= t_back)
    finally:
        if port is not None:
            port.close()
        em.stop()

    # the sensor went on sampling through the stall (it did not wait for the reader)
    assert taken_by_then >= 0.5 * t_back * RATE_HZ
    t_dev = np.concatenate([m.t_us * 1e-6 + np.arange(len(m.force)) * m.dt_us * 1e-6 for m in blocks])
    seq = np.concatenate([np.arange(m.seq, m.seq + len(m.force)) for m in blocks])
    # what arrived from before the reader came back is at most the buffers' backlog ...
    stale = int((t_dev < t_back - 2.0).sum())
    assert stale <= backlog + 2 * em.per_frame, (stale, backlog)
    # ... and the rest of the stall is a jump of the sequence number, counted as lost
    jumps = np.diff(seq)
    assert (jumps >= 1).all()
    missing = int((jumps - 1).max())
    assert missing >= STALL_S * RATE_HZ - in_sensor - in_terminal - RATE_HZ, (missing, in_sensor, in_terminal)
    assert em.lost >= missing
