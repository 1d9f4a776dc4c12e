"""A line-protocol sensor that resets while the trainer reads it: the status line says the
device clock restarted, and the plot goes on with what it sends after the reset (the reset
was only counted as bad lines, and the rest of the read that brought it was lost). A real
pseudo-terminal."""

from __future__ import annotations

import os
import threading
import time
import tty

import pytest

from firmware_bridge.serial_source import SerialSource
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_trainer_says_the_sensor_reset_and_goes_on(qtbot):
    master, slave = os.openpty()
    tty.setraw(slave)
    lines = [f"{9000 + k},{100 + k % 50}\n" for k in range(1500)] + [f"{k},{200 + k % 50}\n" for k in range(1500)]
    stop = threading.Event()

    def send():                        # 1 kHz, 50 lines a write once taken: the reset inside one
        t0 = time.monotonic()
        for i in range(0, len(lines), 50):
            if stop.wait(max(0.0, t0 + (i + 50) / 1000 - time.monotonic())):
                return
            os.write(master, "".join(lines[i:i + 50]).encode())

    eng = Engine(*schemes())
    worker = AcquisitionWorker(SerialSource(os.ttyname(slave)), eng)
    win = TrainerWindow(eng, worker)
    qtbot.addWidget(win)
    win.show()
    worker.start()
    th = threading.Thread(target=send, daemon=True)
    th.start()
    try:
        qtbot.waitUntil(lambda: "device clock restarted at line 1501" in win.statusBar().currentMessage(),
                        timeout=30_000)
        assert "device reset?" in win.statusBar().currentMessage()
        qtbot.waitUntil(lambda: eng.samples.get("force", 0) >= 2999, timeout=30_000)   # (line 1 may be cut)
        t, f = eng.force.since(0.0)
        assert (f >= 200).sum() == 1500 and t[f >= 200].min() > t[f < 200].max()
    finally:
        stop.set()
        win.close()
        th.join(5)
        os.close(master)
        os.close(slave)
