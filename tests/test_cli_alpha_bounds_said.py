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


def test_simulate_says_it_in_the_same_words(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--grade", "III", "--alpha", "1", "-o", tmp_path / "x.csv")
    assert r.returncode == 2
    assert "greater than 0 and less than 1" in r.stderr and "between" not in r.stderr, r.stderr


def test_evaluate_says_it_of_an_expected_file_in_the_same_words(tmp_path, capfd):
    (tmp_path / "x.csv").write_text("t_s,force_n\n0,0\n0.001,1\n")
    (tmp_path / "x.expected.jsonl").write_text('{"type": "fixture", "r1_n": 40, "r2_n": 120, "alpha": 1, '
                                               '"rate_hz": 1000}\n')
    r = gc_in_process(capfd, "evaluate", tmp_path / "x.csv")
    assert r.returncode == 2
    assert "greater than 0 and less than 1" in r.stderr and "between" not in r.stderr, r.stderr
