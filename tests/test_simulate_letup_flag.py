"""``simulate``'s truth flags a thrust's let-up by the analysis's own rule: at least
max(3 N, 5 % of the preload, 2.5 SD of the held force's noise and tremor). A 5 N let-up from a
150 N preload was recorded as flagged, replay (rightly, by that rule) did not flag it, and
``evaluate`` failed on simulate's own output; a let-up under the rule is now said in one line and
recorded as not flagged."""

from __future__ import annotations

import json

from tests._cli_in_process import gc_in_process


def _thrusts(path):
    return [e for e in map(json.loads, path.read_text().splitlines()) if e["type"] == "thrust"]


def test_a_letup_under_the_flagging_rule_is_recorded_unflagged_and_evaluate_passes(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--thrust", "--letup", "5", "--sets", "3", "--seed", "3",
                      "-o", "lu5.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    warning = r.stderr.splitlines()
    assert len(warning) == 1 and "--letup 5" in warning[0] and " 7.3 N " in warning[0] \
        and "not flagged" in warning[0], r.stderr
    assert [(e["letup_n"], e["letup"]) for e in _thrusts(tmp_path / "lu5.expected.jsonl")] == [(5.0, False)] * 3
    r = gc_in_process(capfd, "evaluate", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "let-up" not in r.stdout


def test_the_noise_raises_the_flagging_threshold(tmp_path, capfd):
    """With 5 N of sensor noise a 10 N let-up is within 2.5 SD of it: not flagged, and said."""
    r = gc_in_process(capfd, "simulate", "--thrust", "--letup", "10", "--noise", "5", "-o", "n.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "--letup 10" in r.stderr and "not flagged" in r.stderr
    assert [e["letup"] for e in _thrusts(tmp_path / "n.expected.jsonl")] == [False]


def test_a_letup_over_the_rule_is_flagged_without_a_word(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--thrust", "--letup", "10", "-o", "t.csv", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    assert [e["letup"] for e in _thrusts(tmp_path / "t.expected.jsonl")] == [True]
