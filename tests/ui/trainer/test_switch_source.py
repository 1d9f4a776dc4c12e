"""Choosing another source (S) while recording: the last source's numbers do not stay on screen
as if they were the new one's, and the status line is not drawn under the message that says
the recording was saved."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import EmulatorSource
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_switching_source_clears_the_panels_and_the_status_line_gives_way_to_the_message(qtbot, tmp_path):
    s, th = schemes()
    eng = Engine(s, th)
    worker = AcquisitionWorker(EmulatorSource("hvla", speed=8.0), eng)
    win = TrainerWindow(eng, worker, calibration=Calibration("manikin", 40.0, 120.0), record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    try:
        qtbot.waitUntil(lambda: win.thrust_panel.values["peak"].text() != "–", timeout=60_000)
        win.start_recording()
        qtbot.waitUntil(lambda: eng.recorder is not None and eng.recorder.duration_s > 0.5, timeout=30_000)

        assert win.switch_source("emulator:grade3")
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        frames = win.frames
        qtbot.waitUntil(lambda: win.frames >= frames + 3, timeout=30_000)
        # the message about the saved recording, alone on the left of the status bar
        assert "recording saved" in win.statusBar().currentMessage()
        assert not win.status.isVisible()
        # no thrust has come from the new source: none of the old one's is shown
        assert not eng.thrusts
        assert all(v.text() == "–" for v in win.thrust_panel.values.values())
        assert all(c.getData()[0] is None or len(c.getData()[0]) == 0 for c in win.thrust_panel.plot.curves)
        if not eng.cycles:
            assert [v.text() for v in win.grade_panel.values.values()] == ["–"] * 4
            assert win.grade_panel.names["crest"].text() == "crest in R1–R2"
    finally:
        win.close()
    assert len(list((tmp_path / "rec").iterdir())) == 1
