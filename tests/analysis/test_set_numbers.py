"""Sets are numbered without holes: a cycle found in a thrust's preload or release and dropped
as part of the thrust still took a set number, so a session of mobilisations between thrusts
read sets 1-6, then 9-14, and an HVLA session's only set was 'set 2'."""

from __future__ import annotations

import pytest

from analysis.chunk import Chunk
from analysis.events import CycleEvent
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.simulator import Noise, Sim, mixed


@pytest.mark.parametrize("step", [1000, 137])
def test_sets_between_thrusts_are_numbered_one_after_another(step):
    scheme = GradingScheme(40.0, 120.0)
    sim = Sim(40.0, 120.0, seed=5)
    mixed(sim, scheme, repeats=2)
    t, y = sim.sample(500.0, Noise())
    a = Analyzer(scheme)
    found = []
    for i in range(0, len(t), step):
        found += a.feed(Chunk(t[i:i + step], y[i:i + step], i, "force", 500.0))
    found += a.finish()
    cycles = [e for e in found if isinstance(e, CycleEvent)]
    numbers = sorted({c.set_index for c in cycles})
    assert numbers == list(range(12))                     # six sets before the thrusts, six after
    assert [s["set_index"] for s in found[-1].sets] == numbers
    for a_, b_ in zip(cycles, cycles[1:]):                 # a new number only after a pause
        assert (b_.set_index != a_.set_index) == (b_.t_start - a_.t_end > scheme.set_gap_s)
