"""A join registered with ``ForceProcessor.cut_before`` (a logger's clock that stepped back, the
rows between skipped: the times run on without a hole) is a gap as a dropout is, with no cycle
across it, and the events do not depend on how the samples were chunked (property test)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from tests.conftest import simulate

T, Y, _ = simulate("III+", rate=500, seed=3, cycles=8, freq_hz=2.0)
# two moments of the set joined without a hole: the half second from row J on is left out
J, SKIP = len(T) // 2, 250
Y = np.concatenate([Y[:J], Y[J + SKIP:]])
T = T[:len(Y)]
T_CUT = float(T[J])


def run(sizes: list[int] | None) -> list[dict]:
    p = ForceProcessor(GradingScheme(40, 120))
    p.cut_before(T_CUT)
    out = []
    i = 0
    for n in sizes or []:
        out += p.feed_arrays(T[i:i + n], Y[i:i + n])
        i += n
    out += p.feed_arrays(T[i:], Y[i:])
    out += p.finish()
    return [e.to_dict() for e in out]


WHOLE = run(None)


def test_the_join_is_a_gap_with_no_cycle_across_it():
    gaps = [(e["t_start"], e["t_end"]) for e in WHOLE if e["type"] == "gap"]
    assert gaps == [(round(float(T[J - 1]), 6), round(T_CUT, 6))]
    cycles = [e for e in WHOLE if e["type"] == "cycle"]
    assert len(cycles) >= 4
    assert not [c for c in cycles if c["t_start"] < T_CUT < c["t_end"]]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=700), min_size=1, max_size=12))
def test_any_chunking_gives_identical_events(sizes):
    assert run(sizes) == WHOLE


def test_chunks_ending_at_the_join_match_whole():
    assert run([J - 1, 1]) == WHOLE
    assert run([J, 1]) == WHOLE
    assert run([J + 1]) == WHOLE
