"""The default grading scheme of the domain reference, its modifiers and its validation."""

import pytest

from analysis.errors import InputError
from analysis.scheme import GradingScheme, parse_target

S = GradingScheme(r1_n=40, r2_n=120)


@pytest.mark.parametrize("crest, amp, grade", [
    (30, 8, "I"),      # short of R1, small
    (38, 25, "II"),    # short of R1, large (>= 0.5 * R1)
    (80, 55, "III"),   # into resistance, large (>= 0.5 * crest)
    (80, 20, "IV"),    # into resistance, small
])
def test_grades(crest, amp, grade):
    assert S.grade(crest, amp)[0] == grade


@pytest.mark.parametrize("crest, mod", [(42, "--"), (60, "-"), (80, ""), (100, "+"), (118, "++")])
def test_modifiers_follow_crest_position_in_r1_r2(crest, mod):
    grade, modifier, pct, beyond = S.grade(crest, 0.7 * crest)
    assert (grade, modifier) == ("III", mod)
    assert pct == pytest.approx(100 * (crest - 40) / 80)
    assert not beyond


def test_grades_i_ii_have_no_modifier_and_beyond_r2_is_flagged():
    assert S.grade(30, 10)[1] is None
    assert S.grade(140, 30)[3] is True       # clearly beyond R2 (> R2 + 10 % of R1–R2)
    assert S.grade(125, 30)[3] is False      # within tolerance


def test_alpha_is_a_parameter():
    assert GradingScheme(40, 120, alpha=0.3).grade(80, 30)[0] == "III"
    assert GradingScheme(40, 120, alpha=0.5).grade(80, 30)[0] == "IV"


def test_uncalibrated_cycles_are_not_graded():
    assert GradingScheme().grade(80, 30) == (None, None, None, None)     # (beyond R2: not checked)


@pytest.mark.parametrize("r1, r2", [(120, 40), (40, 40), (-5, 40), (40, None)])
def test_nonsense_calibration_is_refused(r1, r2):
    with pytest.raises(InputError):
        GradingScheme(r1, r2)


def test_targets():
    assert parse_target("III+") == ("III", "+")
    assert parse_target("iv--") == ("IV", "--")
    assert parse_target("HVLA") == ("V", None)
    assert parse_target("II") == ("II", None)
    with pytest.raises(InputError, match="only III and IV"):
        parse_target("II+")
    with pytest.raises(InputError, match="^target 'VI': not a grade;"):
        parse_target("VI")
    with pytest.raises(InputError, match="^--target VI: not a grade;"):
        parse_target("VI", "--target VI")
    t = S.with_target("III+")
    assert t.on_target("III", "+") and not t.on_target("III", "") and not t.on_target("IV", "+")
