"""A recording stopped by a full disk kept "streams": {"force": {"rate_hz": 0.0}} in its
session.json, the placeholder written at the start, where a whole one has the sensor's rate
(1000.0 for the emulator): a reader taking the rate from session.json had none."""

from __future__ import annotations

import json

from tests.conftest import record_until_disk_full


def test_a_recording_a_full_disk_stopped_keeps_its_force_rate(small_disk):
    p, out = record_until_disk_full(small_disk)
    assert p.returncode != 0, p.stdout + p.stderr
    meta = json.loads((out / "session.json").read_text())
    assert meta["complete"] is False and meta["extra"]["stopped"]["t_s"] > 0, meta
    assert meta["streams"]["force"]["rate_hz"] == 1000.0, meta["streams"]
