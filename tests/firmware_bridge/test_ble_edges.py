"""BLE sources at the edges: raw ADC counts, bad device times, clock restarts, bad frames.

Hand-made notification streams go through the same fakes at bleak's boundary as
test_ble.py (whose ``Radio``/``replay`` are reused), so everything from the notification
callback on is the code a live device runs through.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge import ble_profiles as bp
from firmware_bridge.protocol import binary


def _load_replay_helpers():
    path = Path(__file__).with_name("test_ble.py")
    spec = importlib.util.spec_from_file_location("_ble_replay_helpers", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_h = _load_replay_helpers()
Radio, replay, concat = _h.Radio, _h.replay, _h.concat

GC = bp.GRADECOACH_DATA_UUID
NUS = bp.NUS_TX_UUID


# --- the reference firmware sending raw ADC counts ------------------------------------------

def test_gradecoach_raw_counts_are_converted_with_the_identify_calibration():
    cal = {"offset": 1000.0, "n_per_count": 0.01, "r1_n": 40, "r2_n": 120}
    ident = binary.Identify("gc-ref", "1.0.0", 1000.0, "counts", cal, False)
    records = [(0.01, GC, binary.encode_identify(ident))]
    for k in range(20):
        counts = 1000 + 100 * np.arange(10) + 1000 * k
        records.append((0.02 + 0.01 * k, GC,
                        binary.encode_samples(10 * k, 10_000 * k, 1000, counts, raw_counts=True)))
    chunks, notices, src = replay(Radio("gradecoach", records=records))
    _, force_n, _ = concat(chunks)
    np.testing.assert_allclose(force_n, np.arange(200) * 1.0, atol=1e-6)
    assert src.info["calibration"] == cal and src.info["force_units"] == "N"
    assert notices == [] and src.stats.crc_errors == 0


def test_gradecoach_raw_counts_without_calibration_stay_counts_and_say_so():
    prof = bp.GradecoachProfile()
    ident = binary.Identify("gc-ref", "1.0.0", 80.0, "counts", {}, False)
    prof.decode(binary.encode_identify(ident))
    [b] = prof.decode(binary.encode_samples(0, 0, 12_500, np.array([5.0, 7.0]), raw_counts=True))
    assert b.values.tolist() == [5.0, 7.0] and prof.info["force_units"] == "counts"
