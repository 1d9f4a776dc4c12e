"""A trainer recording of a worn IMU alone stores one gap for one unplug, 'disconnected' as the
source told of it: it stored that and the IMU analysis's 'dropout' of the same span beside it
(the analysis's mark was left out only when it was in the force stream). The IMU is a played
recording of one (file:SESSION), whose stored unplug the source tells of as it reaches it: in
real time until the recording has started, then at 4 times its speed."""

from __future__ import annotations

import pytest

from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import open_session
from firmware_bridge.sources import FileSource
from tests.firmware_bridge._gapped_session import RATE_HZ, STORED, UNPLUG, gaps_of, recorded_session

from ._faster_pacer import FasterWhenTold
from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_unplug_of_a_worn_imu_is_one_gap_in_its_recording(qtbot, tmp_path):
    folder = recorded_session(tmp_path / "s", imu=True)
    assert gaps_of([e.to_dict() for e in analyze_input(load_input(folder))]) == STORED
    # (at real-time speed until the recording has started: it must start before the unplug at 2 s
    # of data, which at 4x throughout a loaded machine missed, starting it as the IMU came back at
    # 3.5 s; then at 4x, the unplug and the dropped samples after it told of as before)
    pacer = FasterWhenTold()
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(folder), pacer=pacer))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.scheme.calibrated, timeout=30_000)    # (the session's own R1, R2)
        rec = win.start_recording()
        assert pacer.now_data() < UNPLUG[0]         # (before the unplug: the recording sees it happen)
        pacer.faster(4.0)
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        win.refresh()
        assert win.stop_recording() == rec
    finally:
        win.close()
    again = open_session(rec)
    assert again.imu is not None and not (rec / "force.csv").exists()
    assert again.meta.streams["imu"]["rate_hz"] == pytest.approx(RATE_HZ, abs=0.01)    # (it was 0)
    t0 = again.meta.extra["source_t0_s"]
    here = [(round(a - t0, 6), round(b - t0, 6), why) for a, b, why in STORED]
    assert gaps_of(again.events) == here                 # (no 'dropout' of the unplug beside it)
    assert [(round(g["t_start"], 6), round(g["t_end"], 6), g["reason"]) for g in again.meta.gaps] == here
