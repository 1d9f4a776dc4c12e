"""Binary protocol codec: test vectors, round trips, resync after garbage, fuzzing."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.protocol import binary as b

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def doc_vectors() -> dict[str, str]:
    """``| name | `hex` |`` rows of docs/protocol.md's test-vector table."""
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| `([0-9a-f]+)` \|$", DOC.read_text(encoding="utf-8"), re.M)
    assert len(rows) >= 5, "docs/protocol.md lost its test vectors"
    return dict(rows)


def python_vectors() -> dict[str, bytes]:
    """The messages the documented vectors describe, encoded by the Python side."""
    return {
        "samples": b.encode_samples(7, 123456, 1000, [1.5, 2.5, 3.5]),
        "samples_imu": b.encode_samples(4294967295, 4294967000, 500, [-1.0], [[0.0, 0.0, 9.8, 0.1, -0.1, 0.0]]),
        "samples_raw": b.encode_samples(0, 0, 12500, [8388607.0, -8388608.0], raw_counts=True),
        "identify": b.encode_identify(b.Identify("gc-ref", "1.0.0", 1000.0, "N", {}, False)),
        "start": b.encode_command("start"),
        "set_rate": b.encode_command("set_rate", 2000.0),
        "ack_tare": b.encode_ack("tare"),
        "error": b.encode_error(1, "no ADC"),
    }


def test_documented_vectors_are_what_the_encoder_writes_and_the_decoder_reads():
    docs = doc_vectors()
    py = python_vectors()
    assert set(docs) == set(py)
    for name, hexed in docs.items():
        assert py[name].hex() == hexed, name
        assert len(b.BinaryDecoder().feed(bytes.fromhex(hexed))) == 1, name
    assert b.crc16(b"123456789") == 0x29B1      # CRC-16/CCITT-FALSE check value


def test_round_trip_of_every_message_type():
    imu = np.arange(12, dtype=float).reshape(2, 6)
    ident = b.Identify("gc-ref", "1.2.0", 1000.0, "counts", {"offset": -120.0, "n_per_count": 2.5e-4}, True)
    d = b.BinaryDecoder()
    msgs = d.feed(b.encode_identify(ident) + b.encode_samples(10, 5, 1000, [1.0, 2.0], imu)
                  + b.encode_command("set_rate", 500) + b.encode_ack("stop", ok=False) + b.encode_error(3, "IMU ✗"))
    assert msgs[0] == ident
    s = msgs[1]
    assert (s.seq, s.t_us, s.dt_us, s.raw_counts) == (10, 5, 1000, False)
    assert s.force.dtype == np.float64 and s.force.tolist() == [1.0, 2.0] and s.imu.tolist() == imu.tolist()
    assert msgs[2:] == [b.Command("set_rate", 500.0), b.Ack("stop", False), b.Error(3, "IMU ✗")]
    assert d.crc_errors == d.resyncs == d.seq_gaps == 0


def test_resync_after_garbage_crc_errors_and_gaps_are_counted():
    d = b.BinaryDecoder()
    good = [b.encode_samples(i * 4, i * 4000, 1000, np.full(4, float(i))) for i in range(6)]
    bad = bytearray(good[2])
    bad[5] ^= 0x40
    stream = b"\xff\xfe junk" + good[0] + good[1] + bytes(bad) + b"\x13\x37" + good[3][:9] + good[3] + good[5]
    msgs = [m for k in range(0, len(stream), 7) for m in d.feed(stream[k:k + 7])]
    assert [m.seq for m in msgs] == [0, 4, 12, 20]
    assert d.crc_errors == 1
    assert d.seq_gaps == 2 and d.dropped_samples == 8


def test_a_long_run_without_delimiters_is_dropped_and_the_next_frame_decodes():
    d = b.BinaryDecoder()
    assert d.feed(b"\x01" * (b.MAX_FRAME + 10)) == []
    assert d.resyncs == 1
    assert d.feed(b.encode_samples(3, 0, 1000, [5.0]))[0].seq == 3


def test_sequence_counter_wrap_is_not_a_gap():
    d = b.BinaryDecoder()
    d.feed(b.encode_samples(2 ** 32 - 2, 0, 1000, [1.0, 2.0]) + b.encode_samples(0, 2000, 1000, [3.0]))
    assert d.seq_gaps == 0 and d.dropped_samples == 0


def test_encoder_refuses_impossible_blocks():
    with pytest.raises(ValueError):
        b.encode_samples(0, 0, 1000, [])
    with pytest.raises(ValueError):
        b.encode_samples(0, 0, 1000, np.zeros(256))
    with pytest.raises(ValueError, match="known: identify"):
        b.encode_command("reboot")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.lists(st.integers(1, 64), max_size=20))
def test_binary_decoder_survives_any_bytes(data, cuts):
    d = b.BinaryDecoder()
    i = 0
    for c in cuts + [len(data)]:
        for m in d.feed(data[i:i + c]):
            assert isinstance(m, (b.SampleBlock, b.Identify, b.Command, b.Ack, b.Error))
        i += c
    assert len(d._buf) <= b.MAX_FRAME
    # and still decodes a good frame afterwards
    assert d.feed(b.encode_samples(1, 2, 3, [4.0]))[-1].force.tolist() == [4.0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1), st.integers(1, 65535),
                          st.lists(st.floats(-1e6, 1e6, width=32), min_size=1, max_size=36), st.booleans()),
                min_size=1, max_size=8),                   # 36 samples with IMU fill a 1024-byte payload
       st.binary(max_size=40), st.lists(st.integers(1, 50), max_size=30))
def test_any_blocks_survive_garbage_between_them_and_any_cutting(blocks, junk, cuts):
    frames = [b.encode_samples(s, t, dt, f, np.ones((len(f), 6)) if imu else None) for s, t, dt, f, imu in blocks]
    stream = junk + junk.join(frames)
    d = b.BinaryDecoder()
    got, i = [], 0
    for c in cuts + [len(stream)]:
        got += d.feed(stream[i:i + c])
        i += c
    samples = [m for m in got if isinstance(m, b.SampleBlock)]
    # the leading 0x00 of each frame ends whatever garbage came before it
    assert [(m.seq, m.t_us, m.dt_us, m.force.tolist()) for m in samples] == \
           [(s, t, dt, np.float32(f).astype(float).tolist()) for s, t, dt, f, _ in blocks]
