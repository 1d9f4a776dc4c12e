"""A NUS sketch printing force without times, whose notifications BlueZ hands over in bursts
(several per connection event, all at once): the samples keep the sketch's even spacing and lie
between when they were printed and when they arrived, instead of a burst's samples squeezed
microseconds apart with a hole between bursts. Replayed notifications through bleak's API
boundary, as in test_ble.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge import ble_profiles as bp

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)

RATE_HZ, EVENT_S = 100.0, 0.05        # one line per notification; a connection event every 50 ms


def test_untimed_samples_arriving_in_bursts_keep_their_spacing():
    n = 600
    printed = 0.02 + np.arange(n) / RATE_HZ
    arrival = (np.floor(printed / EVENT_S) + 1) * EVENT_S + 0.004       # sent at the next event
    records = [(float(a), bp.NUS_TX_UUID, f"{10 + i % 50}.5\n".encode()) for i, a in enumerate(arrival)]
    chunks, notices, src = _h.replay(_h.Radio("nus", records=records))
    t_s, force_n, _ = _h.concat(chunks)
    assert len(t_s) == n and notices == [] and src.stats.dropped == 0
    steps = np.diff(t_s[200:])             # once the rate is measured
    np.testing.assert_allclose(steps, 1 / RATE_HZ, rtol=0.1)
    assert np.all(t_s[200:] <= arrival[200:])
    assert np.all(t_s[200:] >= printed[200:] - 0.5 / RATE_HZ)
    assert src.info["rate_hz"] == pytest.approx(RATE_HZ, rel=0.05)
