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
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge import ble_profiles as bp
from firmware_bridge import ble_timeline as bt
from firmware_bridge.protocol import binary, progressor


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


def test_gradecoach_frames_with_bad_cobs_or_layout_are_counted_as_errors():
    prof = bp.GradecoachProfile()
    assert prof.decode(b"\x00\x05\x01\x00") == []                        # COBS block runs past the end
    assert prof.decode(binary.encode_frame(b"\x01" + b"\x00" * 3)) == []   # CRC fine, samples cut short
    payload = binary.cobs_decode(binary.encode_samples(0, 0, 1000, np.ones(3))[1:-1])[:-2]
    bad_crc = b"\x00" + binary.cobs_encode(payload + b"\x12\x34") + b"\x00"
    assert prof.decode(bad_crc) == [] and prof._decoder.crc_errors == 1
    assert prof.errors == 3
    prof.reset()                                                          # a reconnect keeps the count
    prof.decode(b"\x00\x05\x01\x00")
    assert prof.errors == 4


def test_nus_bad_lines_stay_counted_across_a_reconnect():
    prof = bp.NusProfile()
    prof.decode(b"1.0\nnot a number\n2.0\n")
    assert prof.errors == 1
    prof.reset()
    [b] = prof.decode(b"3.0\n1,2,3\n")
    assert b.values.tolist() == [3.0] and prof.errors == 2


# --- device times that are wrong, or a device clock that steps -----------------------------

def nus_records(lines: list[str], t0_s: float = 0.02, rate_hz: float = 200.0, piece: int = 20):
    """A sketch printing ``lines`` at ``rate_hz``, sent in ``piece``-byte notifications.

    Each piece goes out as soon as its last byte was printed, 10 ms later on the host.
    """
    text, ends, records = b"", [], []
    for i, line in enumerate(lines):
        text += (line + "\n").encode()
        ends.append((len(text), t0_s + i / rate_hz))
    for i in range(0, len(text), piece):
        stop = min(i + piece, len(text))
        t_printed = next(t for n, t in ends if n >= stop)
        records.append((t_printed + 0.010, NUS, text[i:stop]))
    return records


def test_one_absurd_sketch_time_is_dropped_as_a_bad_line_not_a_gap():
    lines = [f"{1000 + 5 * i},{i}.5" for i in range(400)]
    lines.insert(100, "99999999,10.0")
    chunks, notices, src = replay(Radio("nus", records=nus_records(lines)))
    t_s, force_n, seqs = concat(chunks)
    np.testing.assert_array_equal(force_n, np.arange(400) + 0.5)
    assert notices == [] and src.stats.dropped == 0 and src.stats.crc_errors == 1
    # the sketch's own spacing, once the first notifications have found the offset
    np.testing.assert_allclose(np.diff(t_s)[20:], 0.005, atol=1e-6)
    assert t_s[-1] == pytest.approx(0.02 + 400 / 200.0, abs=0.03)
    assert [s for s, _ in seqs][0] == 0 and sum(n for _, n in seqs) == 400


def test_a_sketch_restarting_its_clock_is_re_anchored_at_its_rate():
    lines = [f"{60_000 + 5 * i},1.0" for i in range(200)] + [f"{5 * i},2.0" for i in range(200)]
    chunks, notices, src = replay(Radio("nus", records=nus_records(lines)))
    t_s, force_n, _ = concat(chunks)
    assert len(force_n) == 400 and force_n[200:].tolist() == [2.0] * 200
    assert notices == [] and src.stats.dropped == 0 and src.stats.crc_errors == 0
    assert np.all(np.diff(t_s) > 0)
    np.testing.assert_allclose(np.diff(t_s[201:]), 0.005, atol=1e-6)
    # each sample lies between when it was printed and when it arrived (pieces wait ≤ 2 lines)
    printed = 0.02 + np.arange(400) / 200.0
    assert np.all(t_s >= printed - 1e-6) and np.all(t_s <= printed + 0.010 + 0.011)


def test_a_progressor_clock_stepping_back_is_re_anchored_at_its_rate():
    records, k = [], 5
    t_dev = np.concatenate([3_000_000 + 12_500 * np.arange(100), 12_500 * np.arange(100)])
    for i in range(0, 200, k):
        arrival = 0.05 + (i + k - 1) / 80.0 + 0.02
        records.append((arrival, progressor.DATA_UUID,
                        progressor.encode_weights(np.full(k, 1.0 + (i >= 100)), t_dev[i:i + k])))
    chunks, notices, src = replay(Radio("progressor", records=records))
    t_s, force_n, _ = concat(chunks)
    assert len(force_n) == 200 and notices == [] and src.stats.dropped == 0
    steps = np.diff(t_s)
    assert steps.min() > 0.0125 - 0.021 and steps.min() > 0     # no 1 µs squeeze
    np.testing.assert_allclose(steps[101:], 0.0125, atol=1e-6)
    t_true = 0.05 + np.arange(200) / 80.0
    assert np.all(np.abs(t_s - t_true) <= 0.02 + 1e-6)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 118), st.integers(-2 ** 40, 2 ** 40), st.integers(1, 8))
def test_timeline_one_wrong_device_time_costs_only_that_sample(where, wrong_us, k):
    """Whatever one sample's device time says, the others keep the device's spacing.

    The wrong sample is dropped and counted; like a garbled line, it leaves a one-sample hole.
    """
    n, period_us = 120, 5000
    t_dev = 10 ** 7 + period_us * np.arange(n)
    if wrong_us < 0:
        wrong_us = int(t_dev[where]) + wrong_us % (10 ** 7) - 10 ** 7     # somewhere before
    if abs(wrong_us - t_dev[where]) < 2 * period_us or where < k:
        return      # a time that fits is not wrong; the first notification has nothing to go by
    if 0 < wrong_us - t_dev[where] < (bt.AHEAD_TOL_S + 0.05) * 1e6:
        return      # a little ahead: cannot be told from the truth until later samples arrive
    t_dev[where] = wrong_us
    tl = bt.Timeline()
    out_t, out_v, missing = [], [], 0
    for i in range(0, n, k):
        t_host = (i + min(k, n - i)) * period_us * 1e-6 + 0.01
        p = tl.place(bp.Batch("force", np.arange(i, min(i + k, n), dtype=float), t_dev[i:i + k]), t_host)
        missing += p.missing
        out_t.append(p.t_s)
        out_v.append(p.values)
    t_s, v = np.concatenate(out_t), np.concatenate(out_v)
    assert np.all(np.diff(t_s) > 0)
    kept = np.delete(np.arange(n, dtype=float), where)
    np.testing.assert_array_equal(v, kept)
    assert tl.bad_times == 1 and missing <= 1
    want = np.diff(np.delete(t_dev, where)) * 1e-6
    np.testing.assert_allclose(np.diff(t_s), want, atol=1e-6)


# --- an untimed sketch across a reconnect --------------------------------------------------

def test_untimed_sketch_rate_is_measured_again_after_a_reconnect():
    radio = Radio("nus_untimed_grade1", drop_after=40, outage_s=0.4)
    chunks, notices, src = replay(radio)
    assert src.stats.reconnects == 1
    assert [n.kind for n in notices].count("reconnected") == 1
    t_s, _, _ = concat(chunks)
    hole = int(np.argmax(np.diff(t_s)))
    # the last chunk holds the sketch's samples after the outage (with those before it too when the
    # reader, late on a loaded machine, took all at once): its rate is measured again, not 79 Hz
    last = [c for c in chunks if c.stream == "force"][-1]
    assert last.t_s[-1] > t_s[hole] and last.rate_hz == pytest.approx(100.0, rel=0.05)
    assert src.info["rate_hz"] == pytest.approx(100.0, rel=0.05)
    assert np.median(np.diff(t_s[hole + 1:])) == pytest.approx(0.01, rel=0.05)
