"""A recording stopped (Space, Ctrl+Q) while the acquisition thread was handing over what it had
just read from a sensor that sends force and IMU together: the force of its last frame was
recorded and the IMU of the same frame was not (force.csv 1220 rows, imu.csv 1210), when the
stop did not wait for the read to end (the wait has a timeout, and its request could be lost).
What one read brings is now recorded whole, or not at all."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from firmware_bridge.protocol import binary
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from tests.conftest import pty_device

from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_stop_between_a_reads_force_and_its_imu_keeps_both_alike(qtbot, tmp_path):
    def frame(k: int) -> bytes:
        return binary.encode_samples(10 * k, 10_000 * k, 1000, np.full(10, 20.0),
                                     np.tile([0.0, 0.0, 9.81, 0.0, 0.0, 0.0], (10, 1)))

    with pty_device(frame) as port:
        win, eng, worker = live_window(qtbot, tmp_path, SerialSource(port))
        fed, between = eng.feed, threading.Event()

        def feed(chunk, gen=None):
            out = fed(chunk, gen)
            if chunk.stream == "force" and eng.recorder is not None and eng.samples.get("imu", 0) >= 500 \
                    and not between.is_set():
                between.set()           # the stop comes now, after this read's force, before its IMU
                time.sleep(1.5)         # (longer than the stop waits for the source's held data)
            return out

        eng.feed = feed
        worker.start()
        try:
            qtbot.waitUntil(lambda: worker.opened_at is not None, timeout=30_000)
            folder = win.start_recording()
            qtbot.waitUntil(between.is_set, timeout=30_000)
            assert win.stop_recording() == folder
        finally:
            win.close()
    ses = open_session(folder)
    assert ses.imu is not None and len(ses.force.t_s) >= 500
    assert len(ses.imu.t_s) == len(ses.force.t_s) and ses.imu.t_s[-1] == ses.force.t_s[-1]
