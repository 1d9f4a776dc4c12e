"""A notification delivered twice (the same bytes again, as a radio can resend them) adds no
sample: the recording holds each sample once, and the repeat is counted with the CRC errors.
Replayed notifications through bleak's API boundary, as in test_ble.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.protocol import progressor

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)


@pytest.mark.parametrize("again", [1, 10, 25])
def test_a_progressor_notification_delivered_twice_adds_no_sample(again):
    records, k = [], 5
    for i in range(0, 200, k):
        arrival = 0.05 + (i + k - 1) / 80.0
        records.append((arrival, progressor.DATA_UUID,
                        progressor.encode_weights(np.arange(i, i + k) * 1.0, 12_500 * np.arange(i, i + k))))
    records.insert(again + 1, (records[again][0] + 0.002, records[again][1], records[again][2]))
    chunks, notices, src = _h.replay(_h.Radio("progressor", records=records))
    t_s, force_n, _ = _h.concat(chunks)
    np.testing.assert_allclose(force_n / progressor.STANDARD_GRAVITY_M_S2, np.arange(200.0), atol=1e-4)
    assert np.all(np.diff(t_s) > 0) and notices == [] and src.stats.dropped == 0
    assert src.stats.crc_errors == k
