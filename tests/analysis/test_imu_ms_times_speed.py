"""IMU: a recording whose times are in ms (every sample 1-2 "s" after the last, so each is a run of
its own after a dropout) is read at a cost per chunk, not per sample, with the same events and
warnings.

Each of its samples used to go through the whole analysis of a run (six filters, the cycle
detector): benchmarks/bench_imu.py --ms-times replayed its 8,763 samples in 3.39 s, 0.85 s now.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from analysis import cycles, imu
from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from analysis.errors import InputError
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, imu_truth, write_imu_csv
from firmware_bridge.replay import load_input
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)
SIM = Sim(40, 120, seed=3)
technique("III", SIM, SC, cycles=12, freq_hz=1.5)
T, V = imu_signal(SIM, 500, seed=3)
TRUTH = [w for w in imu_truth(SIM) if w["type"] == "imu_cycle"]
MS = slice(0, 1200)                 # (its first 2.4 s, times in ms: 1200 runs of one sample)


def feed(t, v, sizes=(), **settings_):
    """Events (as dicts) and the summary's warnings of ``t``, ``v`` fed in chunks of ``sizes``
    (then the rest in one)."""
    p = ImuProcessor(warnings=[], **settings_)
    out, i = [], 0
    for n in [*sizes, len(t)]:
        out += p.feed(Chunk(t[i:i + n], v[i:i + n], stream="imu"))
        i += n
        if i >= len(t):
            break
    out += p.finish()
    return [e.to_dict() for e in out], p._warnings


def test_a_recording_timed_in_ms_says_so_with_its_one_dropout(tmp_path):
    # (its file is refused by the reader, naming t_ms; times so reaching the analysis are said)
    path = tmp_path / "ms.imu.csv"
    write_imu_csv(path, 1000.0 * T[MS], V[MS])
    with pytest.raises(InputError, match="name the time column t_ms"):
        load_input(path)
    ev, warnings = feed(1000.0 * T[MS], V[MS], [50])
    assert [(e["type"], e["t_start"], e["t_end"]) for e in ev if e["type"] not in ("summary", "warning")] \
        == [("gap", 0.0, 2.0)]
    assert not [e for e in ev if e["type"] in ("cycle", "thrust")]
    assert warnings == ["IMU samples come 2 s apart on average, where an IMU gives 50–2000 a second "
                        "(IMU times in ms? give seconds): no movement could be measured"]


@pytest.mark.parametrize("gyro", ["rad/s", "°/s"])
def test_the_same_events_and_warnings_as_when_each_sample_is_analysed_as_it_comes(gyro):
    # (with a run's start held back for one sample at most, each sample goes through the whole
    # analysis as it comes, as every one did before: the units check's figures come out the same)
    v = V[MS].copy()
    if gyro == "°/s":
        v[:, 3:] = np.degrees(v[:, 3:])
    t = 1000.0 * T[MS]
    ev, warnings = feed(t, v, [7] * 40)
    assert (ev, warnings) == feed(t, v, [7] * 40, start_s=1e-6)
    assert any("rad/s" in w for w in warnings) == (gyro == "°/s")


def test_its_filters_run_once_a_chunk_and_no_cycle_is_looked_for(monkeypatch):
    calls = {"filters": 0, "cycle detector": 0}

    def counted(f, what):
        def g(*args, **kwargs):
            calls[what] += 1
            return f(*args, **kwargs)
        return g

    p = ImuProcessor(warnings=[])
    monkeypatch.setattr(signal, "sosfilt", counted(signal.sosfilt, "filters"))
    monkeypatch.setattr(signal, "lfilter", counted(signal.lfilter, "filters"))
    monkeypatch.setattr(imu, "sosfilt_zi", counted(imu.sosfilt_zi, "filters"))
    monkeypatch.setattr(cycles.CycleDetector, "feed", counted(cycles.CycleDetector.feed, "cycle detector"))
    t, v = 1000.0 * T[MS], V[MS]
    ev = [e for i in range(0, len(t), 100) for e in p.feed(Chunk(t[i:i + 100], v[i:i + 100], stream="imu"))]
    assert len(ev + p.finish()) == 1 and len(p._warnings) == 1
    # four for each of the 12 chunks and for the last sample, held back to the end (there were
    # eight for each of the 1200 samples, and the cycle detector's)
    assert calls == {"filters": 4 * 13, "cycle detector": 0}


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 300), min_size=1, max_size=12))
def test_chunking_does_not_change_what_it_says(sizes):
    assert feed(1000.0 * T[MS], V[MS], sizes) == feed(1000.0 * T[MS], V[MS])


def test_a_dropout_with_a_lone_sample_in_it_keeps_the_cycles_around_it():
    first = TRUTH[0]["t_start"]
    hole = (T > first + 3.0) & (T < first + 4.0)
    h = np.flatnonzero(hole)
    lone = h[len(h) // 2]                            # one sample left in the hole
    ev_gap, _ = feed(T[~hole], V[~hole], [9] * 200)
    keep = ~hole
    keep[lone] = True
    ev_lone, warnings = feed(T[keep], V[keep], [9] * 200)
    cyc = [e for e in ev_lone if e["type"] == "imu_cycle"]
    assert cyc == [e for e in ev_gap if e["type"] == "imu_cycle"]
    found = [w for w in TRUTH if any(abs(c["t_crest"] - w["t_crest"]) < 0.25 for c in cyc)]
    whole = [w for w in TRUTH if w["t_end"] < first + 3.0 or w["t_start"] > first + 4.0]
    assert len(found) >= len(whole) - 2
    # both dropouts are given, before the lone sample and after it, as the warning counts them
    gaps = [(e["t_start"], e["t_end"]) for e in ev_lone if e["type"] == "gap"]
    assert np.allclose(gaps, [(T[h[0] - 1], T[lone]), (T[lone], T[h[-1] + 1])])
    assert len(warnings) == 1 and "stops 2 times" in warnings[0]


@pytest.mark.parametrize("stray", [2, 3, 5])
def test_a_dropout_with_a_few_samples_left_in_it_gives_every_part_of_it(stray):
    """A link that drops out for two seconds but lets a few samples through: each part
    of the dropout is a gap, so together they cover it, as the warning counts them."""
    first = TRUTH[0]["t_start"]
    hole = (T > first + 2.0) & (T < first + 4.0)
    h = np.flatnonzero(hole)
    keep = ~hole
    keep[h[np.linspace(0, len(h) - 1, stray + 2).astype(int)[1:-1]]] = True   # spread out, over 0.25 s apart
    for sizes in ([], [9] * 300):
        ev, warnings = feed(T[keep], V[keep], sizes)
        gaps = [(e["t_start"], e["t_end"]) for e in ev if e["type"] == "gap"]
        assert len(gaps) == stray + 1
        assert np.isclose(gaps[0][0], T[h[0] - 1]) and np.isclose(gaps[-1][1], T[h[-1] + 1])
        assert all(np.isclose(b, c) for (_, b), (c, _) in zip(gaps, gaps[1:]))
        assert f"stops {stray + 1} times" in warnings[0]
