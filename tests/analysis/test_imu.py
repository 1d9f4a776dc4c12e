"""IMU: displacement per cycle, thrusts from acceleration, force–displacement loops.

Recordings come from firmware_bridge/imu_sim.py: a tilted sensor that rolls as the hand pushes,
drifts sideways, with offset, scale error, white noise and tremor, driven by the technique
simulator's own displacement, so the truth is the simulator's.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import Chunk
from analysis.events import event_from_dict
from analysis.imu import ImuCycleEvent, ImuProcessor, force_displacement_loop
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth, write_imu_csv
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import write_force_csv
from firmware_bridge.simulator import Noise, Sim, mixed, technique

SC = GradingScheme(40, 120)


def make(*kinds, seed=3, **kw):
    sim = Sim(40, 120, seed=seed)
    for k in kinds:
        technique(k, sim, SC, **kw)
    return sim


def feed(t, v, sizes=None, **settings_):
    p = ImuProcessor(**settings_)
    out = []
    i = 0
    for n in (sizes or []) + [len(t)]:
        out += p.feed(Chunk(t[i:i + n], v[i:i + n], stream="imu"))
        i += n
        if i >= len(t):
            break
    return [e.to_dict() for e in out + p.finish()]


def score(events, truth):
    """Relative amplitude and frequency errors of truth cycles found (crest within 0.25 s)."""
    cyc = [e for e in events if e["type"] == "imu_cycle"]
    d_err, f_err, missed = [], [], 0
    for w in (e for e in truth if e["type"] == "imu_cycle"):
        m = [c for c in cyc if abs(c["t_crest"] - w["t_crest"]) < 0.25]
        if not m:
            missed += 1
            continue
        d_err.append(abs(m[0]["displacement_mm"] / w["displacement_mm"] - 1))
        f_err.append(abs(m[0]["freq_hz"] / w["freq_hz"] - 1))
    return np.array(d_err), np.array(f_err), missed


# a III+ set and a thrust, with BLE-like jittered timestamps: the chunking fixture
SIM_CT = make("III+", "V", cycles=6, freq_hz=1.5, preload_n=120, peak_n=450, ttp_ms=120)
T_CT, V_CT = imu_signal(SIM_CT, 400, seed=1, jitter=0.3)
WHOLE_CT = feed(T_CT, V_CT)


def _order(evs):
    return sorted(evs, key=lambda e: (e["t_detect_s"], e["type"], repr(e)))


def test_chunking_fixture_has_cycles_and_a_thrust():
    kinds = [e["type"] for e in WHOLE_CT]
    assert kinds.count("imu_cycle") >= 4 and kinds.count("thrust") == 1


@settings(max_examples=12, deadline=None)
@given(st.lists(st.integers(1, 700), min_size=1, max_size=25))
def test_imu_chunking_does_not_change_events(sizes):
    assert _order(feed(T_CT, V_CT, sizes)) == _order(WHOLE_CT)


@pytest.fixture(scope="module")
def mixed_runs():
    """Two recordings of every grade and thrusts, sampled at 1 kHz."""
    runs = []
    for seed in (11, 12):
        sim = Sim(40, 120, seed=seed)
        mixed(sim, SC)
        t, v = imu_signal(sim, 1000, seed=seed)
        runs.append((feed(t, v), imu_truth(sim)))
    return runs


def test_displacement_amplitude_and_frequency_match_the_hand(mixed_runs):
    d_all, f_all, missed, n = [], [], 0, 0
    for ev, truth in mixed_runs:
        # grade I cycles under 0.4 mm are below the accelerometer's noise (docs/imu.md)
        big = [w for w in truth if w["type"] != "imu_cycle" or w["displacement_mm"] >= 0.5]
        d, f, m = score(ev, big)
        d_all += list(d)
        f_all += list(f)
        missed += m
        n += sum(w["type"] == "imu_cycle" for w in big)
    assert missed <= 0.2 * n
    assert np.median(d_all) < 0.15 and np.percentile(d_all, 75) < 0.25
    assert np.median(f_all) < 0.05


def test_events_serialise_and_load_back(mixed_runs):
    ev, _ = mixed_runs[0]
    c = next(e for e in ev if e["type"] == "imu_cycle")
    back = event_from_dict(c)
    assert isinstance(back, ImuCycleEvent) and back.to_dict() == c
    assert set(c) == {"type", "t_start", "t_end", "t_crest", "displacement_mm", "freq_hz", "t_detect_s"}
    assert c["t_start"] < c["t_crest"] < c["t_end"] <= c["t_detect_s"]


@pytest.mark.parametrize("rate, jitter", [(100, 0.0), (250, 0.4), (2000, 0.2)])
def test_irregular_and_low_or_high_rates(rate, jitter):
    sim = make("III", "IV", cycles=8, freq_hz=1.2, seed=8)
    t, v = imu_signal(sim, rate, seed=4, jitter=jitter)
    d, f, missed = score(feed(t, v), imu_truth(sim))
    assert missed <= 3 and np.median(d) < 0.15 and np.median(f) < 0.05


def test_thrusts_from_acceleration():
    sim = make("V", "V", "V", seed=5, preload_n=120, peak_n=500, ttp_ms=120)
    technique("V", sim, SC, preload_n=100, peak_n=380, ttp_ms=170, letup_n=25)
    t, v = imu_signal(sim, 500, seed=2)
    th = [e for e in feed(t, v) if e["type"] == "thrust"]
    want = [e for e in imu_truth(sim) if e["type"] == "thrust"]
    assert len(th) == len(want) == 4
    for e, w in zip(th, want):
        assert e["source"] == "imu" and abs(e["t_onset"] - w["t_onset"]) < 0.02
        # the deepest movement: at or before the force peak (stiffening tissue)
        assert -0.2 < e["t_peak"] - w["t_peak"] < 0.02 and 0 <= e["t_detect_s"] - e["t_peak"] < 0.6
        # acceleration cannot weigh: force fields are null
        assert e["peak_n"] is None and e["preload_n"] is None and e["rate_n_per_s"] is None
    assert not [e for e in feed(t, v) if e["type"] == "imu_cycle"]


@pytest.mark.parametrize("kind, freq", [("III++", 3.0), ("III", 2.5), ("II", 2.0), ("IV+", 3.5)])
def test_no_thrust_in_a_mobilisation_set_even_a_fast_large_one(kind, freq):
    sim = make(kind, kind, cycles=15, freq_hz=freq, seed=21)
    t, v = imu_signal(sim, 500, seed=7)
    ev = feed(t, v)
    assert not [e for e in ev if e["type"] == "thrust"]
    assert len([e for e in ev if e["type"] == "imu_cycle"]) >= 20


def test_loop_helper_pairs_displacement_and_force():
    t = np.linspace(0, 1, 101)
    loop = force_displacement_loop(t, 10 * t, t, 2 * t, 0.0, 1.0, n_points=5)
    assert loop == [[0.0, 0.0], [0.5, 2.5], [1.0, 5.0], [1.5, 7.5], [2.0, 10.0]]
    # a trace that does not cover the cycle gives no loop rather than a made-up one
    assert force_displacement_loop(t, 10 * t, t[50:], 2 * t[50:], 0.0, 1.0) == []


def test_displacement_history_is_bounded():
    p = ImuProcessor(history_s=5.0)
    p.feed(Chunk(T_CT, V_CT, stream="imu"))
    td, d = p.displacement(T_CT[-1] - 3.0, T_CT[-1] - 1.0)
    assert len(d) == pytest.approx(2.0 * p.fs, abs=3) and np.isfinite(d).all()
    assert len(p.displacement(1.0, 2.0)[1]) == 0          # long gone
    assert p.vert.capacity == p.disp.capacity == int(5.0 * p.fs)


def test_unknown_setting_is_named():
    with pytest.raises(ValueError, match="hp_hz"):
        ImuProcessor(hp_hertz=1.0)


def _interleave(a, t, y, ti, vi, step=700):
    ev = []
    for i in range(0, len(t), step):       # as a live source would deliver both streams
        ev += a.feed(Chunk(t[i:i + step], y[i:i + step]))
        m = (ti >= (t[i - 1] if i else -1)) & (ti < t[min(i + step - 1, len(t) - 1)])
        ev += a.feed(Chunk(ti[m], vi[m], stream="imu"))
    return ev + a.finish()


def test_force_and_imu_together_give_each_cycle_its_movement_diagram():
    sim = make("III+", "IV", cycles=8, freq_hz=1.5, seed=9)
    t, y = sim.sample(1000, Noise())
    ti, vi = imu_signal(sim, 500, seed=1)
    ev = _interleave(Analyzer(SC, streams=("force", "imu")), t, y, ti, vi)
    cyc = [e for e in ev if e.TYPE == "cycle"]
    truth = [c for c in sim.truth() if c["type"] == "cycle"]
    assert len(cyc) >= 14
    errs, rising = [], []
    for c in cyc:
        assert c.loop and len(c.loop) == 64
        d, f = np.array(c.loop).T
        assert max(f) > c.crest_n - 5 and min(f) < c.trough_n + 10
        # the movement diagram rises: more force, deeper into the tissue (a first or last
        # cycle that the force segmentation stretched over a ramp may not)
        rising.append(np.corrcoef(d, f)[0, 1] > 0.9)
        w = min(truth, key=lambda x: abs(x["t_crest"] - c.t_crest))
        errs.append(abs(c.displacement_mm / w["displacement_mm"] - 1))
    assert np.mean(rising) >= 0.8
    assert np.median(errs) < 0.15


def test_replay_of_a_force_csv_with_its_imu_beside_it(tmp_path):
    sim = make("III", cycles=10, freq_hz=1.5, seed=4)
    t, y = sim.sample(500, Noise())
    write_force_csv(tmp_path / "set.csv", t, y)
    ti, vi = imu_signal(sim, 200, seed=3, jitter=0.2)
    write_imu_csv(tmp_path / "set.imu.csv", ti, vi)
    inp = load_input(tmp_path / "set.csv")
    assert inp.imu is not None and inp.imu.values.shape[1] == 6
    ev = [e.to_dict() for e in analyze_input(inp, GradingScheme(40, 120))]
    imu_cyc = [e for e in ev if e["type"] == "imu_cycle"]
    cyc = [e for e in ev if e["type"] == "cycle"]
    assert len(imu_cyc) >= 8 and len(cyc) >= 8
    assert all(c["loop"] and c["displacement_mm"] > 0.5 for c in cyc)
    assert ev[-1]["type"] == "summary"


def _replay(tmp_path, name, t, y, ti, vi):
    write_force_csv(tmp_path / f"{name}.csv", t, y)
    write_imu_csv(tmp_path / f"{name}.imu.csv", ti, vi)
    return [e.to_dict() for e in analyze_input(load_input(tmp_path / f"{name}.csv"), GradingScheme(40, 120))]


@pytest.fixture(scope="module")
def set_of_20(tmp_path_factory):
    """A III set of 20 cycles with its IMU at 500 Hz, and its events as replayed."""
    sim = make("III", cycles=20, freq_hz=1.5, seed=6)
    t, y = sim.sample(500, Noise())
    ti, vi = imu_signal(sim, 500, seed=2)
    return t, y, ti, vi, _replay(tmp_path_factory.mktemp("clean"), "clean", t, y, ti, vi)


@pytest.mark.parametrize("glitch", ["saturated", "absurd"])
def test_a_few_glitched_imu_samples_are_left_out_and_counted(glitch, set_of_20, tmp_path):
    t, y, ti, vi, clean = set_of_20
    bad = vi.copy()
    k = len(ti) // 2
    if glitch == "saturated":              # a 16 g / 2000 °/s sensor pinned for two samples
        bad[k:k + 2, :3], bad[k:k + 2, 3:] = 156.9, 34.9
    else:
        bad[k:k + 2] = 1e30
    ev = _replay(tmp_path, "g", t, y, ti, bad)
    assert not [e for e in ev if e["type"] == "thrust"]
    for kind in ("cycle", "imu_cycle"):
        a, b = ([e for e in x if e["type"] == kind] for x in (clean, ev))
        assert len(a) == len(b) >= 15
        assert np.allclose([e.get("displacement_mm") for e in a], [e.get("displacement_mm") for e in b], atol=0.05)
    warn = [w for w in ev[-1]["warnings"] if "glitch" in w]
    assert len(warn) == 1 and warn[0].startswith("2 IMU samples")
    assert not [w for w in clean[-1]["warnings"] if "IMU" in w]


@pytest.mark.parametrize("mistake, says", [("acceleration in g", "units in g?"), ("rotation in °/s", "units in °/s?"),
                                           ("times in ms", "name the time column t_ms")])
def test_an_imu_recorded_in_other_units_is_named_once_in_the_summary(mistake, says, set_of_20, tmp_path):
    t, y, ti, vi, clean = set_of_20
    ti, vi = ti.copy(), vi.copy()
    if mistake == "acceleration in g":
        vi[:, :3] /= 9.80665
    elif mistake == "rotation in °/s":
        vi[:, 3:] = np.degrees(vi[:, 3:])
    else:
        ti *= 1000.0
    warn = [w for w in _replay(tmp_path, "u", t, y, ti, vi)[-1]["warnings"] if "IMU" in w]
    assert len(warn) == 1 and says in warn[0], warn
    assert not [w for w in clean[-1]["warnings"] if "IMU" in w]


def test_simulate_names_the_imu_files_it_writes_and_takes_only_rates_the_analysis_takes(tmp_path, capsys):
    from ui.cli import main

    assert main(["simulate", "--cycles", "3", "--imu", "49", "-o", str(tmp_path / "low.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--imu 49" in err and "50" in err and not any(tmp_path.iterdir())
    assert main(["simulate", "--cycles", "3", "--imu", "50", "-o", str(tmp_path / "x.csv")]) == 0
    said = capsys.readouterr().out
    for name in ("x.csv", "x.expected.jsonl", "x.imu.csv", "x.imu-expected.jsonl"):
        assert (tmp_path / name).exists() and name in said
