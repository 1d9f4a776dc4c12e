"""An IMU thrust's peak is known once the hand has come back from its deepest point by three times
the wiggle of the held hand's movement before the onset (tremor and noise integrated twice), at
least 0.04 mm, instead of 3 % of the movement (at least 0.1 mm).

With a worn IMU and no force sensor a pop waits for that: in ``gradecoach simulate --grade V --sets 3
--imu 500 --audio 16000 --seed 6``, fed live in 10 ms chunks, one of its pops was given 61.9 ms after
it began; now all of them within 50 ms (45.7 ms at most).

Under strong tremor the hand seems to come back before its deepest point: on the simulated thrusts
below (0.6 m/s² of 8-12 Hz tremor) by 0.14 mm, 86 ms before it, where a fixed 0.1 mm decided that
peak early. The wiggle measured in the hold before it keeps the peak the deepest point of the
whole window.
"""

from __future__ import annotations


import pytest

from analysis.chunk import Chunk
from analysis.events import CavitationEvent, ThrustEvent
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth
from firmware_bridge.simulator import Sim, technique
from tests.analysis._imu_pop_recording import live, recording

SC = GradingScheme(40.0, 120.0)


@pytest.fixture(scope="module")
def rec(tmp_path_factory):
    return recording(tmp_path_factory.mktemp("imu_peak_known"), 6)


def test_pops_near_an_imu_s_thrust_are_given_within_50_ms(rec):
    ev = live(rec)
    pops = [(hi, e) for hi, e in ev if isinstance(e, CavitationEvent)]
    assert len(pops) == len(rec["pops"]) == 5
    for _, e in pops:                       # each tied to the thrust it was simulated for
        assert [k for t, k in rec["pops"] if abs(t - e.t) < 2e-3] == [e.thrust]
    late = [(round(e.t, 3), round(1e3 * (hi - e.t), 1)) for hi, e in pops if hi is None or hi - e.t > 0.050]
    assert late == []                       # (one 61.9 ms after it began, with 3 % of the movement)
    thrusts = {e.index: e for _, e in ev if isinstance(e, ThrustEvent)}
    for _, p in pops:                       # not before its thrust's peak
        assert thrusts[p.thrust].t_peak <= p.t_detect_s < thrusts[p.thrust].t_detect_s


def tremor_thrusts(**settings):
    """Three 205 ms thrusts (148 -> 693 N) worn with 0.6 m/s² of tremor at 500 Hz, fed in 10 ms chunks:
    [(onset, peak, moved, time known)] and the simulated [(onset, peak)]."""
    sim = Sim(40, 120, seed=508)
    technique("V", sim, SC, preload_n=148.0, peak_n=693.0, ttp_ms=205.0, sets=3)
    t, v = imu_signal(sim, 500.0, seed=8, tremor_mps2=0.6)
    p = ImuProcessor(**settings)
    ev = []
    for i in range(0, len(t), 5):
        ev += p.feed(Chunk(t[i:i + 5], v[i:i + 5], stream="imu"))
    ev += p.finish()
    got = [(e.t_onset, e.t_peak, e.displacement_mm, p.known_at.get(e.index)) for e in ev if e.TYPE == "thrust"]
    return got, [(w["t_onset"], w["t_peak"]) for w in imu_truth(sim) if w["type"] == "thrust"]


def test_under_strong_tremor_the_peak_known_is_the_deepest_of_the_whole_window():
    got, truth = tremor_thrusts()
    whole, _ = tremor_thrusts(peak_fall_mm=1e9)          # never known early: the window's deepest
    assert len(got) == len(truth) == 3
    for (t_a, t_pk, moved, known), (w_a, w_pk, w_moved, w_known) in zip(got, whole):
        assert (t_a, t_pk, moved) == (w_a, w_pk, w_moved) and w_known is None
        assert known is not None and t_pk < known < t_pk + 0.1    # known soon after its peak
    # a fixed 0.1 mm, without the hold's wiggle, took the hand's seeming return 86 ms before the
    # second thrust's deepest point for its peak
    fixed, _ = tremor_thrusts(peak_fall_noise=0.0, peak_fall_mm=0.1)
    assert fixed[1][1] < got[1][1] - 0.05
    assert abs(got[1][1] - truth[1][1]) < abs(fixed[1][1] - truth[1][1])
