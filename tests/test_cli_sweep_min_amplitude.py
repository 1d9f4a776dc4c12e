"""--min-amplitude beyond any hand's force (over 100 kN) is one line and exit 2; 1e308 ran on
and printed numpy's 'RuntimeWarning: overflow encountered in reduce' among the results."""

from __future__ import annotations

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def test_a_huge_minimum_amplitude_is_refused():
    r = gc("replay", LUMBAR, "--r1", "40", "--r2", "120", "--min-amplitude", "1e308")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: --min-amplitude 1e+308: give a positive force in N, "
                                     "up to 100000"]


def test_the_largest_is_taken():
    r = gc("replay", LUMBAR, "--r1", "40", "--r2", "120", "--min-amplitude", "100000", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "0 cycles" in r.stdout
