"""A recording started on a sensor that has been streaming with nobody reading: the backlog its
transmit buffer kept is from before the recording, so it is left out, however young; the
recording starts with the samples of the moment, on their true times, and nothing is counted as
lost. Through the emulator (or frames written as a device would send them) on a real
pseudo-terminal; the serial source's clock runs as fast as the emulator."""

from __future__ import annotations

import os
import threading
import time
import tty

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.protocol import binary as b
from firmware_bridge.serial_source import START_SLACK_S, SerialSource
from firmware_bridge.session import SessionWriter, open_session

SPEED, RATE_HZ, UNREAD_S, SECONDS = 4.0, 1000, 12.0, 6.0


def wait_until(cond, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("line", [False, True], ids=["binary", "lines"])
def test_a_recording_started_late_begins_now_without_the_unread_backlog_or_a_false_loss(tmp_path, line):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", RATE_HZ, speed=SPEED, line=line)
    em.start()
    notes: list[str] = []
    try:
        wait_until(lambda: em.started_at is not None and (time.monotonic() - em.started_at) * SPEED >= UNREAD_S)
        src = SerialSource(str(em.link), clock=lambda: SPEED * time.monotonic())
        src.open()
        w = SessionWriter(tmp_path / "sess", new_meta(src, GradingScheme(40, 120)))
        record(src, w, GradingScheme(40, 120), duration_s=SECONDS, status=notes.append)
        src.close()
        w.close()
    finally:
        em.stop()
    assert em.lost > 0                      # the sensor's buffer did fill while nobody read
    s = open_session(tmp_path / "sess")
    assert s.meta.gaps == [] and src.stats.dropped == 0 and not any("lost" in n for n in notes), notes
    # the whole duration was recorded, sample after sample
    n = len(s.force.t_s)
    assert SECONDS * RATE_HZ - 20 <= n <= (SECONDS + 0.5) * RATE_HZ
    assert np.allclose(np.diff(s.force.t_s), 1 / RATE_HZ, atol=2e-4)
    # on their true times: the first sample is one the device took as the port opened
    offset = SPEED * em.started_at - src._t0        # emulator device time 0 on the host timeline
    k = int(round((s.force.t_s[0] - offset) * RATE_HZ))
    t_dev, y = em.signal(k + 100 + n)
    k0 = next(j for j in range(max(0, k - 100), k + 100) if np.allclose(y[j:j + 50], s.force.values[:50], atol=1e-3))
    assert -START_SLACK_S - 0.01 <= t_dev[k0] + offset <= 0.1, t_dev[k0] + offset
    assert np.allclose(s.force.values, y[k0:k0 + n], atol=1e-3)
    assert np.abs(s.force.t_s - (t_dev[k0:k0 + n] + offset)).max() < 0.05


@pytest.mark.parametrize("backlog_s, jump_s", [(0.2, 0.0), (1.0, 0.1)], ids=["young backlog", "backlog, then a jump"])
def test_a_young_backlog_is_left_out_too_and_no_sample_is_late(backlog_s, jump_s):
    """The sensor's buffer holds ``backlog_s`` of samples ending ``jump_s`` before the port was
    opened (its own frames lost in between), then it streams in real time. A backlog under a
    quarter of a second, or one whose jump came that close to the opening, was kept: every
    sample late by its age (150 ms, or 1.05 s), caught up at 20 ms a second, the jump counted
    as lost."""
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    src = SerialSource(os.ttyname(slave))
    src.open()
    t0_dev = time.monotonic() - 10.0                       # the device has run for ten seconds

    def frame(k: int) -> bytes:                           # frame k: samples 10k … 10k+9 at 1 kHz
        return b.encode_samples(10 * k, 10_000 * k, 1000, 100.0 + np.arange(10) + k % 50)

    k_now = int((time.monotonic() - t0_dev) * 100)
    first, last = k_now - int(round((backlog_s + jump_s) * 100)), k_now - int(round(jump_s * 100))
    os.write(master, b"".join(frame(k) for k in range(first, last)))
    stop = threading.Event()

    def stream():
        k = k_now
        while not stop.wait(max(0.0, t0_dev + (k + 1) * 0.01 - time.monotonic())):
            os.write(master, frame(k))
            k += 1

    th = threading.Thread(target=stream, daemon=True)
    th.start()
    got, deadline = [], time.monotonic() + 30
    try:
        # (1.5 s: a sample late by the backlog's age is late from the first on)
        while sum(len(c) for c in got) < 1500 and time.monotonic() < deadline:
            got += [c for c in src.read(0.1) if c.stream == "force"]
        notes = [n.message for n in src.notices()]
    finally:
        stop.set()
        th.join(5)
        src.close()
        os.close(master)
        os.close(slave)
    t = np.concatenate([c.t_s for c in got])
    seq = np.concatenate([c.seq0 + np.arange(len(c)) for c in got])
    taken = t0_dev + seq / 1000.0 - src._t0                 # when each sample was taken, on the timeline
    assert taken[0] >= -START_SLACK_S - 0.01, "nothing from before the opening"
    assert np.abs(t - taken).max() < START_SLACK_S + 0.02, "no sample late by the backlog's age"
    assert (np.diff(seq) == 1).all() and src.stats.dropped == 0 and not any("lost" in n for n in notes), notes
