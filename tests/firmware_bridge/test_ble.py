"""BLE sources: recorded notification streams replayed through BleSource.

Only the radio is fake: ``FakeScanner``/``FakeClient`` stand where bleak's ``BleakScanner`` and
``BleakClient`` stand, and call the callbacks BleSource registered (notify, disconnected) with
the recorded bytes. Everything from the callback on — decoding, timeline, queue, supervisor,
reconnect — is the code a live device runs through.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import DeviceError
from firmware_bridge import ble_profiles as bp
from firmware_bridge import ble_timeline as bt
from firmware_bridge.ble import BleSource, scan
from firmware_bridge.ble_record import FIXTURES, LATENCY_S, read_stream, synthesize, truth
from firmware_bridge.protocol import progressor
from tests.firmware_bridge._fake_radio import FIXTURE_DIR, FakeClient, FakeScanner, Radio


def open_replay(radio: Radio, **kw) -> BleSource:
    src = BleSource(radio.device.name, scanner=FakeScanner(radio),
                    client_factory=lambda d, cb, timeout: FakeClient(radio, d, cb, timeout),
                    clock=radio.clock, backoff_s=(0.001, 0.01), **kw)
    src.open()
    return src


def replay(radio: Radio, **kw):
    """Open, read until the recording is over, take what the source still holds (as a recording
    that stops does: the start of a stream shorter than the wait for a late first notification is
    held to its end), close: ``(chunks, notices, source)``."""
    src = open_replay(radio, **kw)
    chunks = []
    try:
        while not radio.done.is_set():
            chunks += src.read(0.05)
        while got := src.read(0.0):
            chunks += got
        src.release_held()
        while got := src.read(0.0):
            chunks += got
        notices = src.notices()
    finally:
        src.close()
    return chunks, notices, src


def concat(chunks, stream="force"):
    cs = [c for c in chunks if c.stream == stream]
    return (np.concatenate([c.t_s for c in cs]), np.concatenate([c.values for c in cs]),
            [(c.seq0, len(c)) for c in cs])


def check_times(t_s, t_dev_us, meta):
    """Host times = device times + one offset inside the recorded latency band, increasing."""
    offset = t_s - (t_dev_us - meta["device_t0_us"]) * 1e-6
    assert offset.min() >= LATENCY_S[0] - 1e-6
    assert offset.max() <= LATENCY_S[1] + 1e-6
    assert np.all(np.diff(t_s) > 0)
    assert np.median(np.diff(t_s)) == pytest.approx(1.0 / meta["rate_hz"], rel=1e-4)


def contiguous(seqs) -> bool:
    return all(s + n == s2 for (s, n), (s2, _) in zip(seqs, seqs[1:]))


# --- Progressor ---------------------------------------------------------------------------

def test_progressor_replay_all_samples_in_newtons_with_device_times():
    radio = Radio("progressor_grade4")
    chunks, notices, src = replay(radio)
    t_s, force_n, seqs = concat(chunks)
    t_dev, want_n = truth(radio.meta)
    assert len(force_n) == len(want_n)
    np.testing.assert_allclose(force_n, want_n, rtol=1e-6, atol=1e-4)   # float32 kg × 9.80665
    check_times(t_s, t_dev, radio.meta)      # across the 32-bit µs wrap 2 s in
    assert contiguous(seqs) and notices == []
    assert src.info["profile"] == "progressor" and src.info["rate_hz"] == pytest.approx(80.0)
    assert src.stats.samples == len(want_n) and src.stats.dropped == 0
    assert radio.writes == [b"\x65", b"\x66"]          # start on open, stop on close


def test_progressor_disconnect_reconnects_marks_gap_and_restarts():
    radio = Radio("progressor_grade4", drop_after=40, outage_s=0.6)
    chunks, notices, src = replay(radio)
    kinds = [n.kind for n in notices]
    assert kinds.count("disconnected") == 1 and kinds.count("reconnected") == 1
    back = next(n for n in notices if n.kind == "reconnected")
    t_drop = radio.records[39][0]
    assert back.t_s == pytest.approx(t_drop) and back.t_end_s == pytest.approx(t_drop + 0.6)
    assert src.stats.reconnects == 1 and radio.connects == 2
    assert radio.writes.count(b"\x65") == 2             # start re-sent after the reconnect
    t_s, force_n, _ = concat(chunks)
    _, want_n = truth(radio.meta)
    k = radio.meta["per_notification"]
    kept = np.ones(len(want_n), bool)
    for i in radio.lost:
        kept[i * k:(i + 1) * k] = False
    assert len(radio.lost) > 5
    np.testing.assert_allclose(force_n, want_n[kept], rtol=1e-6, atol=1e-4)
    assert np.all(np.diff(t_s) > 0)
    # the outage is a hole in the timeline as long as the samples it swallowed
    assert np.diff(t_s).max() == pytest.approx((len(radio.lost) * k + 1) / 80.0, abs=0.04)


# --- Nordic UART Service with the line protocol ----------------------------------------------

def test_nus_lines_split_across_notifications_are_reassembled_with_sketch_times():
    pytest.importorskip("firmware_bridge.protocol.line")
    radio = Radio("nus_timed_grade2")
    cut = sum(1 for _, _, d in radio.records if not d.endswith(b"\n"))
    assert cut > len(radio.records) // 2              # the recording really splits lines
    chunks, notices, src = replay(radio)
    t_s, force_n, seqs = concat(chunks)
    t_dev, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, atol=5e-4)      # printed with 3 decimals
    check_times(t_s, t_dev, radio.meta)
    assert contiguous(seqs) and notices == [] and src.stats.dropped == 0
    assert src.info["profile"] == "nus" and src.info["rate_hz"] == pytest.approx(200.0)
    assert radio.writes == []                          # nothing is written to such sketches


def test_nus_lines_without_times_are_timed_by_arrival_at_the_measured_rate():
    pytest.importorskip("firmware_bridge.protocol.line")
    radio = Radio("nus_untimed_grade1")
    chunks, _, src = replay(radio)
    t_s, force_n, seqs = concat(chunks)
    t_dev, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, atol=5e-4)
    assert np.all(np.diff(t_s) > 0) and contiguous(seqs)
    late = t_s - (t_dev - t_dev[0]) * 1e-6            # arrival can only be later than the truth
    assert late.min() > -1.5 / radio.meta["rate_hz"] and late.max() < LATENCY_S[1] + 0.05
    assert src.info["rate_hz"] == pytest.approx(100.0, rel=0.05)


# --- the reference firmware's service ------------------------------------------------------

def test_gradecoach_service_delivers_every_sample_with_sequence_numbers_and_imu():
    pytest.importorskip("firmware_bridge.protocol.binary")
    from firmware_bridge.ble_record import imu_truth
    radio = Radio("gradecoach_grade3")
    chunks, notices, src = replay(radio)
    t_s, force_n, seqs = concat(chunks)
    t_dev, want_n = truth(radio.meta)
    np.testing.assert_allclose(force_n, want_n, atol=1e-3)
    check_times(t_s, t_dev, radio.meta)
    assert seqs[0][0] == radio.meta["seq0"] and contiguous(seqs)
    t_imu, imu, _ = concat(chunks, "imu")
    np.testing.assert_array_equal(t_imu, t_s)
    np.testing.assert_allclose(imu, imu_truth(len(want_n), radio.meta["rate_hz"]), atol=0.01)
    assert notices == [] and src.stats.dropped == 0 and src.info["has_imu"] is True
    assert src.info["rate_hz"] == pytest.approx(1000.0)
    prof = bp.GradecoachProfile()
    assert radio.writes == prof.start_commands() + prof.stop_commands()


def test_gradecoach_disconnect_counts_the_lost_samples_from_sequence_numbers():
    pytest.importorskip("firmware_bridge.protocol.binary")
    radio = Radio("gradecoach_grade3", drop_after=100, outage_s=0.25)
    chunks, notices, src = replay(radio)
    k = radio.meta["per_notification"]
    assert src.stats.reconnects == 1
    assert src.stats.dropped == len(radio.lost) * k > 0
    gap = next(n for n in notices if n.kind == "gap")
    assert gap.t_end_s - gap.t_s == pytest.approx((len(radio.lost) * k + 1) / 1000.0, abs=0.04)
    t_s, force_n, seqs = concat(chunks)
    runs = []                                  # contiguous runs of sequence numbers, whatever the reads
    for s0, n in seqs:
        if runs and runs[-1][0] + runs[-1][1] == s0:
            runs[-1][1] += n
        else:
            runs.append([s0, n])
    assert [r[0] for r in runs] == [radio.meta["seq0"], radio.meta["seq0"] + (100 + len(radio.lost)) * k]
    start = bp.GradecoachProfile().start_commands()
    assert radio.writes[:2 * len(start)] == start + start      # identify + start, twice


# --- a device that never answers, and no Bluetooth at all ----------------------------------

def test_device_not_found_is_one_line_error_naming_it():
    radio = Radio("progressor_grade4", visible=False)
    with pytest.raises(DeviceError) as e:
        open_replay(radio, find_timeout_s=0.05)
    msg = str(e.value)
    assert "\n" not in msg and radio.device.name in msg and "0.05 s" in msg


def test_device_that_never_answers_times_out_with_one_line_error():
    radio = Radio("progressor_grade4", answers=False)
    with pytest.raises(DeviceError) as e:
        open_replay(radio, connect_timeout_s=0.05)
    msg = str(e.value)
    assert "\n" not in msg and radio.device.name in msg and "did not answer within 0.05 s" in msg


def test_scan_without_dbus_says_no_bluetooth_here(monkeypatch):
    # the real bleak scanner, pointed at a system bus that does not exist
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/gradecoach-test-bus")
    with pytest.raises(DeviceError) as e:
        scan(0.1)
    assert str(e.value).startswith("no Bluetooth here (") and "\n" not in str(e.value)


def test_scan_lists_supported_devices_with_profile():
    found = scan(0.01, scanner=FakeScanner(Radio("progressor_grade4")))
    assert found == [dict(name="progressor_grade4-sensor", address="C0:FF:EE:00:00:01",
                          profile="progressor", rssi=-60, spec="ble:C0:FF:EE:00:00:01")]


# --- fixtures are exactly what the documented generator makes -------------------------------

@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURE_DIR.glob("*.jsonl")))
def test_fixture_regenerates_identically(name):
    assert read_stream(FIXTURE_DIR / f"{name}.jsonl") == synthesize(**FIXTURES[name])


def test_fixtures_stay_small():
    assert sum(p.stat().st_size for p in FIXTURE_DIR.glob("*.jsonl")) < 400_000


# --- the Progressor codec against arbitrary bytes -------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=20))
def test_progressor_decoder_survives_any_bytes(notifications):
    dec = progressor.ProgressorDecoder()
    for data in notifications:
        for msg in dec.feed(data):
            if isinstance(msg, progressor.WeightSamples):
                assert len(msg.t_us) == len(msg.force_n) <= (len(data) - 2) // 8
                assert np.all(np.isfinite(msg.force_n))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-500, 500, width=32), min_size=1, max_size=31), st.integers(0, 2 ** 32 - 1))
def test_progressor_roundtrip(kg, t0):
    t_us = t0 + 12_500 * np.arange(len(kg))
    [msg] = progressor.ProgressorDecoder().feed(progressor.encode_weights(np.array(kg), t_us))
    np.testing.assert_array_equal(msg.force_n, np.array(kg, np.float32).astype(float) * 9.80665)
    np.testing.assert_array_equal(msg.t_us, t_us % 2 ** 32)


def test_progressor_battery_and_truncated_notifications():
    dec = progressor.ProgressorDecoder()
    [resp] = dec.feed(progressor.encode_response((3712).to_bytes(4, "little")))
    assert resp.battery_mv == 3712
    good = progressor.encode_weights(np.array([1.0, 2.0]), np.array([10, 20]))
    [part] = dec.feed(good[:-3])                # last pair cut short: the first one is kept
    assert part.force_n.tolist() == [pytest.approx(9.80665)] and dec.malformed == 1
    assert dec.feed(b"\x01") == [] and dec.malformed == 2


# --- reliability details ------------------------------------------------------------------

def test_reconnect_keeps_trying_while_device_is_out_of_range():
    radio = Radio("progressor_grade4", drop_after=20, outage_s=0.3)
    scanner = FakeScanner(radio)
    misses = {"left": 3}
    real_find = scanner.find_device_by_filter

    async def flaky_find(filterfunc, timeout=10.0):
        if radio.connects == 1 and misses["left"]:     # gone after the drop, for three scans
            misses["left"] -= 1
            return None
        return await real_find(filterfunc, timeout)

    scanner.find_device_by_filter = flaky_find
    src = BleSource(radio.device.name, scanner=scanner, clock=radio.clock, backoff_s=(0.001, 0.004),
                    client_factory=lambda d, cb, timeout: FakeClient(radio, d, cb, timeout))
    src.open()
    try:
        chunks = []
        while not radio.done.is_set():
            chunks += src.read(0.05)
        notices = src.notices()
    finally:
        src.close()
    assert [n.kind for n in notices].count("info") == 3            # each failed attempt said so
    assert src.stats.reconnects == 1 and radio.writes.count(b"\x65") == 2
    assert sum(len(c) for c in chunks) == len(truth(radio.meta)[1]) - 5 * len(radio.lost)


def test_full_queue_drops_and_counts_instead_of_blocking_the_radio():
    radio = Radio("progressor_grade4")
    src = open_replay(radio, queue_size=10)
    try:
        assert radio.done.wait(30)                 # nobody reads while the device streams
        chunks = []
        while got := src.read(0.0):
            chunks += got
    finally:
        src.close()
    delivered = sum(len(c) for c in chunks)
    assert delivered == 10 * radio.meta["per_notification"]
    assert src.stats.dropped == len(truth(radio.meta)[1]) - delivered
    assert src.overflows == len(radio.records) - 10


def test_decoder_bug_surfaces_in_read_not_lost_in_the_radio_thread(monkeypatch):
    radio = Radio("progressor_grade4")

    def broken(self, data):
        raise ZeroDivisionError("decoder bug")

    monkeypatch.setattr(bp.ProgressorProfile, "decode", broken)
    src = open_replay(radio)
    try:
        assert radio.done.wait(30)
        with pytest.raises(ZeroDivisionError):
            src.read(0.0)
    finally:
        src.close()


def test_spec_builds_a_ble_source():
    from firmware_bridge.sources import open_source
    src = open_source("ble:AA:BB:CC:DD:EE:FF")
    assert isinstance(src, BleSource) and src.target == "AA:BB:CC:DD:EE:FF"


def test_timeline_follows_a_drifting_device_clock_within_the_latency():
    rng = np.random.default_rng(7)
    for ppm in (-100.0, 100.0):                   # device clock fast, then slow, vs the host
        tl = bt.Timeline(clock_wrap_us=2 ** 32)
        n, k, rate = 48_000, 10, 80.0              # 10 minutes at 80 Hz, 10 samples a notification
        t_host_true = np.arange(n) / rate
        t_dev = np.round(t_host_true * (1 + ppm * 1e-6) * 1e6).astype(np.int64) + 2 ** 32 - 10 ** 6
        out = []
        for i in range(0, n, k):
            arrival = t_host_true[i + k - 1] + rng.uniform(0.008, 0.045)
            out.append(tl.place(bp.Batch("force", np.zeros(k), t_dev[i:i + k] % 2 ** 32), arrival).t_s)
        err = np.concatenate(out) - t_host_true
        assert np.all(np.diff(np.concatenate(out)) > 0)
        assert err.min() > -0.001 and err.max() < 0.045 + 0.001    # 60 ms of drift absorbed


def test_timeline_counts_sequence_gaps_and_time_gaps():
    tl = bt.Timeline()
    a = tl.place(bp.Batch("force", np.zeros(4), 1000 * np.arange(4), seq0=10), 0.01)
    b = tl.place(bp.Batch("force", np.zeros(4), 1000 * np.arange(7, 11), seq0=17), 0.02)
    assert (a.missing, b.missing, b.seq0) == (0, 3, 17) and b.gap_s[0] == a.t_s[-1]
    tl = bt.Timeline()                            # no sequence numbers: the device clock tells
    tl.place(bp.Batch("force", np.zeros(5), 12_500 * np.arange(5)), 0.1)
    c = tl.place(bp.Batch("force", np.zeros(5), 12_500 * np.arange(8, 13)), 0.2)
    assert (c.missing, c.seq0) == (3, 8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.binary(max_size=120), st.floats(0, 1e4)), max_size=30))
def test_progressor_garbage_still_gives_increasing_finite_times(notes):
    prof = bp.ProgressorProfile()
    tl = bt.Timeline(prof.clock_wrap_us, prof.seq_modulus)
    last = -np.inf
    for data, t_host in sorted(notes, key=lambda x: x[1]):
        for b in prof.decode(data):
            t_s = tl.place(b, t_host).t_s
            if not len(t_s):
                continue        # held back: a doubtful device time
            assert np.all(np.isfinite(t_s)) and t_s[0] > last and np.all(np.diff(t_s) > 0)
            last = t_s[-1]
