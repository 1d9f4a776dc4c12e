"""Samples a BLE sensor lost (a dropped link, numbered frames that jump) are counted in the
recording as over serial: the gap notice carries how many, so the loss line names the number
and session.json's ``dropped`` is the samples lost within the recording. Replayed notifications
through bleak's API boundary, as in test_ble.py, into a real session folder.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import finish_meta, new_meta, record
from firmware_bridge.session import SessionWriter, open_session

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)

SCHEME = GradingScheme(40, 120)


def test_samples_lost_over_a_dropped_link_are_counted_in_the_recording(tmp_path):
    pytest.importorskip("firmware_bridge.protocol.binary")
    radio = _h.Radio("gradecoach_grade3", drop_after=100, outage_s=0.25)
    src = _h.open_replay(radio)
    said: list[str] = []
    try:
        w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME), imu=True)
        res = record(src, w, SCHEME, notice=said.append, stop=radio.done.is_set)
        finish_meta(w, src, res)
        w.close()
    finally:
        src.close()
    lost = len(radio.lost) * radio.meta["per_notification"]
    assert lost > 0 and res.dropped == lost
    assert open_session(tmp_path / "sess").meta.extra["device_stats"]["dropped"] == lost
    line = next(x for x in said if "lost" in x and "connection" not in x)
    assert re.fullmatch(rf"ble:\S+: {lost} samples lost", line), said
