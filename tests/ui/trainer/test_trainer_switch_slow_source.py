"""Switching sources (S) while the old source's read is stuck longer than the switch waits for
its thread: what that read returns late never reaches the new source's timeline (it fed it once
in a while: 'dropped 91741671')."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.sources import Source
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


class StuckSource(Source):
    """A device whose read hangs (a driver stuck in a system call) until let go, then hands over
    a block from far along its own timeline."""

    spec = "stuck"

    def __init__(self) -> None:
        super().__init__()
        self.reading, self.let_go, self.returned = threading.Event(), threading.Event(), threading.Event()

    def open(self) -> None:
        pass

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        self.reading.set()
        self.let_go.wait(30)
        self.returned.set()
        n = 1000
        return [Chunk(5000.0 + np.arange(n) / 1000.0, np.full(n, 300.0), 91_741_671, "force", 1000.0)]

    def close(self) -> None:
        pass


def test_a_stuck_old_source_does_not_feed_the_new_one(qtbot, tmp_path):
    s, th = schemes()
    eng = Engine(s, th)
    old = StuckSource()
    worker = AcquisitionWorker(old, eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    try:
        assert old.reading.wait(10)
        assert win.switch_source("emulator:grade3")       # waits 2 s for the stuck thread, in vain
        assert worker.is_alive()
        qtbot.waitUntil(lambda: eng.samples.get("force", 0) > 200, timeout=30_000)
        old.let_go.set()
        assert old.returned.wait(10)
        worker.join(10)
        qtbot.wait(300)
        assert eng.dropped == 0
        assert eng.force.last_t < 100.0                  # the new source's own seconds, not 5000 s
    finally:
        old.let_go.set()
        win.close()
