"""Line protocol codec: the forms hobby sketches print, headers, junk, fuzzing.

The load-cell libraries' example sketches' own lines are in test_line_sketches.py; here they are
cut in random pieces and wrapped in random bytes."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from firmware_bridge.protocol.line import RAW_COUNT_MIN, LineDecoder

KG_N, LBF_N = 9.80665, 4.4482216152605
# lines the stock HX711/NAU7802 example sketches print, and the force each gives (None: no row)
SKETCH_LINES = [
    (b"HX711 Demo", None), (b"Readings:", None), (b"read: \t\t-145876", None), (b"Read 12345", None),
    (b"one reading:\t12.3\t| average:\t12.29012", 12.3), (b"Reading: 1.2 lbs", 1.2 * LBF_N),
    (b"Load_cell output val: 12.34", 12.34), (b"UNITS: 12.50", 12.5), (b"Force: 12.3 N", 12.3),
    (b"weight = 1.23 kg", 1.23 * KG_N), (b"Weight: 496.00 g", 0.496 * KG_N), (b"7.5", 7.5),
]


def test_line_protocol_forms():
    d = LineDecoder()
    assert d.feed(b"t_ms,force_n\r\n10,1.5\r\n2") == [(10.0, 1.5)]
    assert d.feed(b"0,2.5\nnot a number\n3.0\n") == [(20.0, 2.5), (None, 3.0)]
    assert d.bad_lines == 1
    assert d.feed(b"30\t4.5\n40 5.5\n50; 6.5\nnan\n1,2,3\n") == [(30.0, 4.5), (40.0, 5.5), (50.0, 6.5)]
    assert d.bad_lines == 3


def test_text_lines_before_data_are_skipped_after_it_counted():
    d = LineDecoder()
    assert d.feed(b"HX711 ready\nTare done...\nforce\n1.0\n") == [(None, 1.0)]
    assert d.bad_lines == 0
    assert d.feed(b"Tare done...\n2.0\n") == [(None, 2.0)]
    assert d.bad_lines == 1


def test_endless_line_is_dropped():
    d = LineDecoder()
    assert d.feed(b"1" * 300) == []
    assert d.bad_lines == 1
    assert d.feed(b"\n2.0\n") == [(None, 2.0)]


def test_over_long_line_is_dropped_whole_even_if_it_ends_in_the_next_piece():
    d = LineDecoder()
    assert d.feed(b"1.0\n" + b"1" * 150) == [(None, 1.0)]
    assert d.feed(b"1" * 150 + b"\n2.0\n") == [(None, 2.0)]      # not 1e299
    assert d.bad_lines == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=257, max_size=700).map(lambda b: b.replace(b"\n", b"7")),
       st.lists(st.integers(1, 40), max_size=40))
def test_over_long_line_in_any_pieces_counts_once_and_decoding_resumes(long, cuts):
    text = b"5.0\n" + long + b"\n6.0\n"
    d = LineDecoder()
    got, i = [], 0
    for c in cuts + [len(text)]:
        got += d.feed(text[i:i + c])
        i += c
    assert got == [(None, 5.0), (None, 6.0)] and d.bad_lines == 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.lists(st.integers(1, 40), max_size=20))
def test_line_decoder_survives_any_bytes(data, cuts):
    d = LineDecoder()
    i = 0
    for c in cuts + [len(data)]:
        for t, f in d.feed(data[i:i + c]):
            assert np.isfinite(f) and (t is None or np.isfinite(t))
        i += c
    assert d.feed(b"\n12.5\n")[-1] == (None, 12.5)   # the leftover partial line ends first


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10 ** 9), st.floats(-1e4, 1e4)), min_size=1, max_size=50),
       st.lists(st.integers(1, 30), max_size=30))
def test_rows_come_back_whatever_the_cutting(rows, cuts):
    text = "".join(f"{t},{f!r}\r\n" for t, f in rows).encode()
    d = LineDecoder()
    got, i = [], 0
    for c in cuts + [len(text)]:
        got += d.feed(text[i:i + c])
        i += c
    assert got == [(float(t), f) for t, f in rows] and d.bad_lines == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SKETCH_LINES), min_size=1, max_size=40), st.sampled_from([b"\n", b"\r\n"]),
       st.lists(st.integers(1, 30), max_size=40))
def test_sketch_lines_give_the_same_forces_however_cut(lines, eol, cuts):
    text = b"".join(line + eol for line, _ in lines)
    d = LineDecoder()
    got, i = [], 0
    for c in cuts + [len(text)]:
        got += d.feed(text[i:i + c])
        i += c
    want = [f for _, f in lines if f is not None]
    assert [t for t, _ in got] == [None] * len(want)
    assert [f for _, f in got] == want
    raw = [line.lower().startswith(b"read") and not line.startswith(b"Reading") for line, _ in lines]
    first = next((k for k, (_, f) in enumerate(lines) if f is not None), len(lines))
    assert d.raw_lines == sum(raw)
    # banners before the first force are skipped; text after it is a bad line, as before
    assert d.bad_lines == sum(f is None and not r for (_, f), r in zip(lines[first:], raw[first:]))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.lists(st.sampled_from(SKETCH_LINES), min_size=1, max_size=10),
       st.binary(max_size=300), st.lists(st.integers(1, 40), max_size=30))
def test_sketch_lines_among_any_bytes_never_raise_and_read_on(junk, lines, junk2, cuts):
    text = junk + b"\n" + b"".join(line + b"\r\n" for line, _ in lines) + junk2
    d = LineDecoder()
    got, i = [], 0
    for c in cuts + [len(text)]:
        rows = d.feed(text[i:i + c])
        for t, f in rows:
            assert np.isfinite(f) and (t is None or np.isfinite(t))
        got += rows
        i += c
    # after the junk's line ends, every sketch line reads as it would alone
    tail = [f for _, f in lines if f is not None]
    if tail and b"\n" not in junk2 and len(junk2) <= 256:
        assert [f for _, f in got][-len(tail):] == tail
    assert d.feed(b"\nReading: 2 kg\n")[-1] == (None, 2 * KG_N)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["Reading: ", "Force: ", "weight = ", "Load cell 1: ", "UNITS: ", "one reading:\t",
                        "Load_cell output val: ", "HX711: "]),
       st.floats(-1e5, 1e5), st.integers(0, 5),
       st.sampled_from([("", 1.0), (" N", 1.0), ("N", 1.0), (" kg", KG_N), (" g", KG_N / 1000),
                        (" grams", KG_N / 1000), (" lbs", LBF_N), (" lb", LBF_N), (" units", 1.0)]),
       st.sampled_from(["", "\t| average:\t3.5", " calibration_factor: -7050.00"]))
def test_a_labelled_value_is_its_number_in_newtons(label, value, decimals, unit, rest):
    printed = f"{value:.{decimals}f}"                   # as Serial.print(value, decimals)
    assume(unit[0] or decimals or abs(float(printed)) < RAW_COUNT_MIN)   # else an ADC's count (test_line_sketches)
    d = LineDecoder()
    [(t, f)] = d.feed(f"{label}{printed}{unit[0]}{rest}\r\n".encode())
    assert t is None and f == float(printed) * unit[1] and d.bad_lines == 0
