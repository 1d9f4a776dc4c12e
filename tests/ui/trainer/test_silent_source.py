"""A serial source that gives no sample (silent, or sending noise as at a wrong baud rate) is
not an empty plot without a word: after a few seconds the banner says what came and what to
check. A real pseudo-terminal; the time axis counts back from now before any data too."""

from __future__ import annotations

import random

import pytest

from firmware_bridge.serial_source import SerialSource
from tests.conftest import pty_device
from ui.trainer import status as status_mod
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("noise, says", [(True, "bytes in"), (False, "no data within")])
def test_a_source_without_samples_is_named_in_the_banner(qtbot, monkeypatch, noise, says):
    monkeypatch.setattr(status_mod, "SILENT_S", 1.0)
    rng = random.Random(1)
    with pty_device(lambda k: bytes(rng.getrandbits(8) for _ in range(200)) if noise else b"") as port:
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
