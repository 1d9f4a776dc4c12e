"""Space once a played file has ended is refused at once, in one line saying the source has
ended (S for another source): it started a recording ('● REC … — the source has ended: Space
saves') that could never hold a sample, and Space again said 'nothing recorded: no data came'."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from firmware_bridge.sources import FileSource
from ui.cli import main

from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _space(qtbot, win) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_Space)


def test_space_after_the_end_of_a_played_file_records_nothing_and_says_why(qtbot, tmp_path):
    path = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "4", "--rate", "500", "-o", str(path)]) == 0
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(path), speed=8.0))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        win.refresh()
        _space(qtbot, win)
        win.refresh()
        assert eng.recorder is None
        assert "REC" not in win.rec_label.text()
        said = win.statusBar().currentMessage()
        assert "the source has ended" in said and "S for another source" in said, said
        assert not (tmp_path / "rec").exists() or not any((tmp_path / "rec").iterdir())
        _space(qtbot, win)             # again: the same, never "nothing recorded"
        win.refresh()
        assert eng.recorder is None and "nothing recorded" not in win.rec_label.text()
    finally:
        win.close()


def test_space_before_the_end_still_records(qtbot, tmp_path):
    path = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "4", "--rate", "500", "-o", str(path)]) == 0
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(path), speed=3.0))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        _space(qtbot, win)
        assert eng.recorder is not None
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        _space(qtbot, win)             # Space saves it
        assert eng.recorder is None and win.rec_label.text().startswith("saved ")
    finally:
        win.close()
