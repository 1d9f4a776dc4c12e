"""The pty emulator speaks the firmware protocol: commands answered, as any client sees it."""

from __future__ import annotations

import time

import numpy as np
import pytest
import serial

from firmware_bridge.emulator import PtyEmulator, truth_end_s
from firmware_bridge.protocol import binary as b


def talk(port: serial.Serial, dec: b.BinaryDecoder, until, timeout_s: float = 5.0) -> list:
    got = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not until(got):
        got += dec.feed(port.read(port.in_waiting or 1))
    return got


def test_identify_start_stop_tare_and_set_rate_are_answered(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, speed=4, autostart=False)
    em.start()
    port = serial.Serial(str(tmp_path / "s.pty"), 115200, timeout=0.05)
    dec = b.BinaryDecoder()
    try:
        port.write(b.encode_command("identify"))
        got = talk(port, dec, lambda g: any(isinstance(m, b.Ack) for m in g))
        ident = next(m for m in got if isinstance(m, b.Identify))
        assert ident.rate_hz == 1000 and ident.name == "gradecoach emulator" and ident.calibration["r1_n"] == 40
        assert not any(isinstance(m, b.SampleBlock) for m in got)          # not streaming before start

        port.write(b.encode_command("start"))
        got = talk(port, dec, lambda g: sum(isinstance(m, b.SampleBlock) for m in g) >= 100)
        blocks = [m for m in got if isinstance(m, b.SampleBlock)]
        assert b.Ack("start", True) in got and {m.dt_us for m in blocks} == {1000}

        port.write(b.encode_command("tare"))
        got = talk(port, dec, lambda g: b.Ack("tare", True) in g)
        got += talk(port, dec, lambda g: sum(isinstance(m, b.SampleBlock) for m in g) >= 20)
        after = [m for m in got[got.index(b.Ack("tare", True)):] if isinstance(m, b.SampleBlock)]
        seq = np.concatenate([np.arange(m.seq, m.seq + len(m.force)) for m in after])
        _, y = em.signal(int(seq[-1]) + 1)
        assert em.tare_n > 0 and np.allclose(np.concatenate([m.force for m in after]), y[seq] - em.tare_n, atol=1e-4)

        port.write(b.encode_command("set_rate", 2000))
        got = talk(port, dec, lambda g: sum(isinstance(m, b.SampleBlock) and m.dt_us == 500 for m in g) >= 20)
        assert b.Ack("set_rate", True) in got
        port.write(b.encode_command("set_rate", 1e6))
        assert b.Ack("set_rate", False) in talk(port, dec, lambda g: b.Ack("set_rate", False) in g)

        port.write(b.encode_command("stop"))
        got = talk(port, dec, lambda g: b.Ack("stop", True) in g)
        got += talk(port, dec, lambda g: False, timeout_s=0.5)     # nothing may follow the acknowledgement
        assert not any(isinstance(m, b.SampleBlock) for m in got[got.index(b.Ack("stop", True)):])
    finally:
        port.close()
        em.stop()
    assert dec.crc_errors == 0 and [c.name for c in em.commands] == ["identify", "start", "tare", "set_rate",
                                                                    "set_rate", "stop"]


def test_the_emulated_stream_is_the_scenario_signal(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "hvla", 2000, speed=8)
    em.start()
    port = serial.Serial(str(tmp_path / "s.pty"), 115200, timeout=0.05)
    dec = b.BinaryDecoder()
    try:
        got = talk(port, dec, lambda g: sum(len(m.force) for m in g if isinstance(m, b.SampleBlock)) >= 20000)
    finally:
        port.close()
        em.stop()
    blocks = [m for m in got if isinstance(m, b.SampleBlock)]
    seq = np.concatenate([np.arange(m.seq, m.seq + len(m.force)) for m in blocks])
    assert (np.diff(seq) == 1).all()
    t, y = em.signal(int(seq[-1]) + 1)
    assert np.allclose(np.concatenate([m.force for m in blocks]), y[seq], atol=1e-4)
    t_us = np.concatenate([m.t_us + np.arange(len(m.force)) * m.dt_us for m in blocks])
    assert np.abs(t_us * 1e-6 - t[seq]).max() < 1e-6
    assert any(e["type"] == "thrust" for e in em.truth)


def test_rates_below_what_the_binary_protocol_carries(tmp_path):
    # dt_us is a u16: under ≈ 15.3 Hz a binary sensor cannot say how far apart its samples are
    with pytest.raises(ValueError, match="15.26"):
        PtyEmulator(tmp_path / "s.pty", "grade3", 10)
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, speed=4)
    em.start()
    port = serial.Serial(str(tmp_path / "s.pty"), 115200, timeout=0.05)
    dec = b.BinaryDecoder()
    try:
        port.write(b.encode_command("set_rate", 10))
        assert b.Ack("set_rate", False) in talk(port, dec, lambda g: b.Ack("set_rate", False) in g)
        port.write(b.encode_command("set_rate", 16))
        got = talk(port, dec, lambda g: any(isinstance(m, b.SampleBlock) and m.dt_us == 62500 for m in g))
        assert b.Ack("set_rate", True) in got
    finally:
        port.close()
        em.stop()
    assert em._thread is not None and not em._thread.is_alive()


def test_a_slow_line_protocol_sensor_streams(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 2, line=True, speed=50, per_frame=1)
    em.start()
    port = serial.Serial(str(tmp_path / "s.pty"), 115200, timeout=0.05)
    got = b""
    try:
        deadline = time.monotonic() + 5
        while got.count(b"\n") < 5 and time.monotonic() < deadline:
            got += port.read(port.in_waiting or 1)
    finally:
        port.close()
        em.stop()
    # (from whichever line the port read first: pyserial's open empties what waits)
    t_ms = [float(x.split(b",")[0]) for x in got.splitlines()[:5]]
    assert t_ms[0] % 500.0 == 0.0 and t_ms == [t_ms[0] + 500.0 * i for i in range(5)]


def test_a_rate_change_leaves_no_cycle_in_the_truth_that_it_cut_short(tmp_path):
    """The emulator goes on at the new rate with a fresh signal: a cycle it was sending when the
    rate changed was never finished, so a benchmark's truth must not count it."""
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, speed=20)
    em.start()
    port = serial.Serial(str(tmp_path / "s.pty"), 115200, timeout=0.05)
    dec = b.BinaryDecoder()
    try:
        # into its second cycle (the first is 3.3-3.94 s of device time)
        got = talk(port, dec, lambda g: any(isinstance(m, b.SampleBlock) and m.t_us > 4_300_000 for m in g))
        t_sent = max(m.t_us for m in got if isinstance(m, b.SampleBlock)) * 1e-6
        assert any(e["t_start"] < t_sent < e["t_end"] for e in em.truth if e["type"] == "cycle")
        port.write(b.encode_command("set_rate", 2000))
        # on until well past the broken-off cycle's end (the truth is trimmed to what was sent
        # when the emulator stops)
        got = talk(port, dec, lambda g: any(isinstance(m, b.SampleBlock) and m.dt_us == 500
                                            and m.t_us > 5_500_000 for m in g))
    finally:
        port.close()
        em.stop()
    t_change = next(m.t_us for m in got if isinstance(m, b.SampleBlock) and m.dt_us == 500) * 1e-6
    before = [e for e in em.truth if e.get("t_start", e.get("t_onset")) < t_change]
    assert before, "no cycle was sent before the rate changed"
    assert all(truth_end_s(e) <= t_change for e in before)
