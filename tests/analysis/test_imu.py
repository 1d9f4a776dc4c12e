"""IMU: displacement per cycle, thrusts from acceleration, force–displacement loops."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor, force_displacement_loop
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth
from firmware_bridge.simulator import Noise, Sim, technique

SC = GradingScheme(40, 120)


def make(kind="III", seed=3, **kw):
    sim = Sim(40, 120, seed=seed)
    technique(kind, sim, SC, **kw)
    return sim


SIM3 = make("III+", cycles=8, freq_hz=1.5)
T3, V3 = imu_signal(SIM3, 500, seed=1)


def feed(p, t, v, sizes=None):
    out = []
    if sizes is None:
        out += p.feed(Chunk(t, v, stream="imu"))
    else:
        i = 0
        for n in sizes + [len(t)]:
            out += p.feed(Chunk(t[i:i + n], v[i:i + n], stream="imu"))
            i += n
    return [e.to_dict() for e in out + p.finish()]


WHOLE = feed(ImuProcessor(), T3, V3)


def test_displacement_amplitude_and_frequency_per_cycle():
    truth = [e for e in imu_truth(SIM3) if e["type"] == "imu_cycle"]
    cyc = [e for e in WHOLE if e["type"] == "imu_cycle"]
    errs, ferr = [], []
    for w in truth:
        m = [c for c in cyc if abs(c["t_crest"] - w["t_crest"]) < 0.25]
        assert m, f"cycle at {w['t_crest']:.2f} s not found"
        errs.append(abs(m[0]["displacement_mm"] / w["displacement_mm"] - 1))
        ferr.append(abs(m[0]["freq_hz"] / w["freq_hz"] - 1))
    assert np.median(errs) < 0.2 and np.median(ferr) < 0.1


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 900), min_size=1, max_size=20))
def test_imu_chunking_does_not_change_events(sizes):
    assert feed(ImuProcessor(), T3, V3, sizes) == WHOLE


def test_thrusts_from_acceleration_and_none_in_a_mobilisation_set():
    assert not [e for e in WHOLE if e["type"] == "thrust"]
    sim = Sim(40, 120, seed=5)
    for _ in range(3):
        technique("V", sim, SC, preload_n=120, peak_n=500, ttp_ms=120)
    t, v = imu_signal(sim, 500, seed=2)
    th = [e for e in feed(ImuProcessor(), t, v) if e["type"] == "thrust"]
    want = [e["t_peak"] for e in imu_truth(sim) if e["type"] == "thrust"]
    assert len(th) == len(want) == 3
    for e, w in zip(th, want):
        assert e["source"] == "imu" and abs(e["t_peak"] - w) < 0.2 and e["peak_n"] is None


def test_loop_helper_pairs_displacement_and_force():
    t = np.linspace(0, 1, 101)
    loop = force_displacement_loop(t, 10 * t, t, 2 * t, 0.0, 1.0, n_points=5)
    assert loop == [[0.0, 0.0], [0.5, 2.5], [1.0, 5.0], [1.5, 7.5], [2.0, 10.0]]


def test_force_and_imu_together_give_each_cycle_its_movement_diagram():
    t, y = SIM3.sample(1000, Noise())
    a = Analyzer(SC, streams=("force", "imu"))
    ev = []
    for i in range(0, len(t), 700):       # interleave the streams as a live source would
        ev += a.feed(Chunk(t[i:i + 700], y[i:i + 700]))
        m = (T3 >= (t[i - 1] if i else -1)) & (T3 < t[min(i + 699, len(t) - 1)])
        ev += a.feed(Chunk(T3[m], V3[m], stream="imu"))
    ev += a.finish()
    cyc = [e for e in ev if e.TYPE == "cycle"]
    assert len(cyc) >= 7
    for c in cyc:
        assert c.loop and len(c.loop) == 64 and 1.0 < c.displacement_mm < 8.0
        forces = [p[1] for p in c.loop]
        assert max(forces) > c.crest_n - 5 and min(forces) < c.trough_n + 10
