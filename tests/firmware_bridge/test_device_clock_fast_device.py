"""A sensor whose clock runs far faster than the computer's (the emulator at ``--speed 5``, read
by a recorder on the computer's own clock) keeps its own time base: 500 Hz samples 2 ms apart.

The mapping of device time onto the host's bent toward the host clock at its slew limit (20 ms a
second): a 500 Hz sensor was recorded 1.96 ms apart, its status line said 510 Hz and times to
peak came out 2 % short. No crystal is that far off: such a clock is taken as the time base
itself (an offset only), and the recorder is told so once.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.device_clock import DeviceClock
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session

SPEED, RATE_HZ = 5.0, 500.0


def test_a_sensor_five_times_faster_than_the_computer_is_recorded_on_its_own_time_base(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "hvla", RATE_HZ, speed=SPEED)
    em.start()
    told: list[str] = []
    try:
        src = SerialSource(str(em.link))             # the computer's own clock, as `record` has it
        src.open()
        w = SessionWriter(tmp_path / "sess", new_meta(src, GradingScheme(40, 120)))
        try:
            record(src, w, GradingScheme(40, 120), duration_s=4.0, notice=told.append)
        finally:
            src.close()
            w.close()
    finally:
        em.stop()
    t = open_session(tmp_path / "sess").force.t_s
    assert len(t) > 1500
    assert np.median(np.diff(t)) == pytest.approx(1 / RATE_HZ, rel=1e-3)      # it was 1.96 ms
    assert (t[-1] - t[0]) / (len(t) - 1) == pytest.approx(1 / RATE_HZ, rel=1e-3)
    said = [m for m in told if "device clock runs" in m]
    assert len(said) == 1 and "5.0× the computer's" in said[0] and "its own times are kept" in said[0]


@pytest.mark.parametrize("ratio", [5.0, 0.5, 1.08])
def test_a_clock_no_crystal_could_run_is_kept_with_an_offset_only(ratio):
    """Blocks of a device whose clock runs ``ratio`` times the host's arrive with a little jitter:
    once told (within the first second, which the serial source holds back), the mapped times
    keep the device's spacing and durations exactly."""
    rng = np.random.default_rng(3)
    blocks = np.arange(int(60 * ratio * 500) // 10 * 10) / 500.0
    blocks = blocks.reshape(-1, 10)
    arrivals = blocks[:, -1] / ratio + 0.0005 + rng.exponential(0.001, len(blocks))
    clock = DeviceClock()
    for b, a in zip(blocks, arrivals):
        clock.observe(float(b[-1]), a)
        if a > 1.0:
            break
    assert clock.ratio == pytest.approx(ratio, rel=0.01)
    mapped = np.concatenate([clock.map(b, a) for b, a in zip(blocks, arrivals)])
    assert clock.drift == 0.0
    assert np.diff(mapped) == pytest.approx(0.002, rel=1e-6)
    # the samples of the moment start where they arrived
    assert mapped[0] == pytest.approx(arrivals[0] - (blocks[0, -1] - blocks[0, 0]), abs=0.005 * ratio)


def test_a_backlog_at_connect_is_no_fast_clock():
    """1.4 s of old blocks arriving at once, then blocks of the moment at the host's pace."""
    clock = DeviceClock()
    for t_dev in np.arange(3.31, 4.7, 0.01):
        clock.observe(t_dev, 0.0)
    blocks = np.arange(15.0, 45.0, 0.001).reshape(-1, 10)
    for b in blocks:
        clock.map(b, b[-1] - 15.0 + 0.0005)
    assert clock.ratio is None


def test_a_crystal_s_clock_is_not_taken_for_a_fast_one_after_its_first_seconds():
    """A backlog drained later (after a stall the device's samples come twice as fast for 2 s)
    leaves the clock fitted to the host's, as a crystal's is: only the first seconds are watched."""
    clock = DeviceClock()
    t_dev = 0.0
    arrival = 0.0
    for _ in range(1000):                       # 10 s of 10 ms blocks, in real time
        t_dev += 0.01
        arrival += 0.01
        clock.map(np.array([t_dev - 0.009, t_dev]), arrival + 0.0005)
    arrival += 2.0                               # a stall of 2 s, then its backlog at twice the rate
    for _ in range(400):
        t_dev += 0.01
        arrival += 0.005
        clock.map(np.array([t_dev - 0.009, t_dev]), arrival + 0.0005)
    assert clock.ratio is None
