"""Raw ADC counts with a calibration the device got wrong (an offset that is text, no scale):
the reader does not die on it (serial: a ValueError out of ``read`` and no more samples); the
counts stay counts, said once, over serial (a real pseudo-terminal) and BLE alike."""

from __future__ import annotations

import os
import time
import tty

import numpy as np
import pytest

from firmware_bridge import ble_profiles as bp
from firmware_bridge.protocol import binary as b
from firmware_bridge.serial_source import SerialSource

BAD = [{"offset": "x", "n_per_count": 0.01}, {"offset": 0, "n_per_count": None}, {"n_per_count": "abc"}]


def identify(cal: dict) -> bytes:
    return b.encode_identify(b.Identify("odd", "1", 1000.0, "counts", cal, False))


@pytest.mark.parametrize("cal", BAD)
def test_serial_raw_counts_with_an_unusable_calibration_stay_counts(cal):
    master, slave = os.openpty()
    tty.setraw(slave)
    src = SerialSource(os.ttyname(slave))
    src.open()
    got, notes = [], []
    try:
        os.write(master, identify(cal))
        deadline = time.monotonic() + 30
        k = 0
        while sum(len(c) for c in got) < 200:
            assert time.monotonic() < deadline
            os.write(master, b.encode_samples(k, 1000 * k, 1000, 1000.0 + np.arange(10), raw_counts=True))
            k += 10
            got += src.read(0.05)
            notes += src.notices()
    finally:
        src.close()
        os.close(master)
        os.close(slave)
    assert src.info["force_units"] == "counts"
    assert np.all(np.concatenate([c.values for c in got]) >= 1000.0)
    assert sum("not usable" in n.message for n in notes) == 1


@pytest.mark.parametrize("cal", BAD)
def test_ble_raw_counts_with_an_unusable_calibration_stay_counts(cal):
    prof = bp.GradecoachProfile()
    prof.decode(identify(cal))
    [batch] = prof.decode(b.encode_samples(0, 0, 1000, np.array([5.0, 7.0]), raw_counts=True))
    assert batch.values.tolist() == [5.0, 7.0] and prof.info["force_units"] == "counts"


def test_a_recording_in_raw_counts_opens_and_replays_in_counts(tmp_path):
    """A sensor without a usable calibration is recorded in its ADC counts: the folder's
    session.json says "counts", which replay, review and report refused ("unknown force units
    'counts'"), so nothing recorded could be looked at again."""
    from analysis.scheme import GradingScheme
    from firmware_bridge.recorder import first_chunks, new_meta, record
    from firmware_bridge.replay import analyze_input, load_input
    from firmware_bridge.session import SessionWriter
    master, slave = os.openpty()
    tty.setraw(slave)
    src = SerialSource(os.ttyname(slave))
    src.open()
    os.write(master, identify({}))
    sent = {"k": 0}

    def stop():
        k = sent["k"]
        counts = 1000.0 + 400.0 * (1 - np.cos(2 * np.pi * 1.5 * (k + np.arange(20)) / 1000))
        os.write(master, b.encode_samples(k, 1000 * k, 1000, counts, raw_counts=True))
        sent["k"] += 20
        time.sleep(0.01)
        return sent["k"] >= 4000

    try:
        for _ in range(20):
            stop()
        pending = first_chunks(src, 10.0)             # as 'record' does: the device's units known
        w = SessionWriter(tmp_path / "raw", new_meta(src, GradingScheme()))
        record(src, w, GradingScheme(), stop=stop, pending=pending)
        w.close()
    finally:
        src.close()
        os.close(master)
        os.close(slave)
    inp = load_input(tmp_path / "raw")
    assert inp.meta.sensor["force_units"] == "counts"
    assert inp.force.values.min() >= 999 and inp.force.values.max() <= 1801     # as they came
    assert any("raw ADC counts" in w and "not newtons" in w for w in inp.warnings)
    assert sum(e.TYPE == "cycle" for e in analyze_input(inp, GradingScheme())) >= 3
