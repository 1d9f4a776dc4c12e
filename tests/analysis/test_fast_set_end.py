"""The end of a fast set adds no cycle: after the last sharp trough the smoother rings (it
undershoots, then rebounds 60-80 ms later), a swing of 4-11 N the force itself did not make,
which was graded as an extra grade I cycle at 1.5-4 Hz (15 of 60 simulated sets at 2.5-4.5 Hz,
so a III+ set read 'III+:20 I:1' and its frequency CV rose)."""

from __future__ import annotations

import pytest

from analysis.chunk import Chunk
from analysis.events import CycleEvent
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.simulator import Noise, Sim, technique


@pytest.mark.parametrize("target,freq_hz,seed", [("III", 4.0, 308), ("III+", 4.5, 319), ("III++", 4.0, 328),
                                                  ("II", 3.5, 337), ("III-", 4.5, 349), ("III+", 2.5, 315)])
def test_a_fast_set_has_its_own_cycles_only(target, freq_hz, seed):
    scheme = GradingScheme(40.0, 120.0)
    sim = Sim(40.0, 120.0, seed=seed)
    technique(target, sim, scheme, freq_hz=freq_hz, cycles=20, sets=2)
    t, y = sim.sample(1000.0, Noise())
    a = Analyzer(scheme)
    found = []
    for i in range(0, len(t), 1000):
        found += a.feed(Chunk(t[i:i + 1000], y[i:i + 1000], i, "force", 1000.0))
    found += a.finish()
    cycles = [e for e in found if isinstance(e, CycleEvent)]
    truth = [e for e in sim.truth() if e["type"] == "cycle"]
    assert len(cycles) == len(truth)
    assert {c.grade for c in cycles} == {e["grade"] for e in truth}
    summary = found[-1]
    assert [s["n_cycles"] for s in summary.sets] == [20, 20]
