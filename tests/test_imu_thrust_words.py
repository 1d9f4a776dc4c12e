"""``replay --format table`` of a worn IMU with sound and no force sensor says when an IMU's
thrust's first pop came against the thrust's peak, the hand's deepest point ("3 pops, first 1 ms
before peak", as the trainer's HVLA panel says it), not against a "peak force" no IMU measures;
a force sensor's thrust still says "peak force".

The recording: ``gradecoach simulate --grade V --imu 500 --audio 16000 --seed 2 --sets 3``, as in
tests/test_replay_imu_pops.py.
"""

from __future__ import annotations

import re

from pathlib import Path

from ui.cli import main


def pops_column(out: str) -> list[str]:
    """The table's thrust rows' pops, as printed after the figures (from where the heading
    "pops" starts)."""
    k = next(line for line in out.splitlines() if line.split()[:1] == ["thrust"]).index("  pops") + 2
    return [line[k:].rstrip() for line in out.splitlines() if line.strip()[:1].isdigit()]


def test_an_imu_thrust_s_pops_are_timed_against_its_peak_not_a_force(tmp_path: Path, capsys):
    v = tmp_path / "v.csv"
    assert main(["simulate", "--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000",
                 "--seed", "2", "-o", str(v)]) == 0
    capsys.readouterr()
    assert main(["replay", str(v.with_suffix(".imu.csv")), "--audio", str(v.with_suffix(".flac")),
                 "--format", "table"]) == 0
    out = capsys.readouterr().out
    pops = pops_column(out)
    assert len(pops) == 3
    assert re.fullmatch(r"3 pops, first \d+ ms before peak", pops[0]), pops
    assert re.fullmatch(r"3 pops, first \d+ ms before peak", pops[1]), pops
    assert re.fullmatch(r"3 pops, first \d+ ms after peak", pops[2]), pops
    assert "force" not in " ".join(pops)
    # the same thrusts felt by the force sensor: timed against the peak force
    assert main(["replay", str(v), "--audio", str(v.with_suffix(".flac")), "--format", "table"]) == 0
    pops = pops_column(capsys.readouterr().out)
    assert any(p.endswith("peak force") for p in pops), pops
