"""A thrust's duration (onset until the force is back to half the thrust) is measured whenever
the force gets there within ``release_max_ms`` (95 ms) of the peak; the thrust event never
comes more than 100 ms after its peak.

The decision comes as the force falls to half of the rise the trigger saw, which can begin a
little above the measured onset (after a let-up, or on noise), or 90 ms after the peak; the
duration was then null although the force fell to half the measured rise a few milliseconds
later (thrust 2 of the demo recording, 52 of 192 simulated thrusts), and null for every thrust
released more slowly than 90 ms (31 of 192 simulated thrusts). The thrust is now emitted once
the force is back there, or 95 ms after the peak without a duration.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.events import ThrustEvent
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.simulator import Noise, Sim, technique

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _thrusts(t, y, rate_hz, step):
    a = Analyzer(GradingScheme(40.0, 120.0))
    out = []
    for i in range(0, len(t), step):
        out += a.feed(Chunk(t[i:i + step], y[i:i + step], i, "force", rate_hz))
    out += a.finish()
    return [e for e in out if isinstance(e, ThrustEvent)]


def _release_ms(tf, yf, onset, peak, level):
    """Onset until the clean force falls to ``level`` after the peak (ms)."""
    after = np.flatnonzero((tf > peak) & (yf <= level))
    return (tf[after[0]] - onset) * 1e3


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("letup_n", [0.0, 20.0])
def test_duration_is_measured_however_quick_the_release(seed, letup_n):
    scheme = GradingScheme(40.0, 120.0)
    sim = Sim(40.0, 120.0, seed=seed)
    technique("V", sim, scheme, preload_n=120.0, peak_n=450.0, ttp_ms=100.0, letup_n=letup_n, sets=3)
    t, y = sim.sample(1000.0, Noise())
    tf, yf, _ = sim.clean()
    found = _thrusts(t, y, 1000.0, 250)
    assert len(found) == 3
    for ev, truth in zip(found, sim.thrusts):
        onset_n = truth["preload_n"] - truth["letup_n"]
        expected = _release_ms(tf, yf, truth["t_onset"], truth["t_peak"], onset_n + 0.5 * (450.0 - onset_n))
        assert ev.duration_ms is not None
        assert ev.duration_ms == pytest.approx(expected, abs=12.0)


def test_demo_thrust_after_a_let_up_has_a_duration():
    events = analyze_input(load_input(FIXTURES / "demo_mixed.csv"), GradingScheme(40.0, 120.0))
    thrusts = [e for e in events if isinstance(e, ThrustEvent)]
    assert [e.letup for e in thrusts] == [False, True]
    assert all(e.duration_ms is not None for e in thrusts)
    assert 150.0 < thrusts[1].duration_ms < 300.0


def _one_thrust(release_s: float, hold_peak_s: float = 0.0):
    """Rest, a held 100 N preload, a 100 ms rise to 400 N, ``hold_peak_s`` there, a cosine
    release to 40 N over ``release_s``, rest."""
    fs = 1000

    def cos(a, b, s):
        n = int(round(s * fs))
        return a + (b - a) * (1 - np.cos(np.pi * np.arange(1, n + 1) / n)) / 2

    u = np.arange(1, 101) / 100
    from scipy import special
    y = np.concatenate([np.full(1000, 1.0), cos(1, 100, 0.6), np.full(800, 100.0),
                        100 + 300 * special.betainc(1.5, 2.5, u), np.full(int(hold_peak_s * fs), 400.0),
                        cos(400, 40, release_s), np.full(400, 40.0), cos(40, 1, 0.5), np.full(1000, 1.0)])
    y = y + np.random.default_rng(0).normal(0, 0.3, len(y))
    return np.arange(len(y)) / fs, y


@pytest.mark.parametrize("release_s", [0.15, 0.2])
def test_a_slow_release_has_its_duration_and_the_thrust_comes_soon_after_it(release_s):
    t, y = _one_thrust(release_s)
    whole = _thrusts(t, y, 1000.0, len(t))
    (ev,) = whole
    # the clean force is back to 250 N (half way from 100 N to 400 N) this far into the release
    back_s = release_s * np.arccos(1 - 2 * (400 - 250) / (400 - 40)) / np.pi
    assert ev.duration_ms == pytest.approx(100.0 + 1e3 * back_s, abs=5.0)
    assert ev.t_detect_s - ev.t_peak <= back_s + 0.005
    for step in (1, 37):
        assert [e.to_dict() for e in _thrusts(t, y, 1000.0, step)] == [e.to_dict() for e in whole]


@pytest.mark.parametrize("release_s", [0.25, 0.6])     # (just over the window, and far over it)
def test_a_release_slower_than_the_window_gives_the_thrust_within_100_ms_without_a_duration(release_s):
    t, y = _one_thrust(release_s)
    for step in (1, 100, len(t)):
        (ev,) = _thrusts(t, y, 1000.0, step)
        assert ev.duration_ms is None
        assert ev.peak_n == pytest.approx(400.0, abs=1.5)
        assert ev.t_detect_s - ev.t_peak <= 0.100


def test_a_force_held_at_its_peak_gives_the_thrust_without_a_duration_soon_after_it():
    t, y = _one_thrust(0.2, hold_peak_s=0.6)
    (ev,) = _thrusts(t, y, 1000.0, 100)
    assert ev.duration_ms is None
    assert ev.peak_n == pytest.approx(400.0, abs=1.5)
    assert ev.t_detect_s - ev.t_onset <= 0.1 + 0.6 + 0.09 + 0.005    # rise, held peak, decision


def test_a_recording_that_ends_during_the_release_keeps_its_thrust():
    t, y = _one_thrust(0.3)
    (ev,) = _thrusts(t, y, 1000.0, 100)
    end = int(round((ev.t_peak + 0.1) * 1000))         # 100 ms after the peak, the force still high
    for step in (100, 7):
        (cut,) = _thrusts(t[:end], y[:end], 1000.0, step)
        assert cut.duration_ms is None
        assert (cut.t_onset, cut.peak_n, cut.preload_n) == (ev.t_onset, ev.peak_n, ev.preload_n)
