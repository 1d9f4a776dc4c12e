"""Calibrating (C) while recording a played file that has ended: the recording is saved with the
old settings and no new one starts, and the status bar says so; a new, empty recording started
that could receive nothing ('nothing recorded: no data came' at Space)."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import FileSource
from ui.cli import main
from ui.trainer.profiles import Calibration

from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_calibrating_after_the_end_saves_and_starts_nothing(qtbot, tmp_path):
    path = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "4", "--rate", "500", "-o", str(path)]) == 0
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(path), speed=8.0))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        folder = win.start_recording()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        win.refresh()
        win.set_calibration(Calibration("blue manikin", 40.0, 120.0))
        assert eng.recorder is None
        assert win.rec_label.text() == f"saved {folder.name}"
        said = win.statusBar().currentMessage()
        assert said == (f"saved {folder.name} with the old settings; no new recording: the source has ended "
                        "(S for another source)")
    finally:
        win.close()
    assert [p.name for p in (tmp_path / "rec").iterdir()] == [folder.name]
