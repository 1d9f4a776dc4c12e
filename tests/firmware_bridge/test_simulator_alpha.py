"""The simulator makes the grade asked for at any large-amplitude ratio α, or refuses it in one
line: ``simulate --grade IV --alpha 0.2`` wrote ten grade-III cycles (each line saying it was
meant as IV) and exit 0, ``--grade I --alpha 0.1`` ten grade-II ones, as the amplitudes aimed at
were the same shares of the crest or R1 whatever α; ``evaluate`` then scored the recording 100 %,
its expected events being what was made."""

from __future__ import annotations

import json
import re

import pytest

from analysis.scheme import GradingScheme, parse_target
from firmware_bridge.simulator import Sim, technique
from tests._cli_in_process import gc_in_process


@pytest.mark.parametrize("alpha", [0.25, 0.35, 0.7])
@pytest.mark.parametrize("kind", ["I", "II", "III+", "IV-"])
def test_each_cycle_is_the_grade_asked_for_at_any_alpha(kind, alpha):
    scheme = GradingScheme(40.0, 120.0, alpha=alpha)
    grade, mod = parse_target(kind)
    for seed in range(3):
        sim = Sim(40.0, 120.0, seed=seed)
        technique(kind, sim, scheme, cycles=8)
        made = {(c["grade"], c["modifier"]) for c in sim.cycles}
        assert made == {(grade, mod if grade in ("III", "IV") else None)}, (seed, made)
        # and each is a cycle the analysis counts, not an oscillation under the minimum amplitude
        assert all(c["amplitude_n"] >= scheme.min_amplitude(40.0, c["crest_n"]) for c in sim.cycles)


def _expected(path) -> list[dict]:
    return [json.loads(x) for x in path.with_suffix(".expected.jsonl").read_text().splitlines()[1:]]


def test_grade_iv_at_alpha_0_2_is_written_as_grade_iv(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--grade", "IV", "--alpha", "0.2", "--cycles", "10", "--rate", "50",
                      "-o", "alx.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    cycles = [e for e in _expected(tmp_path / "alx.csv") if e["type"] == "cycle"]
    assert len(cycles) == 10
    assert {(e["grade"], e["modifier"]) for e in cycles} == {("IV", "")}


def _refused(capfd, tmp_path, *argv) -> str:
    r = gc_in_process(capfd, "simulate", *argv, "--cycles", "10", "--rate", "50", "-o", "x.csv", cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    line, = r.stderr.strip().splitlines()
    assert not any(tmp_path.iterdir()), "nothing is written"
    return line


@pytest.mark.parametrize("grade", ["I", "mixed"])
def test_a_grade_that_cannot_be_made_at_that_alpha_is_refused(tmp_path, capfd, grade):
    """Grade I at α 0.1 with R1 40 N would need an amplitude under 4 N, and a cycle needs at
    least 4 N (10 % of R1) to be counted; mixed makes grade I sets too. The α the line gives
    makes them."""
    line = _refused(capfd, tmp_path, "--grade", grade, "--alpha", "0.1")
    assert "grade I " in line and "--alpha 0.1 " in line and "minimum amplitude" in line, line
    alpha = re.search(r"give --alpha ([0-9.]+) or more$", line).group(1)
    assert 0.1 < float(alpha) < 0.5
    r = gc_in_process(capfd, "simulate", "--grade", grade, "--alpha", alpha, "--cycles", "10", "--rate", "50",
                      "-o", "x.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    cycles = [e for e in _expected(tmp_path / "x.csv") if e["type"] == "cycle"]
    assert cycles and all(e["grade"] == e["intended"] for e in cycles)


def test_grade_ii_at_a_high_alpha_is_refused_naming_the_crest_it_must_stay_under(tmp_path, capfd):
    """A grade II at α 0.85 must sweep at least 34 N from a crest short of R1 (40 N): no room
    for a large oscillation a hand can hold to."""
    line = _refused(capfd, tmp_path, "--grade", "II", "--alpha", "0.85")
    assert "grade II " in line and "--alpha 0.85 " in line and "short of R1" in line, line
    alpha = float(re.search(r"give --alpha ([0-9.]+) or less$", line).group(1))
    assert 0.5 < alpha < 0.85


@pytest.mark.parametrize("alpha", [0.3, 0.7])
def test_mixed_makes_the_grades_it_says_at_that_alpha(alpha):
    from firmware_bridge.simulator import mixed
    sim = Sim(40.0, 120.0, seed=1)
    mixed(sim, GradingScheme(40.0, 120.0, alpha=alpha))
    assert [c["grade"] for c in sim.cycles] == [c["intended"] for c in sim.cycles]
