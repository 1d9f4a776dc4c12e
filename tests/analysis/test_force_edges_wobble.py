"""Small slow oscillations with a wobble of the hand riding on them are still cycles: the
wobble's reversals, too small for a cycle, no longer cut every slow cycle into pieces. The last
one is found too (the force ramps out of the set, and no next crest comes to end it), and each
is measured without the wobble (8 N cycles read 9.1-11.0 N with a 1-1.5 N wobble on them)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from tests.analysis._slow_set import _slow_set


def cycles(t, y, sizes=None):
    p = ForceProcessor(GradingScheme(40.0, 120.0))
    ev, i = [], 0
    for k in (sizes or []):
        ev += p.feed_arrays(t[i:i + k], y[i:i + k])
        i += k
    ev += p.feed_arrays(t[i:], y[i:]) + p.finish()
    return [e.to_dict() for e in ev if e.TYPE == "cycle"]


@pytest.mark.parametrize("wobble_n", [1.0, 1.5])
@pytest.mark.parametrize("wobble_hz", [1.5, 3.0])
def test_slow_small_cycles_with_a_wobble_are_found(wobble_n, wobble_hz):
    cyc = cycles(*_slow_set(wobble_n, wobble_hz))
    assert len(cyc) == 8                                # none was found at first, then 7
    assert {c["grade"] for c in cyc} == {"I"}
    assert all(0.25 <= c["freq_hz"] <= 0.4 for c in cyc)   # the slow cycles, not the wobble
    assert cyc[-1]["t_end"] > 28.5                      # the last one ends as the ramp out begins
    for c in cyc:                                       # 16-24 N, not 16-24 N give or take the wobble
        assert c["amplitude_n"] == pytest.approx(8.0, abs=0.4)
        assert c["crest_n"] == pytest.approx(24.0, abs=0.3)
        assert c["trough_n"] == pytest.approx(16.0, abs=0.3)


def test_without_a_wobble_nothing_changes():
    assert len(cycles(*_slow_set(0.0, 1.5))) == 8


@pytest.mark.parametrize("wobble_n, wobble_hz", [(1.5, 1.5), (1.0, 3.0)])
def test_the_wobble_rule_does_not_depend_on_chunking(wobble_n, wobble_hz):
    t, y = _slow_set(wobble_n, wobble_hz)
    whole = cycles(t, y)
    assert whole
    for sizes in ([1] * 3000 + [5] * 2000, list(np.random.default_rng(2).integers(1, 900, 50)),
                  [24000] + [1] * 4000 + [3] * 1000):         # (one sample at a time through the last cycle)
        assert cycles(t, y, sizes) == whole
