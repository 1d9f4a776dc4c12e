"""``simulate`` says how long a recording it refuses would be, and holds the 600 s limit to that,
within a few per cent of the length it makes: it said about 609 s for 28 sets of 20 cycles at
1.5 Hz (they make about 495 s) and refused them, and about 630 s for 7 repeats of mixed (6 make
about 490 s)."""

from __future__ import annotations

import re

from tests._cli_in_process import gc_in_process


def _made_s(stdout: str) -> float:
    return float(re.search(r"samples, ([0-9.]+) s\)", stdout).group(1))


def test_28_sets_are_made_and_the_length_said_for_35_is_theirs(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--grade", "III", "--cycles", "20", "--freq", "1.5", "--sets", "28",
                      "--rate", "10", "-o", "s28.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    per_set_s = _made_s(r.stdout) / 28
    assert 480 < _made_s(r.stdout) < 510
    r = gc_in_process(capfd, "simulate", "--grade", "III", "--cycles", "20", "--freq", "1.5", "--sets", "35",
                      "--rate", "10", "-o", "s35.csv", cwd=tmp_path)
    assert r.returncode == 2
    said_s = float(re.search(r"would make about ([0-9]+) s of recording; keep it within 600 s", r.stderr).group(1))
    assert abs(said_s / (35 * per_set_s) - 1) < 0.03, r.stderr


def test_7_repeats_of_mixed_are_made_within_600_s(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--grade", "mixed", "--sets", "7", "--rate", "10", "-o", "m.csv",
                      cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert 540 < _made_s(r.stdout) <= 600
