"""simulate makes the recording each option asks for, or refuses the option in one line: mixed
drew its sets' frequency and cycles and its thrusts' preload, peak, time to peak and let-up
whatever --freq, --cycles, --preload, --peak, --time-to-peak and --letup said; grade V took
--freq and --cycles, grades I–IV took the thrust options, and none of them changed a thing."""

from __future__ import annotations

import json
from statistics import median

import pytest

from tests.conftest import gc


def _truth(out) -> tuple[dict, list[dict]]:
    lines = [json.loads(x) for x in out.with_suffix(".expected.jsonl").read_text().splitlines()]
    return lines[0], lines[1:]


def _refused(tmp_path, *argv) -> str:
    r = gc("simulate", *argv, "-o", tmp_path / "x.csv")
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert not any(tmp_path.iterdir()), "nothing is written"
    return lines[0]


def test_mixed_sets_have_the_frequency_and_cycles_asked_for(tmp_path):
    out = tmp_path / "m.csv"
    r = gc("simulate", "--grade", "mixed", "--freq", "2", "--cycles", "5", "--sets", "2", "-o", out)
    assert r.returncode == 0, r.stderr
    _, truth = _truth(out)
    cycles = [e for e in truth if e["type"] == "cycle"]
    assert len(cycles) == 2 * 6 * 5                      # six grades a repeat, five cycles each
    assert abs(median(e["freq_hz"] for e in cycles) - 2.0) < 0.1
    assert all(1.6 < e["freq_hz"] < 2.5 for e in cycles)  # (a hand's period varies by about 6 %)


def test_mixed_thrusts_have_the_preload_peak_time_to_peak_and_letup_asked_for(tmp_path):
    out = tmp_path / "m.csv"
    r = gc("simulate", "--grade", "mixed", "--preload", "200", "--peak", "800", "--time-to-peak", "100",
           "--letup", "30", "-o", out)
    assert r.returncode == 0, r.stderr
    _, truth = _truth(out)
    thrusts = [e for e in truth if e["type"] == "thrust"]
    assert len(thrusts) == 2
    assert all(t["peak_n"] == 800 and t["time_to_peak_ms"] == 100 for t in thrusts)
    assert all(abs(t["preload_n"] - 200) < 200 * 0.03 for t in thrusts)   # (a held force wobbles 1.5 %)
    assert [t["letup_n"] for t in thrusts] == [0, 30]    # mixed: one thrust without let-up, one with


def test_mixed_draws_what_is_not_given_as_before(tmp_path):
    """Only --peak given: the sets and the thrusts' other values are those of the same seed without it."""
    a, b = tmp_path / "a", tmp_path / "b"
    assert gc("simulate", "--grade", "mixed", "--seed", "4", "-o", a / "x.csv").returncode == 0
    assert gc("simulate", "--grade", "mixed", "--seed", "4", "--peak", "900", "-o", b / "x.csv").returncode == 0
    (_, plain), (_, told) = _truth(a / "x.csv"), _truth(b / "x.csv")
    assert [e for e in plain if e["type"] == "cycle"] == [e for e in told if e["type"] == "cycle"]
    pt, tt = ([e for e in x if e["type"] == "thrust"] for x in (plain, told))
    assert [t["peak_n"] for t in tt] == [900, 900] and all(t["peak_n"] < 650 for t in pt)
    keep = ("t_onset", "preload_n", "time_to_peak_ms", "letup_n")
    assert [{k: t[k] for k in keep} for t in pt] == [{k: t[k] for k in keep} for t in tt]


@pytest.mark.parametrize("argv,option", [
    (["--thrust", "--freq", "2"], "--freq"),
    (["--grade", "V", "--cycles", "3"], "--cycles"),
    (["--grade", "HVLA", "--freq", "1.5"], "--freq"),      # given, even as the default value
])
def test_a_thrust_refuses_an_oscillation_option(tmp_path, argv, option):
    line = _refused(tmp_path, *argv)
    assert line.startswith(f"gradecoach: error: {option} ") and "thrusts" in line and "I–IV or mixed" in line


@pytest.mark.parametrize("argv,option", [
    (["--peak", "700"], "--peak"),                         # (the default grade, III)
    (["--grade", "III", "--preload", "100"], "--preload"),
    (["--grade", "IV+", "--time-to-peak", "90"], "--time-to-peak"),
    (["--grade", "II", "--letup", "0"], "--letup"),
])
def test_a_mobilisation_refuses_a_thrust_option(tmp_path, argv, option):
    line = _refused(tmp_path, *argv)
    assert line.startswith(f"gradecoach: error: {option} ") and "not thrusts" in line and "--thrust" in line


@pytest.mark.parametrize("argv,option,says", [
    (["--preload", "400"], "--preload", "at most 335 N"),   # mixed draws peaks from 350 N
    (["--peak", "170"], "--peak", "at least 175 N"),        # ... and preloads up to 160 N
    (["--letup", "90"], "--letup", "80 N"),                 # ... from 80 N
    (["--preload", "200", "--peak", "210"], "--peak", "215 N"),
    (["--freq", "0.1", "--cycles", "500"], "--cycles", "600 s"),
])
def test_mixed_refuses_values_its_thrusts_or_length_cannot_take(tmp_path, argv, option, says):
    line = _refused(tmp_path, "--grade", "mixed", *argv)
    assert f"{option} " in line and says in line


def test_help_says_which_simulations_take_which_options():
    words = " ".join(gc("simulate", "--help").stdout.split())
    assert "--freq HZ grades I–IV and mixed:" in words and "--cycles N grades I–IV and mixed:" in words
    for opt in ("--freq HZ", "--cycles N", "--preload N", "--peak N", "--time-to-peak MS", "--letup N"):
        help_text = words.split(opt, 2)[2].split(" --", 1)[0]
        assert "mixed draws" in help_text or "mixed: its first thrust has none" in help_text, opt
