"""'gradecoach record' of a worn IMU alone stores one gap for one unplug, 'disconnected' as the
source told of it, as replay gives it: it stored the IMU analysis's 'dropout' of the same span
beside it (the analysis's mark was left out only when it was in the force stream). The IMU is a
played recording of one (file:SESSION), whose stored unplug the source tells of as it reaches it."""

from __future__ import annotations

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import first_chunks, new_meta, record
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionWriter, open_session
from firmware_bridge.sources import FileSource
from tests.firmware_bridge._gapped_session import RATE_HZ, STORED, gaps_of, recorded_session


def test_an_unplug_of_a_worn_imu_is_one_gap_in_its_recording(tmp_path):
    folder = recorded_session(tmp_path / "s", imu=True)
    assert gaps_of([e.to_dict() for e in analyze_input(load_input(folder))]) == STORED
    src = FileSource(str(folder), speed=8.0)
    src.open()
    w = SessionWriter(tmp_path / "again", new_meta(src, GradingScheme(40, 120)), imu=True, force=False)
    try:
        res = record(src, w, GradingScheme(40, 120), pending=first_chunks(src))
    finally:
        src.close()
        w.close()
    again = open_session(tmp_path / "again")
    assert again.imu is not None and not (tmp_path / "again" / "force.csv").exists()
    assert again.meta.streams["imu"]["rate_hz"] == pytest.approx(RATE_HZ, abs=0.01)
    assert [(g["t_start"], g["t_end"], g["reason"]) for g in again.meta.gaps] == STORED
    assert gaps_of(again.events) == STORED              # (no 'dropout' of the unplug beside it)
    assert res.reconnects == 1
