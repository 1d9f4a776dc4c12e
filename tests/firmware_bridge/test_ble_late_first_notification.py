"""The first notification after a start or a reconnect, delivered after the one that followed it.
Nothing before it tells its place, so the samples of a start or restart wait 0.2 s for a late
one: within that it is put back in its place; later still, it is left out and counted once, as
lost. It was counted as CRC errors (telling the user the radio link corrupts data), and its
samples were not counted lost. Replayed notifications through bleak's API boundary, as in
test_ble.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.ble_record import truth
from firmware_bridge.session import open_session
from tests.firmware_bridge.ble_replay import arrivals, delivered_late, placed, record_replay
from tests.firmware_bridge.ble_replay import radio_fakes as _h

NAMES = ["gradecoach_grade3", "progressor_grade4"]
SCHEME = GradingScheme(40, 120)


def _radio(name: str, **kw) -> "_h.Radio":
    if name.startswith("gradecoach"):
        pytest.importorskip("firmware_bridge.protocol.binary")
    return _h.Radio(name, **kw)


@pytest.mark.parametrize("name", NAMES)
def test_a_first_notification_delivered_after_the_second_is_put_in_its_place(name):
    radio = delivered_late(_radio(name), 0, 1)
    chunks, notices, src = _h.replay(radio)
    t_s, force_n, seqs = _h.concat(chunks)
    t_dev, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, rtol=1e-6, atol=1e-3)      # every sample, in order
    _h.check_times(t_s, t_dev, radio.meta)
    assert _h.contiguous(seqs) and notices == []
    assert src.stats.crc_errors == 0 and src.stats.dropped == 0


@pytest.mark.parametrize("name", NAMES)
def test_the_first_notification_after_a_reconnect_delivered_late_is_put_in_its_place(name):
    radio = _radio(name, drop_after=100)
    t_back = radio.records[99][0] + radio.outage_s
    first = next(i for i, r in enumerate(radio.records) if r[0] >= t_back)     # the first sent after it
    delivered_late(radio, first, 1)
    chunks, notices, src = _h.replay(radio)
    t_s, force_n, _ = _h.concat(chunks)
    _, want_n = truth(radio.meta)
    k = radio.meta["per_notification"]
    kept = np.ones(len(want_n), bool)
    for i in radio.lost:
        kept[i * k:(i + 1) * k] = False
    np.testing.assert_allclose(force_n, want_n[kept], rtol=1e-6, atol=1e-3)  # all that came, in order
    assert np.all(np.diff(t_s) > 0)
    assert [n.kind for n in notices if n.kind != "gap"] == ["disconnected", "reconnected"]
    assert src.stats.crc_errors == 0
    # the reference firmware's numbers count the samples sent during the outage; the Progressor's
    # clock may have restarted, so nothing is counted across it
    assert src.stats.dropped == (len(radio.lost) * k if name.startswith("gradecoach") else 0)


@pytest.mark.parametrize("name, after", [("gradecoach_grade3", 40), ("progressor_grade4", 10)])
def test_a_first_notification_too_late_to_place_is_counted_lost_once(tmp_path, name, after):
    radio = delivered_late(_radio(name), 0, after)          # 0.4 s (100 a second), 0.6 s (16 a second) late
    k = radio.meta["per_notification"]
    src, res = record_replay(radio, tmp_path / "sess", SCHEME, imu=name.startswith("gradecoach"))
    s = open_session(tmp_path / "sess")
    _, want_n = truth(radio.meta)
    np.testing.assert_allclose(s.force.values, want_n[k:], rtol=1e-6, atol=1e-3)
    assert s.meta.extra["device_stats"]["crc_errors"] == 0 and src.stats.crc_errors == 0
    assert res.dropped == k and s.meta.extra["device_stats"]["dropped"] == k     # lost, once
    assert s.meta.gaps == []            # (its samples lie before the recording's first: no hole in it)


# --- the reordering and the timeline, the first notification late too -------------------------

from hypothesis import given, settings          # noqa: E402
from hypothesis import strategies as st         # noqa: E402


@pytest.mark.parametrize("by", ["seq", "time"])
@settings(max_examples=300, deadline=None)
@given(plan=st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_notifications_in_any_order_from_the_first_are_placed_once_and_counted_once(by, plan):
    """Each of n notifications (k samples 1 ms apart, numbered or only timed, across the wrap of
    the number or clock), the first ones too, arrives late by 0–400 ms, or never, or twice.
    Placed samples are in order, each once; from the first notification that arrives on, every
    sample is either placed or counted missing, never both; only repeats count as bad times."""
    k, wrap = 10, 2 ** 32
    arrived = arrivals(plan, by, k, wrap)
    if not arrived:
        return
    t_s, n, missing, tl = placed(arrived, by, wrap)     # n: each sample's index, as sent
    assert np.all(np.diff(n) > 0) and np.all(np.diff(t_s) > 0)
    first = min(i for _, i, _ in arrived) * k
    assert len(n) + missing == n[-1] - first + 1
    assert tl.bad_times <= sum(k for _, lost, twice in plan if twice and not lost)
