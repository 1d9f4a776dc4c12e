"""Slow sets: the fall from a crest is never taken for a trough held at the end of a set.

A trough is also confirmed when the force stays at its lowest for 0.3 s (the end of a set),
counted in steps of half the hysteresis. The hysteresis can shrink at a crest (it follows the
measured noise); counted in the old, larger steps the first part of a slow fall looked like
such a dwell, and 0.3 Hz III-- and III- sets were graded IV, 6-8 N at about 1.1 Hz, cut at
R1 on the way down.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.events import CycleEvent
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.simulator import Noise, Sim, technique


def _run(target: str, freq_hz: float, rate_hz: float, seed: int, cycles: int = 10):
    scheme = GradingScheme(40.0, 120.0)
    sim = Sim(40.0, 120.0, seed=seed)
    technique(target, sim, scheme, freq_hz=freq_hz, cycles=cycles)
    t, y = sim.sample(rate_hz, Noise())
    a = Analyzer(scheme)
    found = []
    for i in range(0, len(t), int(rate_hz)):
        found += a.feed(Chunk(t[i:i + int(rate_hz)], y[i:i + int(rate_hz)], i, "force", rate_hz))
    found += a.finish()
    return [e for e in sim.truth() if e["type"] == "cycle"], [e for e in found if isinstance(e, CycleEvent)]


@pytest.mark.parametrize("target,seed", [("III--", 8), ("III-", 12), ("IV++", 44)])
def test_slow_cycles_are_measured_trough_to_trough(target, seed):
    truth, found = _run(target, 0.3, 80.0, seed)
    assert len(found) >= len(truth) - 1
    for c in found:
        near = min(truth, key=lambda e: abs(e["t_crest"] - c.t_crest))
        assert c.grade == near["grade"], (c.t_crest, c.grade, near["grade"], c.amplitude_n)
        assert c.freq_hz == pytest.approx(near["freq_hz"], rel=0.25)
        assert c.amplitude_n == pytest.approx(near["amplitude_n"], rel=0.35)
    assert np.median([c.freq_hz for c in found]) == pytest.approx(0.3, rel=0.1)
