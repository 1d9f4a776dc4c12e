"""evaluate's thresholds are read as every other number option is: a decimal comma and the
threshold's unit after it (90,5 %, 2,5 ms); anything else is one line saying what to give."""

from __future__ import annotations

from tests.conftest import ROOT, gc

FIXTURE = ROOT / "fixtures" / "lumbar_grade3.csv"


def test_a_decimal_comma_and_the_unit_are_read():
    plain = gc("evaluate", FIXTURE, "--min-grade-accuracy", "90.5", "--max-peak-error", "2.5")
    comma = gc("evaluate", FIXTURE, "--min-grade-accuracy", "90,5 %", "--max-peak-error", "2,5")
    assert plain.returncode == comma.returncode == 0, comma.stderr
    assert comma.stdout == plain.stdout


def test_another_unit_is_refused_in_one_line_with_an_example():
    r = gc("evaluate", FIXTURE, "--min-grade-accuracy", "90 kg")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == ["gradecoach evaluate: error: --min-grade-accuracy 90 kg: give the share in "
                                     "per cent, e.g. 95 or 95 %"]
