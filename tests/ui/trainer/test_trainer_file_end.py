"""A recording played with file: that reaches its end says so: the status line names the source
as played to its end, and a recording going on says Space saves it. Nothing said so ('● REC'
went on, the plot stood still)."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import FileSource
from ui.cli import main

from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_end_of_a_played_recording_is_said(qtbot, tmp_path):
    path = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "4", "--rate", "500", "-o", str(path)]) == 0
    # (3 s of playing: at 8 times real time, 1.2 s, a busy machine's window had not looked before the end)
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(path), speed=3.0))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        win.refresh()
        assert "(ended; S for another source)" not in win.status.text()
        folder = win.start_recording()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        win.refresh()
        assert "(ended; S for another source)" in win.status.text()
        assert "the source has ended: Space saves" in win.rec_label.text()
        assert win.stop_recording() == folder
        assert "saved" in win.rec_label.text()
    finally:
        win.close()
