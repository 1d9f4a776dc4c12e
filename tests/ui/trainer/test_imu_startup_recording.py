"""A recording started while only a worn IMU has sent (its force comes a moment later) keeps the
force as 'replay' of the folder reads it: in the trainer, from a source that says it has force
or one that cannot say, and in 'gradecoach record'. Both went by which stream had sent first:
the recording's analysis was made for an IMU alone (its summary lacked the calibration's
warning), and 'record' counted the IMU's samples as the sensor's. A serial sensor that says it
has an IMU only with its first samples (it does not answer identify) keeps them too: a
recording started before them had no imu.csv, and lost every IMU sample."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.protocol import binary
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from tests.conftest import pty_device
from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from ._faster_pacer import FasterWhenTold
from .conftest import Feeder, live_window
from ._imu_startup import LEAD_S, _imu_first, _live

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _cycles(events) -> list[tuple]:
    return [(e["t_start"], e["grade"]) for e in events if e["type"] == "cycle"]


def _same_as_replay(folder) -> list[tuple]:
    """The recording's stored cycles and summary warnings are what 'replay' of it gives; its cycles."""
    ses = open_session(folder)
    replayed = [e.to_dict() for e in analyze_input(load_input(folder))]
    assert _cycles(ses.events) == _cycles(replayed)
    summary = [e for e in ses.events if e["type"] == "summary"][-1]
    assert summary["warnings"] == replayed[-1]["warnings"]
    assert any("no calibration" in w for w in summary["warnings"])     # (its cycles are not graded)
    return _cycles(ses.events)


def test_a_recording_started_before_the_first_force_keeps_the_force_and_its_cycles(qtbot, tmp_path):
    # (played in real time until Space: it comes within the IMU's 2 s alone on a machine under
    # load, where at twice the speed the force had come first once; 4 times as fast after it)
    win, eng, worker, seen = _live(qtbot, tmp_path, _imu_first(tmp_path), speed=1.0)
    pacer = worker.source.pacer = FasterWhenTold()
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.samples.get("imu", 0) > 0, timeout=30_000)
        assert eng.force.total == 0           # Space pressed while only the IMU has sent
        folder = win.start_recording()
        pacer.faster(4.0)
        qtbot.waitUntil(lambda: (eng.force.last_t or 0.0) > LEAD_S + 4.0, timeout=30_000)
        assert win.stop_recording() == folder
    finally:
        win.close()
    ses = open_session(folder)
    # the force from its first sample on: on the source's timeline (the recording counts from
    # its own first sample, the IMU's, which comes however late Space was pressed)
    assert ses.force is not None
    assert ses.meta.extra["source_t0_s"] + ses.force.t_s[0] == pytest.approx(LEAD_S, abs=0.01)
    assert len(_same_as_replay(folder)) >= 3


def test_a_source_that_cannot_say_keeps_a_force_that_starts_later(qtbot, tmp_path):
    """Data fed with no source to say what it has (as the screenshot command does): the view
    goes by the data, and a recording made while only the IMU had sent analyses the force
    from its first sample as replay does."""
    path = _imu_first(tmp_path)
    eng = Engine(clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    feed = Feeder(eng, win, path)
    feed.until(0.5)
    assert eng.imu_only                       # (nothing says a force will come)
    folder = win.start_recording()
    feed.until(LEAD_S + 5.0)
    assert not eng.imu_only
    assert win.stop_recording() == folder
    assert len(_same_as_replay(folder)) >= 4


def test_gradecoach_record_counts_the_force_of_a_sensor_whose_imu_sent_first(tmp_path, capsys, monkeypatch):
    from firmware_bridge import sources

    # (the played file at 10 times its speed: its 3.5 s in 0.35 s; the duration is the data's)
    monkeypatch.setitem(sources.SOURCES, "file", lambda rest: sources.FileSource(rest, speed=10.0))
    out = tmp_path / "rec"
    assert main(["record", "--device", f"file:{_imu_first(tmp_path)}", "--out", str(out),
                 "--duration", "3.5", "--quiet"]) == 0
    said = capsys.readouterr().out
    ses = open_session(out)
    # it said the IMU's samples (200 a second), as if the IMU were the sensor
    assert f"recorded {len(ses.force.t_s)} samples" in said
    assert len(ses.force.t_s) > 500 and len(ses.imu.t_s) > 500
    _same_as_replay(out)


def test_a_recording_started_before_a_serial_sensors_first_sample_keeps_its_imu(qtbot, tmp_path):
    """A sensor on a pseudo-terminal that sends force and IMU (binary frames of 10 samples at
    1 kHz, the hand at rest) after 0.5 s, and never answers identify."""
    def frame(k: int) -> bytes:
        if k < 50:
            return b""
        n = k - 50
        return binary.encode_samples(10 * n, 10_000 * n, 1000, np.full(10, 20.0),
                                     np.tile([0.0, 0.0, 9.81, 0.0, 0.0, 0.0], (10, 1)))

    with pty_device(frame) as port:
        src = SerialSource(port)
        win, eng, worker = live_window(qtbot, tmp_path, src)
        worker.start()
        try:
            qtbot.waitUntil(lambda: worker.opened_at is not None, timeout=30_000)
            assert not eng.samples and not src.info["has_imu"]     # Space pressed before any sample
            folder = win.start_recording()
            qtbot.waitUntil(lambda: eng.samples.get("imu", 0) >= 1000, timeout=30_000)
            assert win.stop_recording() == folder
        finally:
            win.close()
    ses = open_session(folder)
    # every sample recorded, from the first: the IMU's as the force's
    assert ses.imu is not None and len(ses.imu.t_s) == len(ses.force.t_s) >= 1000
    assert ses.imu.t_s[0] == ses.force.t_s[0] == 0.0
    assert ses.meta.streams["imu"]["file"] == "imu.csv"
    assert np.allclose(ses.imu.values[:, 2], 9.81)
