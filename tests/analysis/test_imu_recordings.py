"""IMU recordings as others make them: links that drop out, a recording started mid-set.

A BLE IMU loses a fraction of a second now and then, and a recording may start while the hand
is already oscillating. The analysis restarts after a gap; it used to start its integration
from the run's first sample, which set the band ringing millimetres deep for seconds, so the
next three to five cycles after every gap were lost.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth, write_imu_csv
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.simulator import Sim, mixed, technique

SC = GradingScheme(40, 120)


def recording(seed: int, rate_hz: float):
    sim = Sim(40, 120, seed=seed)
    technique("III", sim, SC, cycles=24, freq_hz=1.5)
    t, v = imu_signal(sim, rate_hz, seed=seed, jitter=0.3)
    return t, v, [w for w in imu_truth(sim) if w["type"] == "imu_cycle"]


def cut(t, v, truth, spans):
    """Leave ``spans`` out; the truth cycles that lie wholly outside them."""
    keep = np.ones(len(t), bool)
    for a, b in spans:
        keep &= ~((t > a) & (t < b))
    whole = [w for w in truth if not any(w["t_start"] < b and w["t_end"] > a for a, b in spans)]
    return t[keep], v[keep], whole


def run(t, v, chunk=9):
    p = ImuProcessor()
    ev = []
    for i in range(0, len(t), chunk):
        ev += p.feed(Chunk(t[i:i + chunk], v[i:i + chunk], stream="imu"))
    return [e.to_dict() for e in ev + p.finish()], p


def found(events, truth):
    cyc = [e for e in events if e["type"] == "imu_cycle"]
    return [w for w in truth if any(abs(c["t_crest"] - w["t_crest"]) < 0.25 for c in cyc)]


@pytest.mark.parametrize("seed, rate_hz", [(4, 100), (5, 500)])
def test_cycles_come_back_within_a_cycle_of_a_dropout(seed, rate_hz):
    t, v, truth = recording(seed, rate_hz)
    first = truth[0]["t_start"]
    spans = [(first + 4.0, first + 4.6), (first + 8.0, first + 10.0)]
    t, v, whole = cut(t, v, truth, spans)
    ev, _ = run(t, v)
    got = found(ev, whole)
    # every cycle wholly outside the gaps but the first of the set and the first after each gap
    assert len(got) >= len(whole) - 3, [w["t_crest"] for w in whole if w not in got]
    gaps = [e for e in ev if e["type"] == "gap"]
    assert [(round(g["t_start"], 1), round(g["t_end"], 1), g["stream"]) for g in gaps] == \
        [(round(a, 1), round(b, 1), "imu") for a, b in spans]


def test_a_recording_started_mid_set_finds_its_cycles_from_the_start():
    missed = starts = 0
    for seed in (1, 2, 3, 4):
        t0, v0, truth = recording(seed, 200)
        for k in (3, 8):                 # somewhere in a cycle
            t, v, whole = cut(t0, v0, truth, [(-1.0, truth[k]["t_crest"] + 0.1 * seed)])
            missed += len(whole) - len(found(run(t, v, chunk=50)[0], whole))
            starts += 1
    assert missed <= starts     # the first cycle of each, at most (it missed 2.6 a start)


def test_a_dropout_is_named_once_in_the_summary(tmp_path):
    t, v, truth = recording(4, 100)
    first = truth[0]["t_start"]
    t, v, _ = cut(t, v, truth, [(first + 4.0, first + 4.6), (first + 8.0, first + 10.0)])
    write_imu_csv(tmp_path / "x.imu.csv", t, v)
    ev = [e.to_dict() for e in analyze_input(load_input(tmp_path / "x.imu.csv"), SC)]
    warn = [w for w in ev[-1]["warnings"] if "IMU" in w]
    assert len(warn) == 1 and "stops 2 times" in warn[0] and "longest 2.0 s" in warn[0], warn
    t, v, _ = recording(4, 100)
    write_imu_csv(tmp_path / "y.imu.csv", t, v)
    ev = [e.to_dict() for e in analyze_input(load_input(tmp_path / "y.imu.csv"), SC)]
    assert ev[-1]["warnings"] == []


def test_an_imu_alone_timed_in_ms_says_so_in_one_line(tmp_path):
    t, v, _ = recording(4, 100)
    write_imu_csv(tmp_path / "ms.imu.csv", 1000.0 * t, v)
    ev = [e.to_dict() for e in analyze_input(load_input(tmp_path / "ms.imu.csv"), SC)]
    warn = ev[-1]["warnings"]
    assert len(warn) == 1 and "IMU times in ms?" in warn[0] and "10 s apart" in warn[0], warn
    assert len([e for e in ev if e["type"] == "gap"]) <= 1


def thrusts_and_a_set(seed: int) -> Sim:
    sim = Sim(40, 120, seed=seed)
    technique("V", sim, SC, preload_n=120, peak_n=500, ttp_ms=120)
    technique("V", sim, SC, preload_n=100, peak_n=380, ttp_ms=170, letup_n=25)
    technique("III", sim, SC, cycles=10, freq_hz=2.5)
    technique("V", sim, SC, preload_n=60, peak_n=200, ttp_ms=80)
    return sim


@pytest.mark.parametrize("rate_hz, jitter", [(50, 0.0), (50, 0.4), (100, 0.4)])
def test_thrusts_from_a_slow_imu_start_on_time(rate_hz, jitter):
    """At 50-100 Hz a thrust's acceleration peak is a sample or two, which the despiking cut
    down to its neighbours: at 50 Hz most thrusts were found 0.2-0.3 s late, on their release.
    (A 50 Hz sample may still miss a sharp peak; one of these nine is found late.)"""
    on_time = n = 0
    for seed in (0, 1, 2):
        sim = thrusts_and_a_set(seed)
        t, v = imu_signal(sim, rate_hz, seed=seed, jitter=jitter)
        th = [e for e in run(t, v)[0] if e["type"] == "thrust"]
        want = [w for w in imu_truth(sim) if w["type"] == "thrust"]
        n += len(want)
        on_time += sum(any(abs(e["t_onset"] - w["t_onset"]) < 0.04 for e in th) for w in want)
        assert len(th) == len(want)
    assert on_time >= n - 1


def test_lone_spikes_under_the_glitch_limit_are_still_taken_out():
    sim = thrusts_and_a_set(3)
    t, v = imu_signal(sim, 500, seed=3)
    clean, _ = run(t, v, chunk=100)
    v = v.copy()
    for k in np.linspace(0.1, 0.9, 9) * len(t):      # 1.5 g on an axis for one sample
        v[int(k), int(k) % 3] += 14.7
    spiked, _ = run(t, v, chunk=100)
    assert [e for e in spiked if e["type"] == "thrust"] == [e for e in clean if e["type"] == "thrust"]
    mm = [[round(e["displacement_mm"], 2) for e in x if e["type"] == "imu_cycle"] for x in (clean, spiked)]
    assert mm[0] == mm[1] and len(mm[0]) >= 8


@pytest.mark.parametrize("kind", ["I", "III"])
def test_a_calm_hands_gyroscope_in_degrees_per_second_is_named(kind, tmp_path):
    """°/s read as rad/s was named only when the rotation averaged over 1 rad/s; a steady hand's
    57 times too large rotation stayed under it, unnamed, while 5 of 15 III cycles were found,
    45 % too large (2 of 15 grade I)."""
    sim = Sim(40, 120, seed=3)
    technique(kind, sim, SC, cycles=15, freq_hz=1.5)
    t, v = imu_signal(sim, 200, seed=3)
    v[:, 3:] *= 0.3                                  # a steadier hand than the simulator's
    write_imu_csv(tmp_path / "rad.imu.csv", t, v)
    v[:, 3:] = np.degrees(v[:, 3:])
    write_imu_csv(tmp_path / "deg.imu.csv", t, v)
    for name, says in (("rad", []), ("deg", ["units in °/s? give rad/s, or name the columns gx_dps"])):
        ev = [e.to_dict() for e in analyze_input(load_input(tmp_path / f"{name}.imu.csv"), SC)]
        warn = ev[-1]["warnings"]
        assert len(warn) == len(says) and all(s in w for s, w in zip(says, warn)), warn


@pytest.mark.parametrize("mistake, says", [("gravity taken out", "as in a phone's linear acceleration?"),
                                           ("in mg", "units in mg or raw sensor counts?")])
def test_an_accelerometer_without_gravity_or_in_mg_is_named_for_what_it_likely_is(mistake, says, tmp_path):
    t, v, _ = recording(4, 100)
    if mistake == "gravity taken out":
        v[:, :3] -= v[:, :3].mean(axis=0)
    else:
        v[:, :3] *= 1000.0 / 9.80665
    write_imu_csv(tmp_path / "x.imu.csv", t, v)
    warn = analyze_input(load_input(tmp_path / "x.imu.csv"), SC)[-1].to_dict()["warnings"]
    assert len(warn) == 1 and says in warn[0] and "movement and thrusts from it are wrong" in warn[0], warn
    assert "e+" not in warn[0]


def test_a_long_slow_swing_in_the_movement_does_not_stop_the_analysis():
    """The cycle detector's exit from a slow swing read the swing's crest after it had left its
    history (4.5 s for the IMU's periods), and the analysis stopped on an IndexError."""
    sim = Sim(40, 120, seed=106)
    mixed(sim, SC)
    t, v = imu_signal(sim, 200, seed=6, jitter=0.3)
    ev, _ = run(t, v, chunk=50)       # (the IndexError came at 12 s in chunks of 2 to 200 samples)
    assert len([e for e in ev if e["type"] == "imu_cycle"]) >= 30


def test_a_sets_first_cycle_out_of_its_ramp_is_found():
    """The band-limited integration reads a set's first cycle low (the ramp's transient works
    against it), and a first cycle measured up to 1.8 times the band's reading was dropped at
    1.6: 45 of 117 first cycles were found in 30 recordings of four sets, now 52, no more
    spurious. These five recordings held seven of them."""
    found_first = spurious = 0
    for seed in (2, 10, 15, 23, 27):
        sim = Sim(40, 120, seed=seed)
        for kind in ("III", "IV+", "II", "III-"):
            technique(kind, sim, SC, cycles=6, freq_hz=1.0 + 0.05 * seed)
        t, v = imu_signal(sim, 500, seed=seed)
        cyc = [e for e in run(t, v, chunk=50)[0] if e["type"] == "imu_cycle"]
        truth = [w for w in imu_truth(sim) if w["type"] == "imu_cycle"]
        firsts = [w for i, w in enumerate(truth) if i == 0 or abs(truth[i - 1]["t_end"] - w["t_start"]) > 1e-3]
        found_first += len(found(cyc, firsts))
        spurious += len(cyc) - sum(any(abs(c["t_crest"] - w["t_crest"]) < 0.25 for w in truth) for c in cyc)
    assert found_first >= 6 and spurious <= 2      # 2 and 2 before

