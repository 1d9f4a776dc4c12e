"""Force: a single thrust whose peak is known is not lost when the force drops out before the
thrust detector has told it from the first cycle of a set.

A smooth thrust from a low preload (300 N in 150 ms, back down as fast) is held for a while
after its peak as a possible first cycle of a set. A dropout in that wait used to drop it
without a word, though its peak and rise were measured and the same data ending there gave it;
a later thrust took the next index, so the numbering skipped one."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from analysis.thrust import ThrustEvent

SC = GradingScheme(40, 120)
FS = 1000.0
T = np.arange(0.0, 8.0, 1 / FS)


def thrust_at(t0: float, ttp: float = 0.15) -> np.ndarray:
    m = (T >= t0) & (T < t0 + 2 * ttp)
    y = np.zeros_like(T)
    y[m] = 300.0 * np.sin(np.pi * (T[m] - t0) / (2 * ttp)) ** 2
    return y


Y = 50.0 + thrust_at(2.0) + thrust_at(5.5) + np.random.default_rng(1).normal(0, 0.3, len(T))


def thrusts(keep: np.ndarray, step: int | None = None) -> list[ThrustEvent]:
    p = ForceProcessor(SC)
    t, y = T[keep], Y[keep]
    n = step or len(t)
    out = []
    for i in range(0, len(t), n):
        out += p.feed_arrays(t[i:i + n], y[i:i + n])
    out += p.finish()
    return [e for e in out if isinstance(e, ThrustEvent)]


@pytest.mark.parametrize("cut_s", [2.17, 2.25, 2.35, 2.45])
def test_a_dropout_after_the_peak_keeps_the_thrust_as_the_data_ending_there_do(cut_s):
    dropped = thrusts((T < cut_s) | (T > cut_s + 1.0))
    ended = thrusts(T < cut_s)
    assert len(ended) == 1 and abs(ended[0].t_peak - 2.15) < 0.005
    assert len(dropped) == 2, [(e.t_peak, e.index) for e in dropped]
    first, second = dropped
    assert (first.t_peak, first.peak_n, first.index) == (ended[0].t_peak, ended[0].peak_n, 0)
    assert abs(second.t_peak - 5.65) < 0.005 and second.index == 1


@pytest.mark.parametrize("step", [1, 7, 64])
def test_the_thrust_kept_at_a_dropout_does_not_depend_on_chunking(step):
    keep = (T < 2.3) | (T > 3.3)
    whole = [e.to_dict() for e in thrusts(keep)]
    assert len(whole) == 2
    assert [e.to_dict() for e in thrusts(keep, step)] == whole
