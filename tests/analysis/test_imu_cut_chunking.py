"""A join registered with ``ImuProcessor.cut_before`` (an IMU logger's clock that stepped back, the
rows between skipped: the times run on without a hole) is a gap as a dropout is, with no movement
cycle across it, and the events do not depend on how the samples were chunked (property test).
The analysis without it stitched the two moments of the hand's movement together."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.simulator import Sim, technique

SIM = Sim(40, 120, seed=5)
technique("III", SIM, GradingScheme(40, 120), cycles=10)
T, V = imu_signal(SIM, 100, seed=5)
# two moments of the set joined without a hole: the half second from row J on is left out
J, SKIP = len(T) // 2 + 7, 50
V = np.concatenate([V[:J], V[J + SKIP:]])
T = T[:len(V)]
T_CUT = float(T[J])


def run(sizes: list[int] | None) -> list[dict]:
    p = ImuProcessor()
    p.cut_before(T_CUT)
    out = []
    i = 0
    for n in sizes or []:
        out += p.feed(Chunk(T[i:i + n], V[i:i + n], stream="imu"))
        i += n
    out += p.feed(Chunk(T[i:], V[i:], stream="imu"))
    out += p.finish()
    return [e.to_dict() for e in out]


WHOLE = run(None)


def test_the_join_is_a_gap_with_no_cycle_across_it():
    gaps = [(e["t_start"], e["t_end"], e["stream"]) for e in WHOLE if e["type"] == "gap"]
    assert gaps == [(round(float(T[J - 1]), 6), round(T_CUT, 6), "imu")]
    cycles = [e for e in WHOLE if e["type"] == "imu_cycle"]
    assert len(cycles) >= 4
    assert not [c for c in cycles if c["t_start"] < T_CUT < c["t_end"]]


def test_the_join_is_not_told_as_the_data_stopping():
    """The join is no lost link: the line saying the IMU data stopped is not given for it (the
    reader that found it says why)."""
    warnings: list[str] = []
    p = ImuProcessor(warnings=warnings)
    p.cut_before(T_CUT)
    p.feed(Chunk(T, V, stream="imu"))
    p.finish()
    assert not [w for w in warnings if "stops" in w], warnings


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=8))
def test_any_chunking_gives_identical_events(sizes):
    assert run(sizes) == WHOLE


def test_chunks_ending_at_the_join_match_whole():
    assert run([J - 1, 1]) == WHOLE
    assert run([J, 1]) == WHOLE
    assert run([J + 1]) == WHOLE


def test_the_analyzer_forwards_a_join_of_the_imu():
    """``Analyzer.cut_before(t, stream="imu")``, registered before the IMU's processor exists or
    after, restarts the IMU's analysis there as ``ImuProcessor.cut_before`` does."""
    for early in (True, False):
        a = Analyzer(GradingScheme(40, 120), streams=() if early else ("imu",))
        a.cut_before(T_CUT, stream="imu")
        out = a.feed(Chunk(T, V, stream="imu")) + a.finish()
        gaps = [(e.t_start, e.t_end, e.stream) for e in out if e.TYPE == "gap"]
        assert gaps == [(float(T[J - 1]), T_CUT, "imu")], early
        assert not [e for e in out if e.TYPE == "imu_cycle" and e.t_start < T_CUT < e.t_end]
