"""After choosing a source that cannot be opened, the plot does not go on showing the last
source's force as if it were live, and choosing an emulator next practises with its own
calibration (as it does when chosen straight after another emulator, or at start)."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import EmulatorSource
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_failed_source_clears_the_plot_and_the_next_emulator_brings_its_calibration(qtbot, tmp_path, monkeypatch):
    problems = []
    monkeypatch.setattr(TrainerWindow, "show_problem", lambda self, m: problems.append(m))
    s, th = schemes()
    eng = Engine(s, th)
    src = EmulatorSource("mixed", speed=4.0)
    worker = AcquisitionWorker(src, eng)
    win = TrainerWindow(eng, worker, calibration=Calibration(src.info["name"], 40.0, 120.0),
                        record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    try:
        qtbot.waitUntil(lambda: win.force_plot.drawn.get("n", 0) > 1000, timeout=30_000)
        assert win.switch_source(f"serial:{tmp_path / 'no-such-port'}")
        qtbot.waitUntil(lambda: eng.error is not None, timeout=30_000)
        qtbot.wait(200)                                    # frames drawn meanwhile
        assert "cannot open" in eng.error and win.banner.isVisible()
        assert not win.statusBar().currentMessage().startswith("reading ")   # not under the banner
        x = win.force_plot.trace.xData
        assert win.force_plot.drawn["n"] == 0 and (x is None or len(x) == 0)
        assert not eng.scheme.calibrated                   # that port said nothing of a calibration

        assert win.switch_source("emulator:grade3")
        assert eng.scheme.calibrated and (eng.scheme.r1_n, eng.scheme.r2_n) == (40.0, 120.0)
        assert "not calibrated" not in win._status_text()
    finally:
        win.close()
    assert problems == []
