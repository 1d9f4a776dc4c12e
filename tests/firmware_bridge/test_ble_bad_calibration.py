"""A reference board over BLE whose calibration cannot convert its raw ADC counts (n_per_count 0)
is told once, as over serial, rather than recording counts without a word. Replayed
notifications through bleak's API boundary, as in test_ble.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from firmware_bridge import ble_profiles as bp
from firmware_bridge.protocol import binary

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)


def test_an_unusable_calibration_is_said_once_and_the_counts_are_kept():
    cal = {"offset": 1000.0, "n_per_count": 0}
    ident = binary.Identify("gc-ref", "1.0.0", 1000.0, "counts", cal, False)
    records = [(0.01, bp.GRADECOACH_DATA_UUID, binary.encode_identify(ident))]
    for k in range(20):
        records.append((0.02 + 0.01 * k, bp.GRADECOACH_DATA_UUID,
                        binary.encode_samples(10 * k, 10_000 * k, 1000, 1000.0 + np.arange(10), raw_counts=True)))
    chunks, notices, src = _h.replay(_h.Radio("gradecoach", records=records))
    _, counts, _ = _h.concat(chunks)
    np.testing.assert_array_equal(counts, np.tile(1000.0 + np.arange(10), 20))
    assert src.info["force_units"] == "counts"
    assert [n.message for n in notices] == [
        f"{src.spec}: the device's calibration (offset 1000.0, n_per_count 0) is not usable; forces stay in ADC counts"]
