"""A let-up under the flag's threshold (max(3 N, 5 % of the preload)) is still measured: the
thrust shows how far the preload eased off (the domain reference asks for the continuous
quantities beside the labels), with its flag false; it read 0.0 N."""

from __future__ import annotations

import numpy as np
import pytest

from tests.analysis.force_shapes import FS, analyse, hc


@pytest.mark.parametrize("letup_n", [2.0, 4.0, 6.0])
def test_a_small_let_up_is_shown_and_not_flagged(letup_n):
    low = 150.0 - letup_n
    y = np.concatenate([np.zeros(FS), hc(0, 150, 1.0), np.full(FS, 150.0), hc(150, low, 0.1), hc(low, 600, 0.12),
                        hc(600, 150, 0.15), np.full(500, 150.0), hc(150, 0, 0.8), np.zeros(FS)])
    (th,) = [e for e in analyse(y)[0] if e["type"] == "thrust"]
    assert th["letup"] is False
    assert th["letup_n"] == pytest.approx(letup_n, abs=0.5)
