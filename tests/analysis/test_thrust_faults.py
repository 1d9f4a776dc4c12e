"""A single push that is no part of an oscillation set is a thrust, with its fault said, not a
mobilisation grade: a thrust from no preload (0 to 400 N in 100 ms) read as one "III++ beyond"
cycle, and so did a thrust too slow for one (280-400 ms from a held 150 N to 600 N)."""

from __future__ import annotations

import numpy as np
import pytest

from .force_shapes import FS, analyse
from .force_shapes import hc as _hc


def _thrust(preload: float, peak: float, ttp_s: float) -> np.ndarray:
    ramp = [_hc(0, preload, 1.0)] if preload else []
    return np.concatenate([np.zeros(FS)] + ramp + [np.full(FS, float(preload)), _hc(preload, peak, ttp_s),
                          _hc(peak, preload, 0.15), np.full(500, float(preload)), _hc(preload, 0, 0.8),
                          np.zeros(FS)])


@pytest.mark.parametrize("preload,peak,ttp_s", [(0, 400, 0.1), (0, 600, 0.06), (3, 400, 0.1)])
def test_a_thrust_from_no_preload_is_a_thrust_said_to_have_none(preload, peak, ttp_s):
    ev, notes = analyse(_thrust(preload, peak, ttp_s))
    (th,) = [e for e in ev if e["type"] == "thrust"]
    assert [e for e in ev if e["type"] == "cycle"] == []
    assert th["preload_n"] == pytest.approx(preload, abs=1.0) and th["peak_n"] == pytest.approx(peak, abs=1.0)
    (said,) = notes
    assert said.startswith("thrust 1 at ") and "came with no preload" in said


@pytest.mark.parametrize("ttp_s", [0.28, 0.4])
def test_a_thrust_too_slow_is_a_thrust_said_to_be_slow(ttp_s):
    y = _thrust(150, 600, ttp_s)
    ev, notes = analyse(y)
    (th,) = [e for e in ev if e["type"] == "thrust"]
    assert [e for e in ev if e["type"] == "cycle"] == []
    assert th["preload_n"] == pytest.approx(150.0, abs=1.0)
    assert th["time_to_peak_ms"] == pytest.approx(1e3 * ttp_s, abs=0.1e3 * ttp_s)
    (said,) = notes
    assert f"took {th['time_to_peak_ms']:.0f} ms to its peak" in said
    assert analyse(y, [1] * 4000 + [13] * 100) == (ev, notes)


def test_taking_up_a_preload_from_rest_is_no_thrust():
    """A quick push from rest to a held preload does not come back down: no thrust."""
    y = np.concatenate([np.zeros(FS), _hc(0, 150, 0.15), np.full(2 * FS, 150.0), _hc(150, 0, 0.8), np.zeros(FS)])
    ev, notes = analyse(y)
    assert [e for e in ev if e["type"] == "thrust"] == [] and notes == []
