"""One of a thing is said as one: "1 line of raw ADC readings" (it said "1 lines"), "1 notification"
from ble_record and the BLE source, and alike for the serial source's and emulate's counts."""

from __future__ import annotations

from tests.conftest import gc


def test_one_raw_line_from_a_ble_sketch(tmp_path):
    p = tmp_path / "raw1.jsonl"
    p.write_text('{"meta": {"profile": "nus"}}\n'
                 '{"t_host_s": 0.1, "char": "6e400003-b5a3-f393-e0a9-e50e24dcca9e", "hex": "%s"}\n'
                 % b"Read 12345\n".hex())
    r = gc("replay", p)
    assert r.returncode == 2
    assert f"{p}: 1 notification but no samples: 1 line of raw ADC readings (line 1: 'Read 12345'), not forces" \
        in r.stderr


def test_one_raw_line_from_a_ble_source_says_one_notification():
    from firmware_bridge.ble_capture import play
    got = play({"profile": "nus"}, [(0.1, "6e400003-b5a3-f393-e0a9-e50e24dcca9e", b"Read 12345\n")], "x")
    assert got.silent.startswith("1 notification in ") and "1 line of raw ADC readings" in got.silent
