"""A recording started on a sensor that has been streaming with nobody reading: the backlog its
transmit buffer kept is from before the recording, so it is left out; the recording starts with
the samples of the moment, on their true times, and nothing is counted as lost. Through the
emulator on a real pseudo-terminal; the serial source's clock runs as fast as the emulator."""

from __future__ import annotations

import time

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import BACKLOG_S, SerialSource
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
    assert -BACKLOG_S <= t_dev[k0] + offset <= 0.1, t_dev[k0] + offset
    assert np.allclose(s.force.values, y[k0:k0 + n], atol=1e-3)
    assert np.abs(s.force.t_s - (t_dev[k0:k0 + n] + offset)).max() < 0.05
