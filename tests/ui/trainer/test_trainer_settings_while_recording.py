"""A new pacer rate (T) while recording goes on into a new folder with it, as any new target does
(the folder kept rate_hz 1.5 while the pacer ran at 3 Hz); a new feedback schedule (F) stays in
the folder and is listed with when it began (the folder said 'concurrent' throughout). OK with
the same target, or Cancel, changes nothing."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from firmware_bridge.sources import open_source
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _key(qtbot, win, key) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.keyClick(win, key)


def _in_dialog(fn, tries=[0]) -> None:
    dlg = QApplication.activeModalWidget()
    if dlg is None:
        tries[0] += 1
        if tries[0] < 250:
            QTimer.singleShot(20, lambda: _in_dialog(fn))
        return
    fn(dlg)


def _target_dialog(qtbot, win, fn) -> None:
    QTimer.singleShot(20, lambda: _in_dialog(fn))
    _key(qtbot, win, Qt.Key.Key_T)


def _meta(folder) -> dict:
    return json.loads((folder / "session.json").read_text())


def test_a_new_rate_records_into_a_new_folder_and_feedback_changes_are_listed(qtbot, tmp_path):
    eng = Engine()
    worker = AcquisitionWorker(open_source("emulator:grade3"), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec", target=Target.parse("III", 1.5))
    qtbot.addWidget(win)
    win.show()
    worker.start()
    try:
        qtbot.waitUntil(lambda: win.calibration is not None, timeout=30_000)    # (the emulator's own)
        _key(qtbot, win, Qt.Key.Key_Space)
        first = eng.recorder.path
        qtbot.waitUntil(lambda: eng.recorder.duration_s > 0.5, timeout=30_000)
        _target_dialog(qtbot, win, lambda d: d.reject())           # Cancel
        _target_dialog(qtbot, win, lambda d: d.accept())           # OK, nothing changed
        assert eng.recorder.path == first
        _target_dialog(qtbot, win, lambda d: (d.rate.setValue(3.0), d.accept()))
        assert win.pacer.rate_hz == 3.0
        second = eng.recorder.path
        assert second != first
        qtbot.waitUntil(lambda: eng.recorder.duration_s > 0.5, timeout=30_000)
        _key(qtbot, win, Qt.Key.Key_F)
        qtbot.waitUntil(lambda: eng.recorder.duration_s > 1.0, timeout=30_000)
        _key(qtbot, win, Qt.Key.Key_F)
        _key(qtbot, win, Qt.Key.Key_Space)
        assert eng.recorder is None
    finally:
        win.close()
    a, b = _meta(first), _meta(second)
    assert a["extra"]["target_detail"]["rate_hz"] == 1.5 and b["extra"]["target_detail"]["rate_hz"] == 3.0
    assert "feedback_changes" not in a["extra"]
    assert b["extra"]["feedback"] == "concurrent"
    changes = b["extra"]["feedback_changes"]
    assert [c["feedback"] for c in changes] == ["terminal", "faded"]
    assert 0.0 < changes[0]["t_s"] < changes[1]["t_s"]
