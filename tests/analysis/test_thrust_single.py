"""A thrust is a single impulse. A set of fast oscillations beyond R2 that starts from a held
trough rises like a thrust the first time (a 2 Hz set from 60 N to 140 N: "preload 60 N, peak
140 N, 235 ms to peak"), and its next cycles were dropped as parts of that thrust. A rise
followed by cycles of its own size is the first cycle of the set; a rise that is not, is a
thrust, whatever its shape (the servo profiles of the 2020 T7 study: 20 N to 100 N in 100 ms,
to 200 N in 250 ms)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.analysis import force_shapes
from tests.analysis.force_shapes import FS, hc


def _hold(v: float, s: float) -> np.ndarray:
    return np.full(int(round(s * FS)), float(v))


def _set(trough: float, crest: float, freq_hz: float, n: int) -> np.ndarray:
    t = np.arange(int(round(n / freq_hz * FS))) / FS
    osc = trough + (crest - trough) * (1 - np.cos(2 * np.pi * freq_hz * t)) / 2
    return np.concatenate([_hold(0, 1), np.linspace(0, trough, FS, endpoint=False), _hold(trough, 0.5), osc,
                           _hold(trough, 0.5), np.linspace(trough, 0, FS, endpoint=False), _hold(0, 1)])


def _servo(preload: float, peak: float, ttp_s: float) -> np.ndarray:
    return np.concatenate([_hold(0, 1), hc(0, preload, 1), _hold(preload, 1), hc(preload, peak, ttp_s),
                           hc(peak, preload, 0.15), _hold(preload, 0.5), hc(preload, 0, 0.8), _hold(0, 1)])


def analyse(y, r1=40.0, r2=120.0, sizes=None):
    return force_shapes.analyse(y, sizes, r1, r2)[0]


@pytest.mark.parametrize("trough,crest", [(60, 140), (30, 200)])
@pytest.mark.parametrize("freq_hz", [2.0, 3.0])
def test_a_fast_set_beyond_r2_from_a_held_trough_is_all_cycles(trough, crest, freq_hz):
    n = int(6 * freq_hz)
    ev = analyse(_set(trough, crest, freq_hz, n))
    assert [e for e in ev if e["type"] == "thrust"] == []
    cyc = [e for e in ev if e["type"] == "cycle"]
    assert len(cyc) == n and all(c["beyond_r2"] and c["grade"] == "III" for c in cyc)


@pytest.mark.parametrize("seed", range(2))
def test_with_noise_and_tremor_too(seed):
    y = _set(60, 135, 2.0, 12)
    t = np.arange(len(y)) / FS
    rng = np.random.default_rng(seed)
    y = y + np.sin(2 * np.pi * 9.5 * t + seed) * (y > 5) + rng.normal(0, 0.5, len(y))
    ev = analyse(y)
    assert [e for e in ev if e["type"] == "thrust"] == []
    assert sum(e["type"] == "cycle" for e in ev) == 12


@pytest.mark.parametrize("preload,peak,ttp_s", [(20, 100, 0.1), (20, 200, 0.25)])
def test_servo_thrusts_as_even_as_a_cycle_are_still_thrusts(preload, peak, ttp_s):
    y = _servo(preload, peak, ttp_s)
    ev = analyse(y, 10.0, 30.0)
    (th,) = [e for e in ev if e["type"] == "thrust"]
    assert [e for e in ev if e["type"] == "cycle"] == []
    assert th["preload_n"] == pytest.approx(preload, abs=1.0) and th["peak_n"] == pytest.approx(peak, abs=1.0)
    assert th["duration_ms"] is not None
    # decided once the force has stayed down as long as the rise took, not when the next set ends
    assert th["t_detect_s"] - th["t_peak"] < 0.15 + ttp_s + 0.05
    for sizes in ([1] * 3000 + [7] * 200, list(np.random.default_rng(3).integers(1, 600, 20))):
        assert analyse(y, 10.0, 30.0, sizes) == ev
