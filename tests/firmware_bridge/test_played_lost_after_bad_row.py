"""A CSV whose unreadable row lies right before a dropout: ``replay`` says the samples the file
lacks there ("28 samples lost"), the row apart ("1 bad row skipped"). Played as a device (the
trainer's "play a recording", ``record --device file:``) the same hole was told as 29 samples lost,
in its gap notice, its dropped count and its sequence numbers: the skipped row counted again."""

from __future__ import annotations

import re

import numpy as np
import pytest

from firmware_bridge.sources import FileSource
from ui.cli import main

BAD = 401                           # the unreadable row

# (file name, rate, header, a row at t, the bad row at t, samples the file lacks right after it:
# a hole replay bridges, shorter than a dropout)
FORCE = ("force.csv", 500.0, "t_s,force_n", lambda t: f"{t:.6f},{60 + 30 * np.sin(3 * np.pi * t):.3f}",
         lambda t: f"{t:.6f},n/a", 28)
IMU = ("wrist.imu.csv", 100.0, "t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads",
       lambda t: f"{t:.3f},{0.5 * np.sin(3 * np.pi * t):.4f},0,9.81,0,0,0", lambda t: f"{t:.3f},0,n/a,9.81,0,0,0", 12)


def _file(tmp_path, kind):
    """8 s of samples, row :data:`BAD` unreadable and those after it missing; and the time of
    the sample before it."""
    name, rate_hz, header, row, bad, lost = kind
    t = np.arange(int(8 * rate_hz)) / rate_hz
    lines = [bad(a) if i == BAD else row(a) for i, a in enumerate(t)]
    del lines[BAD + 1:BAD + 1 + lost]
    p = tmp_path / name
    p.write_text(header + "\n" + "\n".join(lines) + "\n")
    return p, float(t[BAD - 1])


def _replay_says(tmp_path, path, capsys) -> int:
    assert main(["replay", str(path), "--format", "jsonl", "-o", str(tmp_path / "r.jsonl"),
                 "--r1", "40", "--r2", "120"]) == 0
    err = capsys.readouterr().err
    assert f"1 bad row skipped (first: {path}:{BAD + 2}:" in err
    return int(re.search(rf"{re.escape(str(path))}: (\d+) samples? lost in 1 gap\b", err).group(1))


def _played(path):
    """The gap notices, dropped count and sequence numbers (per stream) of ``path`` played."""
    src = FileSource(str(path), speed=200.0)
    src.open()
    told, seq = [], {}
    try:
        while not src.exhausted:
            for c in src.read(0.1):
                seq.setdefault(c.stream, []).extend(range(c.seq0, c.seq0 + len(c)))
            told += [n for n in src.notices() if n.kind == "gap"]
    finally:
        src.close()
    return told, src.stats.dropped, seq


@pytest.mark.parametrize("kind", [FORCE, IMU], ids=["force", "imu"])
def test_a_played_file_counts_the_hole_after_a_bad_row_as_replay_does(tmp_path, capsys, kind):
    path, t_before = _file(tmp_path, kind)
    said = _replay_says(tmp_path, path, capsys)
    assert said == kind[-1]
    told, dropped, seq = _played(path)
    assert [(round(n.t_s, 3), n.samples) for n in told] == [(round(t_before, 3), said)]
    assert told[0].message == f"file {path.name} at {t_before:.2f} s: {said} samples lost in the recording"
    assert dropped == said
    # numbered as the device numbered them: a jump over the samples lost, not over the bad row too
    for s in seq.values():
        steps = np.diff(s)
        assert (steps[steps != 1] - 1).tolist() == [said]


def test_force_with_its_imu_beside_it_counts_alike(tmp_path, capsys):
    """A force CSV with an IMU CSV beside it (x.csv, x.imu.csv): the hole is counted from the
    force, its bad row left out, and both streams' numbers jump by that."""
    path, t_before = _file(tmp_path, FORCE)
    t = np.arange(800) / 100.0
    (tmp_path / "force.imu.csv").write_text(IMU[2] + "\n" + "\n".join(IMU[3](a) for a in t) + "\n")
    said = _replay_says(tmp_path, path, capsys)
    told, dropped, seq = _played(path)
    assert [n.samples for n in told] == [said] == [FORCE[-1]] and dropped == said
    assert sorted(seq) == ["force", "imu"]
    for s in seq.values():
        steps = np.diff(s)
        assert (steps[steps != 1] - 1).tolist() == [said]
