"""A recording of sound alone played with file: (its pops and nothing else): the trainer draws
the envelope and the pops as they come, the banner stays quiet and Space records it. It showed
an empty plot, no audio strip, 'no microphone', 'no data within 8 s' and, on Space/Space,
'nothing recorded: no data came', though every sample and pop had arrived."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from firmware_bridge.session import open_session
from firmware_bridge.sources import FileSource
from ui.trainer.window import SILENT_S

from .conftest import live_window

from .conftest import REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SOUND = REPO / "fixtures" / "thrust_pops.flac"    # pops at 3.2 s and 7.5 s (replay gives them)


def _key(qtbot, win, key) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.keyClick(win, key)


def test_a_recording_of_sound_alone_is_drawn_and_recorded(qtbot, tmp_path):
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(SOUND), speed=2.0))
    worker.start()
    try:
        _key(qtbot, win, Qt.Key.Key_Space)
        folder = eng.recorder.path
        # played at twice real time: past the clock's SILENT_S, when a silent source is named
        qtbot.waitUntil(lambda: (eng.audio_env.last_t or 0.0) > SILENT_S * 2 + 0.5, timeout=30_000)
        win.refresh()
        assert win.force_plot.drawn.get("pops", 0) >= 2         # the pops at 3.2 s and 7.5 s
        assert win.audio_strip.isVisible()
        assert win.meter.format().startswith("audio ")
        assert not win.banner.isVisible(), win.banner.text()
        _key(qtbot, win, Qt.Key.Key_Space)
        assert eng.recorder is None and "saved" in win.rec_label.text()
    finally:
        win.close()
    ses = open_session(folder)
    assert ses.audio_path is not None and not (folder / "force.csv").exists()
    assert sum(e["type"] == "cavitation" for e in ses.events) >= 2
