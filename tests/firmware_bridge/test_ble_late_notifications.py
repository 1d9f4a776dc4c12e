"""Notifications the radio hands over out of order (a retransmission delivered after the one
that followed it), or again. The reference firmware numbers its samples and the Progressor times
them: a late notification that comes while the samples after its hole are still held is put back
in its place; one later still is dropped and counted once, as lost, never also as a CRC error; a
repeat is counted with the CRC errors and recorded once. What is held when the recording stops is
recorded. Replayed notifications through bleak's API boundary, as in test_ble.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.ble_record import truth
from firmware_bridge.session import open_session
from tests.firmware_bridge.ble_replay import arrivals, delivered_late, placed, record_replay
from tests.firmware_bridge.ble_replay import radio_fakes as _h

SCHEME = GradingScheme(40, 120)
LATE = 50          # the notification delivered late


def _late_radio(name: str, after: int) -> "_h.Radio":
    """The fixture with notification ``LATE`` delivered 1 ms after the ``after`` ones that followed it."""
    return delivered_late(_h.Radio(name), LATE, after)


def test_a_numbered_notification_delivered_after_the_next_one_is_put_back_in_its_place():
    pytest.importorskip("firmware_bridge.protocol.binary")
    radio = _late_radio("gradecoach_grade3", 2)        # 20 ms late at 100 notifications a second
    chunks, notices, src = _h.replay(radio)
    t_s, force_n, seqs = _h.concat(chunks)
    t_dev, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, atol=1e-3)            # every sample, in order
    _h.check_times(t_s, t_dev, radio.meta)
    assert _h.contiguous(seqs) and notices == []
    assert src.stats.dropped == 0 and src.stats.crc_errors == 0
    assert src.stats.samples == len(want_n)
    t_imu, _, _ = _h.concat(chunks, "imu")
    np.testing.assert_array_equal(t_imu, t_s)


def test_a_numbered_notification_too_late_to_place_is_counted_lost_once():
    pytest.importorskip("firmware_bridge.protocol.binary")
    radio = _late_radio("gradecoach_grade3", 40)       # 0.4 s late: its place was handed on
    chunks, notices, src = _h.replay(radio)
    t_s, force_n, _ = _h.concat(chunks)
    _, want_n = truth(radio.meta)
    k = radio.meta["per_notification"]
    kept = np.ones(len(want_n), bool)
    kept[LATE * k:(LATE + 1) * k] = False
    np.testing.assert_allclose(force_n, want_n[kept], atol=1e-3)
    assert np.all(np.diff(t_s) > 0)
    assert [n.message for n in notices] == [f"{src.spec}: {k} samples lost"]
    assert src.stats.dropped == k and src.stats.crc_errors == 0        # lost, and not a CRC error too
    assert src.stats.samples + src.stats.dropped == len(want_n)


def test_a_progressor_notification_too_late_to_place_is_counted_lost_once():
    radio = _late_radio("progressor_grade4", 10)       # 0.6 s late
    chunks, notices, src = _h.replay(radio)
    _, force_n, _ = _h.concat(chunks)
    _, want_n = truth(radio.meta)
    k = radio.meta["per_notification"]
    assert len(force_n) == len(want_n) - k
    assert src.stats.dropped == k and src.stats.crc_errors == 0
    assert [n.message for n in notices] == [f"{src.spec}: {k} samples lost"]


def test_samples_held_for_a_late_notification_are_recorded_when_the_recording_stops(tmp_path):
    pytest.importorskip("firmware_bridge.protocol.binary")
    radio = _h.Radio("gradecoach_grade3")
    k = radio.meta["per_notification"]
    # notification LATE never comes, and the recording stops 5 notifications (50 ms) after its hole
    radio.records = radio.records[:LATE] + radio.records[LATE + 1:LATE + 6]
    _, res = record_replay(radio, tmp_path / "sess", SCHEME, imu=True)
    s = open_session(tmp_path / "sess")
    _, want_n = truth(radio.meta)
    want = np.concatenate([want_n[:LATE * k], want_n[(LATE + 1) * k:(LATE + 6) * k]])
    np.testing.assert_allclose(s.force.values, want, atol=1e-3)     # the last 50 samples too
    assert res.dropped == k and s.meta.extra["device_stats"]["dropped"] == k


def test_a_source_closed_while_holding_samples_hands_them_over():
    pytest.importorskip("firmware_bridge.protocol.binary")
    radio = _h.Radio("gradecoach_grade3")
    k = radio.meta["per_notification"]
    radio.records = radio.records[:LATE] + radio.records[LATE + 1:LATE + 6]
    src = _h.open_replay(radio)
    chunks = []
    try:
        assert radio.done.wait(30)
        while got := src.read(0.0):
            chunks += got
    finally:
        src.close()
    chunks += src.read(0.0)                 # what it held when it was closed
    _, force_n, _ = _h.concat(chunks)
    assert len(force_n) == (LATE + 5) * k and src.stats.dropped == k


def test_a_doubtful_last_notification_is_counted_when_the_recording_stops(tmp_path):
    # the Progressor's clock steps back in its last notification: held for a doubtful time, and
    # nothing comes after it to tell; it is counted with the CRC errors, the counts add up
    radio = _h.Radio("progressor_grade4")
    k = radio.meta["per_notification"]
    t, char, _ = radio.records[100]
    from firmware_bridge.protocol import progressor
    radio.records = radio.records[:100] + [(t, char, progressor.encode_weights(np.ones(k), 12_500 * np.arange(k)))]
    _, res = record_replay(radio, tmp_path / "sess", SCHEME)
    stats = open_session(tmp_path / "sess").meta.extra["device_stats"]
    assert res.samples == 100 * k
    assert stats["crc_errors"] == k and stats["dropped"] == 0


# --- the reordering and the timeline, against any order of arrival ----------------------------

from hypothesis import given, settings          # noqa: E402
from hypothesis import strategies as st         # noqa: E402


@pytest.mark.parametrize("by", ["seq", "time"])
@settings(max_examples=300, deadline=None)
@given(plan=st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_notifications_in_any_order_are_placed_once_and_counted_once(by, plan):
    """Each of n notifications (k samples 1 ms apart, numbered or only timed, across the wrap of
    the number or clock) but the first arrives late by 0–400 ms, or never, or twice. Placed
    samples are in order, each once; every sample of the span is either placed or counted
    missing, never both; only repeats count as bad times."""
    k, wrap = 10, 2 ** 32
    plan[0] = (0, False, False)        # the stream starts with its first notification
    t_s, n, missing, tl = placed(arrivals(plan, by, k, wrap), by, wrap)     # n: each sample's index, as sent
    assert np.all(np.diff(n) > 0) and np.all(np.diff(t_s) > 0)
    assert len(n) + missing == n[-1] - n[0] + 1
    assert tl.bad_times <= sum(k for _, lost, twice in plan if twice and not lost)


def test_a_progressor_notification_delivered_after_the_next_one_is_put_back_in_its_place():
    radio = _late_radio("progressor_grade4", 1)        # 1 ms after the next, 63 ms late at 80 Hz
    chunks, notices, src = _h.replay(radio)
    t_s, force_n, seqs = _h.concat(chunks)
    t_dev, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, rtol=1e-6, atol=1e-4)
    _h.check_times(t_s, t_dev, radio.meta)
    assert _h.contiguous(seqs) and notices == []
    assert src.stats.dropped == 0 and src.stats.crc_errors == 0


@pytest.mark.parametrize("name", ["gradecoach_grade3", "progressor_grade4"])
def test_two_notifications_delivered_again_in_a_row_are_not_recorded_twice(name):
    if name.startswith("gradecoach"):
        pytest.importorskip("firmware_bridge.protocol.binary")
    radio = _h.Radio(name)
    k = radio.meta["per_notification"]
    t = radio.records[LATE + 1][0]
    again = [(t + 0.001 * (j + 1), c, d) for j, (_, c, d) in enumerate(radio.records[LATE:LATE + 2])]
    radio.records = radio.records[:LATE + 2] + again + radio.records[LATE + 2:]
    chunks, notices, src = _h.replay(radio)
    _, force_n, seqs = _h.concat(chunks)
    _, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, rtol=1e-6, atol=1e-3)      # each sample once
    assert _h.contiguous(seqs) and notices == []
    assert src.stats.dropped == 0 and src.stats.crc_errors == 2 * k


def test_a_progressor_notification_delivered_again_across_its_clocks_wrap_is_not_recorded_twice():
    from firmware_bridge.protocol import progressor
    k, t0 = 5, 2 ** 32 - 12_500 * 52          # the µs clock wraps within notification 10
    records = [(0.05 + (i + k - 1) / 80.0, progressor.DATA_UUID,
                progressor.encode_weights(np.arange(i, i + k) * 1.0, (t0 + 12_500 * np.arange(i, i + k)) % 2 ** 32))
               for i in range(0, 400, k)]
    records.insert(11, (records[10][0] + 0.002, records[10][1], records[10][2]))
    chunks, notices, src = _h.replay(_h.Radio("progressor", records=records))
    t_s, force_n, _ = _h.concat(chunks)
    np.testing.assert_allclose(force_n / progressor.STANDARD_GRAVITY_M_S2, np.arange(400.0), atol=1e-4)
    assert np.all(np.diff(t_s) > 0) and notices == []
    assert src.stats.dropped == 0 and src.stats.crc_errors == k
