"""A let-up under the flag's threshold (max(3 N, 5 % of the preload)) is still measured: the
thrust shows how far the preload eased off (the domain reference asks for the continuous
quantities beside the labels), with its flag false; it read 0.0 N."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme

FS = 1000


def _hc(a: float, b: float, s: float) -> np.ndarray:
    n = int(round(s * FS))
    return a + (b - a) * (1 - np.cos(np.pi * np.arange(n) / n)) / 2


@pytest.mark.parametrize("letup_n", [2.0, 4.0, 6.0])
def test_a_small_let_up_is_shown_and_not_flagged(letup_n):
    low = 150.0 - letup_n
    y = np.concatenate([np.zeros(FS), _hc(0, 150, 1.0), np.full(FS, 150.0), _hc(150, low, 0.1), _hc(low, 600, 0.12),
                        _hc(600, 150, 0.15), np.full(500, 150.0), _hc(150, 0, 0.8), np.zeros(FS)])
    p = ForceProcessor(GradingScheme(40.0, 120.0))
    (th,) = [e for e in p.feed_arrays(np.arange(len(y)) / FS, y) + p.finish() if e.TYPE == "thrust"]
    assert th.letup is False
    assert th.letup_n == pytest.approx(letup_n, abs=0.5)
