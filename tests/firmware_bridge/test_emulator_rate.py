"""A sensor that streamed before anyone read it sends a backlog at connect: the recording's
timeline still keeps the device's sample spacing.

The backlog's blocks arrive long after their samples were taken. They are left out of the
recording (taken before the port was opened), but they were seen by the device clock's fit;
taken for points of its envelope, they tilted the fitted drift to its 0.5 % limit, and every
later sample was placed 0.5 % too close to the one before (a 1 ms sensor recorded at 0.995 ms,
each cycle's frequency 0.5 % high). Through a real pseudo-terminal, pyserial and the recorder,
with the emulator run 5 times faster than real time on a clock 5 times faster.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.device_clock import DeviceClock
from firmware_bridge.emulator import TX_BUFFER_BYTES, PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session

SPEED, RATE_HZ = 5.0, 1000.0
# device seconds the emulator streams before the port is opened: its transmit buffer is full
# after about 4.7 s, and it had lost 3,300 samples by 8 s
UNREAD_S = 8.0
# device seconds recorded: the drift is fitted after ten (with the backlog fitted, the samples
# were 0.995 ms apart in the median and over the last 10,000 of 20 s, as of 30)
RECORD_S = 20.0


def test_a_backlog_at_connect_leaves_the_recorded_sample_spacing_the_devices(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", RATE_HZ, speed=SPEED)
    em.tx_buffer_bytes = TX_BUFFER_BYTES        # the firmware's, as at real time
    em.start()
    try:
        deadline = time.monotonic() + 30
        while em.started_at is None or (time.monotonic() - em.started_at) * SPEED < UNREAD_S:
            assert time.monotonic() < deadline, "the emulator did not start"
            time.sleep(0.02)
        src = SerialSource(str(tmp_path / "s.pty"), clock=lambda: SPEED * time.monotonic())
        src.open()
        w = SessionWriter(tmp_path / "sess", new_meta(src, GradingScheme(40, 120)))
        try:
            record(src, w, GradingScheme(40, 120), duration_s=RECORD_S)
        finally:
            src.close()
            w.close()
    finally:
        em.stop()
    # the device's transmit buffer was full when the port opened: a backlog came first
    assert em.lost > 0
    s = open_session(tmp_path / "sess")
    t = s.force.t_s
    assert s.meta.gaps == [] and len(t) >= RECORD_S * RATE_HZ
    dt = np.diff(t)
    # 1 ms apart, as the device took them (0.995 ms before), over the recording and at its end
    assert np.median(dt) == pytest.approx(1e-3, rel=1e-3)
    last = t[-10_000:]
    assert (last[-1] - last[0]) / (len(last) - 1) == pytest.approx(1e-3, rel=1e-3)


def test_a_backlog_does_not_tilt_the_fitted_drift():
    """The same, on the clock alone: 1.4 s of blocks 11 s old, then 30 s of blocks of the moment
    from a device whose clock keeps the host's pace."""
    clock = DeviceClock()
    for t_dev in np.arange(3.31, 4.7, 0.01):          # the backlog's blocks (their last sample's
        clock.observe(t_dev, 0.0)                      # device time) arrive as the port opens
    delay_s = 0.0005
    blocks = np.arange(15.0, 45.0, 0.001).reshape(-1, 10)   # device time 15 s is host time 0
    mapped = np.concatenate([clock.map(b, b[-1] - 15.0 + delay_s) for b in blocks])
    assert clock.drift == pytest.approx(0.0, abs=1e-5)         # it was -0.005, the limit
    assert np.median(np.diff(mapped)) == pytest.approx(1e-3, rel=1e-4)
    assert mapped[-1] == pytest.approx(blocks[-1, -1] - 15.0, abs=0.002)
