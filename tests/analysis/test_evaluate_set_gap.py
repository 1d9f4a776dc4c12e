"""A set's frequency CV is checked over the set as the summary measures it: a 0.5 Hz set with
one cycle missed in its middle is still one set (the grading scheme's set gap, 3 s), not two
sets of which one CV is compared twice over half the cycles."""

from __future__ import annotations

import pytest

from analysis.evaluate import score


def _cycle(k: int, period: float, freq_scale: float = 1.0) -> dict:
    t0 = 1.0 + k * period
    return {"type": "cycle", "t_start": t0, "t_end": t0 + period, "t_crest": t0 + period / 2,
            "freq_hz": freq_scale / period, "crest_n": 100.0, "grade": "III", "modifier": None}


def test_a_slow_set_missing_one_cycle_is_one_set():
    truth = [_cycle(k, 2.0, 1.0 + 0.02 * (k % 3)) for k in range(10)]
    found = [dict(c) for k, c in enumerate(truth) if k != 5]
    s = score(truth, found, 100.0, 25.0)
    assert s.matched_cycles == 9
    assert len(s.freq_cv_err_pts) == 1
    assert s.freq_cv_err_pts[0] == pytest.approx(0.0, abs=1.0)
