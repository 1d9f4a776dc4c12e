"""Choosing another source (S) clears what the last one drew: its sound's envelope (with its pop
spikes), the level meter, the movement diagram's loops, and a 'nothing recorded' said of it.
They stayed on screen beside the new source's force."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import FileSource
from ui.cli import main
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot, tmp_path, path, speed=4.0):
    eng = Engine()
    worker = AcquisitionWorker(FileSource(str(path), speed=speed), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    worker.start()
    return win, eng


def test_the_last_sources_sound_is_cleared(qtbot, tmp_path):
    win, eng = _window(qtbot, tmp_path, REPO / "fixtures" / "thrust_pops.flac")
    try:
        qtbot.waitUntil(lambda: len(eng.pops) >= 2, timeout=30_000)
        win.refresh()
        assert win.audio_strip.isVisible() and len(win.audio_strip.curve.getData()[0])
        win.start_recording()
        win.stop_recording()
        assert win.switch_source("emulator:grade3")
        win.refresh()
        x, _ = win.audio_strip.curve.getData()
        assert not win.audio_strip.isVisible() and (x is None or len(x) == 0)
        assert win.meter.format() == "no microphone"
    finally:
        win.close()


def test_the_last_sources_movement_loops_are_cleared(qtbot, tmp_path):
    path = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "20", "--rate", "500",
                 "--imu", "200", "-o", str(path)]) == 0
    win, eng = _window(qtbot, tmp_path, path)

    def loops() -> int:
        return sum(len(c.getData()[0] if c.getData()[0] is not None else ()) for c in win.movement.curves)
    try:
        def drawn():
            win.refresh()
            return loops() > 0
        qtbot.waitUntil(drawn, timeout=30_000)
        win.rec_label.setText("nothing recorded: no data came")      # (as Space/Space before any sample says)
        assert win.switch_source("emulator:grade3")
        win.refresh()
        assert loops() == 0
        assert "nothing recorded" not in win.rec_label.text()
    finally:
        win.close()
