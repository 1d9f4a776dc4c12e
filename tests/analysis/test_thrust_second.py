"""A second thrust soon after the first: held 0.2 s at the preload after the first's release,
it was lost without a word (its hold reached back into the first thrust's release)."""

from __future__ import annotations

import numpy as np
import pytest

from .force_shapes import FS, analyse
from .force_shapes import hc as _hc


def _two(gap_s: float) -> np.ndarray:
    return np.concatenate([np.zeros(FS), _hc(0, 150, 1), np.full(FS, 150.0), _hc(150, 600, 0.12),
                           _hc(600, 150, 0.15), np.full(int(gap_s * FS), 150.0), _hc(150, 550, 0.1),
                           _hc(550, 150, 0.15), np.full(500, 150.0), _hc(150, 0, 0.8), np.zeros(FS)])


@pytest.mark.parametrize("gap_s", [0.15, 0.2, 0.35])
def test_a_second_thrust_soon_after_the_first_is_found(gap_s):
    y = _two(gap_s)
    ev, notes = analyse(y)
    first, second = [e for e in ev if e["type"] == "thrust"]
    assert [e for e in ev if e["type"] == "cycle"] == [] and notes == []
    assert second["preload_n"] == pytest.approx(150.0, abs=1.0)
    assert second["peak_n"] == pytest.approx(550.0, abs=1.0)
    assert second["time_to_peak_ms"] == pytest.approx(first["time_to_peak_ms"] - 19.0, abs=8.0)   # 100 vs 120 ms
    assert not second["letup"]
    assert analyse(y, [1] * 3500 + [11] * 100) == (ev, notes)
