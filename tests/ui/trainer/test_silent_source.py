"""A serial source that gives no sample (silent, or sending noise as at a wrong baud rate) is
not an empty plot without a word: after a few seconds the banner says what came and what to
check. A real pseudo-terminal; the time axis counts back from now before any data too."""

from __future__ import annotations

import os
import random
import threading
import tty

import pytest

from firmware_bridge.serial_source import SerialSource
from ui.trainer import window as window_mod
from ui.trainer.engine import AcquisitionWorker, Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("noise, says", [(True, "bytes in"), (False, "no data within")])
def test_a_source_without_samples_is_named_in_the_banner(qtbot, monkeypatch, noise, says):
    monkeypatch.setattr(window_mod, "SILENT_S", 1.0, raising=False)
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    port = os.ttyname(slave)
    stop = threading.Event()

    def send():
        rng = random.Random(1)
        while not stop.wait(0.01):
            try:
                if noise:
                    os.write(master, bytes(rng.getrandbits(8) for _ in range(200)))
                os.read(master, 4096)
            except (BlockingIOError, OSError):
                pass

    th = threading.Thread(target=send, daemon=True)
    th.start()
    s, t = schemes()
    eng = Engine(s, t)
    worker = AcquisitionWorker(SerialSource(port), eng)
    win = TrainerWindow(eng, worker)
    qtbot.addWidget(win)
    win.show()
    try:
        assert win.force_plot.getPlotItem().getViewBox().viewRange()[0] == [-10.0, 0.0]
        worker.start()
        qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=30_000)
        text = win.banner.text()
        assert text.startswith(f"serial:{port}: ") and says in text
        if noise:
            assert "baud" in text
    finally:
        win.close()
        stop.set()
        th.join(5)
        os.close(master)
        os.close(slave)
