"""A recording too short to hold a single cycle (one or two rows) says so in one warning, with
how much is needed, instead of an empty summary that reads as a practice with no cycle."""

from __future__ import annotations

import json

import pytest

from tests.conftest import gc


@pytest.mark.parametrize("rows, said", [
    (["0.000000,1.6048"], "only 1 sample of force (0.000 s)"),
    (["0.000000,1.6048", "0.002000,1.3817"], "only 2 samples of force (0.002 s)"),
])
def test_one_or_two_rows_are_too_little_to_analyse(tmp_path, rows, said):
    p = tmp_path / "short.csv"
    p.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    r = gc("replay", p, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    short = [w for w in summary["warnings"] if "too little to analyse" in w]
    assert short == [f"{said}: too little to analyse; the shortest cycle measured takes 0.15 s, so record "
                     f"a few seconds of practice at least"]
    assert f"gradecoach: warning: {p}: {short[0]}" in r.stderr.splitlines()


def test_a_few_seconds_are_not_too_short(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("t_s,force_n\n" + "".join(f"{i / 500:.6f},{5 + (i % 250) / 25:.4f}\n" for i in range(1000)))
    r = gc("replay", p, "--format", "jsonl")
    assert r.returncode == 0 and "too little" not in r.stdout + r.stderr
