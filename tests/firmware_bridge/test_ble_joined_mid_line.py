"""Notifications from a NUS sketch that begin in the middle of a line (the sketch was printing
before it was subscribed to, or carries on after a reconnect): the cut line is neither a sample
nor a bad line, while a stream that begins with a whole line keeps it. Replayed notifications
through bleak's API boundary, as in test_ble.py.
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


def records(text: bytes, piece: int = 20, rate_hz: float = 200.0, line_bytes: int = 12):
    return [(0.02 + (i + piece) / line_bytes / rate_hz, bp.NUS_TX_UUID, text[i:i + piece])
            for i in range(0, len(text), piece)]


@pytest.mark.parametrize("timed, cut", [(True, 0), (True, 3), (True, 7), (True, 10), (False, 0)])
def test_a_stream_joined_mid_line_records_only_whole_lines(timed, cut):
    lines = [(f"{61_000 + 5 * i},{20 + i % 7}.25\n" if timed else f"{20 + i % 7}.25\n").encode() for i in range(300)]
    text = b"".join(lines)[cut:]
    chunks, notices, src = _h.replay(_h.Radio("nus", records=records(text, line_bytes=len(lines[0]))))
    _, force_n, _ = _h.concat(chunks)
    want = np.array([20 + i % 7 + 0.25 for i in range(300)])
    np.testing.assert_allclose(force_n, want[1:] if cut else want)      # a whole first line is kept
    assert src.stats.crc_errors == 0 and src.stats.dropped == 0 and notices == []


def test_a_reconnect_that_resumes_mid_line_records_no_piece_of_it():
    lines = [f"{61_000 + 5 * i},{20 + i % 7}.25\n".encode() for i in range(400)]
    radio = _h.Radio("nus", records=records(b"".join(lines), piece=20, line_bytes=len(lines[0])),
                     drop_after=50, outage_s=0.2)
    chunks, notices, src = _h.replay(radio)
    _, force_n, _ = _h.concat(chunks)
    assert src.stats.reconnects == 1 and src.stats.crc_errors == 0
    assert set(np.round(force_n - 20, 2)) <= {k + 0.25 for k in range(7)}     # no piece of a number
