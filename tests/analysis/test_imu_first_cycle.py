"""IMU: the first cycle of a set, right after the ramp in, is found and measured.

The band-limited displacement the cycles are detected on still rings from the ramp in during a
set's first cycle, so its troughs come out early; such a cycle is looked for once more, further
out. Recordings come from firmware_bridge/imu_sim.py (see tests/analysis/test_imu.py).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)

# one grade III set of five cycles at 1.6 Hz, worn at 500 Hz: its first cycle (2.15 mm) was missed
SIM = Sim(40, 120, seed=10)
technique("III", SIM, SC, cycles=5, freq_hz=1.5)
T, V = imu_signal(SIM, 500, seed=10)
TRUTH = [w for w in imu_truth(SIM) if w["type"] == "imu_cycle"]


def feed(sizes=()):
    """Events, each with the time of the last sample fed when it came out."""
    p = ImuProcessor()
    out, i = [], 0
    for n in list(sizes) + [len(T)]:
        if i >= len(T):
            break
        out += [(e.to_dict(), float(T[min(i + n, len(T)) - 1])) for e in p.feed(Chunk(T[i:i + n], V[i:i + n], stream="imu"))]
        i += n
    return out + [(e.to_dict(), float(T[-1])) for e in p.finish()]


WHOLE = feed()


def cycles(events):
    return [e for e, _ in events if e["type"] == "imu_cycle"]


def test_a_sets_first_cycle_is_found_and_measured():
    first = TRUTH[0]
    found = [c for c in cycles(WHOLE) if abs(c["t_crest"] - first["t_crest"]) < 0.25]
    assert len(found) == 1
    c = found[0]
    assert abs(c["displacement_mm"] / first["displacement_mm"] - 1) < 0.15
    assert abs(c["freq_hz"] / first["freq_hz"] - 1) < 0.1
    assert c["t_start"] < c["t_crest"] < c["t_end"] <= c["t_detect_s"]


def test_every_cycle_of_the_set_once_and_nothing_else():
    got = cycles(WHOLE)
    assert len(got) == len(TRUTH) == 5
    for w in TRUTH:
        assert sum(abs(c["t_crest"] - w["t_crest"]) < 0.25 for c in got) == 1


def test_no_event_comes_before_its_data():
    for e, t_fed in WHOLE:
        assert e["t_detect_s"] <= t_fed + 1e-9


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 600), min_size=1, max_size=20))
def test_chunking_does_not_change_the_first_cycle(sizes):
    key = lambda e: (e["t_detect_s"], e["type"], repr(e))  # noqa: E731
    got = feed(sizes)
    assert sorted((e for e, _ in got), key=key) == sorted((e for e, _ in WHOLE), key=key)
    for e, t_fed in got:
        assert e["t_detect_s"] <= t_fed + 1e-9
