"""The first notification after a start or a reconnect, delivered after the one that followed it.
Nothing before it tells its place, so the samples of a start or restart wait 0.2 s for a late
one: within that it is put back in its place; later still, it is left out and counted once, as
lost. It was counted as CRC errors (telling the user the radio link corrupts data), and its
samples were not counted lost. Replayed notifications through bleak's API boundary, as in
test_ble.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.ble_record import truth
from firmware_bridge.recorder import finish_meta, new_meta, record
from firmware_bridge.session import SessionWriter, open_session

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)

NAMES = ["gradecoach_grade3", "progressor_grade4"]
SCHEME = GradingScheme(40, 120)


def _late(radio: "_h.Radio", i: int, after: int) -> "_h.Radio":
    """Notification ``i`` of the radio's stream delivered 1 ms after the ``after`` ones that followed it."""
    records = list(radio.records)
    rec = records.pop(i)
    records.insert(i + after, (records[i + after - 1][0] + 0.001, rec[1], rec[2]))
    radio.records = records
    return radio


def _radio(name: str, **kw) -> "_h.Radio":
    if name.startswith("gradecoach"):
        pytest.importorskip("firmware_bridge.protocol.binary")
    return _h.Radio(name, **kw)


@pytest.mark.parametrize("name", NAMES)
def test_a_first_notification_delivered_after_the_second_is_put_in_its_place(name):
    radio = _late(_radio(name), 0, 1)
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
    _late(radio, first, 1)
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
    radio = _late(_radio(name), 0, after)          # 0.4 s (100 a second), 0.6 s (16 a second) late
    k = radio.meta["per_notification"]
    src = _h.open_replay(radio)
    try:
        w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME), imu=name.startswith("gradecoach"))
        res = record(src, w, SCHEME, notice=lambda s: None, stop=radio.done.is_set)
        finish_meta(w, src, res)
        w.close()
    finally:
        src.close()
    s = open_session(tmp_path / "sess")
    _, want_n = truth(radio.meta)
    np.testing.assert_allclose(s.force.values, want_n[k:], rtol=1e-6, atol=1e-3)
    assert s.meta.extra["device_stats"]["crc_errors"] == 0 and src.stats.crc_errors == 0
    assert res.dropped == k and s.meta.extra["device_stats"]["dropped"] == k     # lost, once
    assert s.meta.gaps == []            # (its samples lie before the recording's first: no hole in it)


# --- the reordering and the timeline, the first notification late too -------------------------

from hypothesis import given, settings          # noqa: E402
from hypothesis import strategies as st         # noqa: E402

from firmware_bridge import ble_profiles as bp  # noqa: E402
from firmware_bridge import ble_timeline as bt  # noqa: E402


@pytest.mark.parametrize("by", ["seq", "time"])
@settings(max_examples=300, deadline=None)
@given(plan=st.lists(st.tuples(st.integers(0, 40), st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_notifications_in_any_order_from_the_first_are_placed_once_and_counted_once(by, plan):
    """Each of n notifications (k samples 1 ms apart, numbered or only timed, across the wrap of
    the number or clock), the first ones too, arrives late by 0–400 ms, or never, or twice.
    Placed samples are in order, each once; from the first notification that arrives on, every
    sample is either placed or counted missing, never both; only repeats count as bad times."""
    k, wrap = 10, 2 ** 32
    tl = bt.Timeline(clock_wrap_us=wrap, seq_modulus=wrap if by == "seq" else None)
    ro = bt.Reorder(by, wrap)
    arrivals = []
    for i, (late_10ms, lost, twice) in enumerate(plan):
        n0 = i * k
        t_dev = (wrap - 55_000 + 1000 * (n0 + np.arange(k))) % wrap
        seq0 = (wrap - 55 + n0) % wrap if by == "seq" else None
        batch = bp.Batch("force", n0 + np.arange(k, dtype=float), t_dev, seq0)
        t = i * 0.01 + 0.02 + late_10ms * 0.01
        if not lost:
            arrivals.append((t, i, batch))
            if twice:
                arrivals.append((t + 0.005, i, batch))
    if not arrivals:
        return
    placed, missing = [], 0
    arrivals.sort(key=lambda a: (a[0], a[1]))

    def hand_on(notes):
        nonlocal missing
        for batches, t_host in notes:
            for b in batches:
                p = tl.place(b, t_host)
                missing += p.missing
                if len(p.t_s):
                    placed.append((p.t_s, p.values))

    for t, _, b in arrivals:
        hand_on(ro.push([b], t))
    hand_on(ro.flush())
    tl.release()
    t_s = np.concatenate([t for t, _ in placed])
    n = np.concatenate([v for _, v in placed]).astype(int)       # each sample's index, as sent
    assert np.all(np.diff(n) > 0) and np.all(np.diff(t_s) > 0)
    first = min(i for _, i, _ in arrivals) * k
    assert len(n) + missing == n[-1] - first + 1
    assert tl.bad_times <= sum(k for _, lost, twice in plan if twice and not lost)
