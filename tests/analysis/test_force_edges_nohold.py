"""A thrust straight out of a ramp or an oscillation held no preload: it is reported with the
force it started from and its own onset, no let-up, and a warning, not with a preload made up
from the moving force before it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from analysis.chunk import Chunk
from analysis.force import ForceProcessor
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme

FS = 1000


def _cos(a: float, b: float, s: float) -> np.ndarray:
    n = int(s * FS)
    return a + (b - a) * (1 - np.cos(np.pi * np.arange(1, n + 1) / n)) / 2


def _thrust(before: np.ndarray, peak_n: float = 500.0, ttp_ms: float = 120.0, seed: int = 0):
    """Rest, ``before`` (ending where the thrust starts), a 120 ms rise to ``peak_n``, release.
    Returns (t, y, onset time, onset force)."""
    u = np.arange(1, int(ttp_ms) + 1) / ttp_ms
    start = float(before[-1])
    rise = start + (peak_n - start) * special.betainc(1.5, 2.5, u)
    rest = np.full(1500, 1.0)
    y = np.concatenate([rest, before, rise, _cos(peak_n, 60, 0.15), np.full(300, 60.0), _cos(60, 1, 0.5),
                        np.full(1500, 1.0)])
    y = y + np.random.default_rng(seed).normal(0, 0.3, len(y))
    return np.arange(len(y)) / FS, y, (len(rest) + len(before)) / FS, start


def _osc(end_phase: float) -> np.ndarray:
    """A ramp to 60 N and 1.5 Hz oscillations 60-110 N, cut at ``end_phase`` (0: trough)."""
    t = np.arange(0, 3.0 + end_phase / (2 * np.pi * 1.5), 1 / FS)
    return np.concatenate([_cos(1, 60, 0.8), 85 - 25 * np.cos(2 * np.pi * 1.5 * t)])


CASES = {
    "linear ramp": np.linspace(1, 100, FS, endpoint=False),
    "eased ramp": _cos(1, 100, 0.8),
    # as fast as the trigger: the thrust's lowest force in reach lay on the ramp, and it was lost
    "fast linear ramp (300 N/s)": np.linspace(1, 100, 330, endpoint=False),
    "fast eased ramp (300 N/s)": _cos(1, 100, 0.33),
    "fast linear ramp (600 N/s)": np.linspace(1, 100, 165, endpoint=False),
    "oscillation, on the rise": _osc(np.pi / 2),
    "oscillation, at a crest": _osc(np.pi),
    "oscillation, at a trough": _osc(2 * np.pi),
}


def analyse(t, y, sizes=None):
    p = ForceProcessor(GradingScheme(40.0, 120.0))
    ev = []
    i = 0
    for n in (sizes or []):
        ev += p.feed_arrays(t[i:i + n], y[i:i + n])
        i += n
    ev += p.feed_arrays(t[i:], y[i:]) + p.finish()
    return [e.to_dict() for e in ev], p.notes()


@pytest.mark.parametrize("name", list(CASES))
def test_a_thrust_out_of_a_moving_force_has_no_made_up_preload(name):
    t, y, t_onset, f_onset = _thrust(CASES[name])
    ev, notes = analyse(t, y)
    (th,) = [e for e in ev if e["type"] == "thrust"]
    assert th["preload_n"] == pytest.approx(f_onset, abs=3.0)
    assert th["t_onset"] == pytest.approx(t_onset, abs=0.006)
    assert th["time_to_peak_ms"] == pytest.approx(120.0, abs=6.0)
    assert not th["letup"] and th["letup_n"] == 0.0
    (said,) = notes
    assert said.startswith("thrust 1 at ") and "no preload held" in said
    assert f"its preload is the {th['preload_n']:.0f} N it started from" in said


@pytest.mark.parametrize("rate_n_per_s", [250, 300, 600])
def test_a_smaller_thrust_out_of_a_fast_ramp_is_reported(rate_n_per_s):
    """100 N to 250 N: the ramp before it spread more than a fifth of the thrust, which is
    what a thrust out of an oscillation is told by, and the thrust was lost."""
    ramp = np.linspace(1, 100, int(99 / rate_n_per_s * FS), endpoint=False)
    t, y, t_onset, f_onset = _thrust(ramp, peak_n=250.0)
    ev, notes = analyse(t, y)
    (th,) = [e for e in ev if e["type"] == "thrust"]
    assert [e for e in ev if e["type"] == "cycle"] == []
    assert th["t_onset"] == pytest.approx(t_onset, abs=0.006)
    assert th["preload_n"] == pytest.approx(f_onset, abs=3.0)
    assert th["peak_n"] == pytest.approx(250.0, abs=2.0)
    (said,) = notes
    assert "no preload held" in said


def test_cycles_rising_steeper_as_they_go_past_r2_are_no_thrusts():
    """1 Hz cycles whose crests pass R2 (a calibration set too low): the force's rate grows
    through each rise (a stiffening end of range) to under twice what it was; a thrust out of
    a ramp is at least 3.6 times as steep as the ramp."""
    from firmware_bridge.simulator import Noise, Sim, technique

    sim = Sim(40.0, 120.0, seed=8)
    technique("III++", sim, GradingScheme(40.0, 120.0), freq_hz=1.0, cycles=8, sets=2)
    t, y = sim.sample(1000.0, Noise())
    p = ForceProcessor(GradingScheme(30.0, 80.0))
    ev = p.feed_arrays(t, y) + p.finish()
    assert [e for e in ev if e.TYPE == "thrust"] == []
    assert sum(1 for e in ev if e.TYPE == "cycle" and e.beyond_r2) >= 12


def test_a_slow_push_well_past_r2_is_no_thrust():
    """A rise as steep as a fast ramp from rest to a high force, with no faster thrust on it."""
    y = np.concatenate([np.full(1500, 1.0), _cos(1, 400, 1.2), np.full(500, 400.0), _cos(400, 1, 1.0),
                        np.full(1500, 1.0)]) + np.random.default_rng(0).normal(0, 0.3, 5700)
    ev, notes = analyse(np.arange(len(y)) / FS, y)
    assert [e for e in ev if e["type"] == "thrust"] == [] and notes == []


def test_a_held_preload_is_measured_as_before_and_not_warned_about():
    t, y, t_onset, _ = _thrust(np.concatenate([_cos(1, 100, 0.8), np.full(800, 100.0)]))
    ev, notes = analyse(t, y)
    (th,) = [e for e in ev if e["type"] == "thrust"]
    assert th["preload_n"] == pytest.approx(100.0, abs=1.0) and notes == []


def test_it_is_named_in_the_summary_and_does_not_depend_on_chunking():
    for case in ("oscillation, at a crest", "fast eased ramp (300 N/s)"):
        _same_in_any_chunks(*_thrust(CASES[case])[:2])


def _same_in_any_chunks(t, y):
    whole = analyse(t, y)
    for sizes in ([1] * 2000 + [7] * 300, list(np.random.default_rng(1).integers(1, 800, 30))):
        assert analyse(t, y, sizes) == whole
    a = Analyzer(GradingScheme(40.0, 120.0))
    ev = a.feed(Chunk(t, y, 0, "force", float(FS))) + a.finish()
    assert [w for w in ev[-1].warnings if "no preload held" in w] == whole[1]
