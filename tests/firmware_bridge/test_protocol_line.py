"""Line protocol codec: the forms hobby sketches print, headers, junk, fuzzing."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.protocol.line import LineDecoder


def test_line_protocol_forms():
    d = LineDecoder()
    assert d.feed(b"t_ms,force_n\r\n10,1.5\r\n2") == [(10.0, 1.5)]
    assert d.feed(b"0,2.5\nnot a number\n3.0\n") == [(20.0, 2.5), (None, 3.0)]
    assert d.bad_lines == 1
    assert d.feed(b"30\t4.5\n40 5.5\n50; 6.5\nnan\n1,2,3\n") == [(30.0, 4.5), (40.0, 5.5), (50.0, 6.5)]
    assert d.bad_lines == 3


def test_a_second_text_line_is_counted_not_skipped():
    d = LineDecoder()
    assert d.feed(b"HX711 ready\nforce\n1.0\n") == [(None, 1.0)]
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
