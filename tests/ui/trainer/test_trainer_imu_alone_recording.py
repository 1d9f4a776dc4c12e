"""A recording of a worn IMU alone, made by the trainer (Space on a played IMU recording) or by
'gradecoach record', holds imu.csv and no force.csv: it had a force.csv of its header alone and
a force stream at 0 Hz in session.json, and replay, review and report of it warned 'a header and
no samples after it'. A force that does come later is still written (SessionWriter opens
force.csv with its first samples)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from firmware_bridge.sources import FileSource
from ui.cli import main
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _worn_imu(tmp_path):
    """A worn IMU's recording alone (x.imu.csv of a simulated III set)."""
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "12", "--rate", "500",
                 "--imu", "200", "-o", str(tmp_path / "x.csv")]) == 0
    alone = tmp_path / "worn"
    alone.mkdir()
    (alone / "x.imu.csv").write_bytes((tmp_path / "x.imu.csv").read_bytes())
    return alone / "x.imu.csv"


def _imu_alone_folder(folder):
    ses = open_session(folder)
    assert not (folder / "force.csv").exists() and "force" not in ses.meta.streams
    assert ses.imu is not None and len(ses.imu.t_s) > 100
    assert not [w for w in ses.warnings if "no samples" in w]
    stored = [e for e in ses.events if e["type"] != "summary"]
    replayed = [e.to_dict() for e in analyze_input(load_input(folder)) if e.TYPE != "summary"]
    assert [e["type"] for e in stored] == [e["type"] for e in replayed]


def test_the_trainer_records_a_worn_imu_alone_without_a_force_file(qtbot, tmp_path):
    eng = Engine()
    worker = AcquisitionWorker(FileSource(str(_worn_imu(tmp_path)), speed=4.0), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    with qtbot.waitActive(win):    # window shortcuts need the active window, as on a desktop
        win.show()
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.samples.get("imu", 0) > 0, timeout=30_000)
        qtbot.keyClick(win, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: eng.recorder is not None, timeout=5_000)
        folder = eng.recorder.path
        qtbot.waitUntil(lambda: (eng.imu_last_t or 0.0) > 5.0, timeout=30_000)
        qtbot.keyClick(win, Qt.Key.Key_Space)
        assert eng.recorder is None
    finally:
        win.close()
    _imu_alone_folder(folder)


def test_record_of_a_worn_imu_alone_has_no_force_file(tmp_path, capsys):
    out = tmp_path / "rec"
    assert main(["record", "--device", f"file:{_worn_imu(tmp_path)}", "--out", str(out),
                 "--duration", "2", "--quiet"]) == 0
    _imu_alone_folder(out)


def test_a_force_that_comes_later_is_still_written(tmp_path):
    w = SessionWriter(tmp_path / "s", SessionMeta(), imu=True, force=False)
    w.append_imu(np.array([0.0, 0.01]), np.zeros((2, 6)))
    w.append_force(np.array([0.5, 0.501]), np.array([1.0, 2.0]))
    w.close(rate_hz=1000.0)
    ses = open_session(tmp_path / "s")
    assert list(ses.force.t_s) == [0.5, 0.501] and ses.meta.streams["force"]["rate_hz"] == 1000.0
