"""An alpha of 0 or 1 is refused in words that leave 1 out: "between 0 and 1" read as if 1 were
allowed, beside "(got 1.0)"."""

from __future__ import annotations

import pytest

from tests._cli_in_process import gc_in_process


@pytest.mark.parametrize("alpha,got", [("1", "1"), ("0", "0"), ("1.5", "1.5")])
def test_alpha_out_of_range_says_both_ends_are_left_out(capfd, alpha, got):
    r = gc_in_process(capfd, "replay", "fixtures/cervical_grade2.csv", "--r1", "40", "--r2", "120",
                      "--alpha", alpha)
    assert r.returncode == 2
    assert r.stderr == f"gradecoach: error: alpha must be greater than 0 and less than 1 (got {got})\n", r.stderr
