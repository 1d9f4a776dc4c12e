"""``library list`` marks a session whose session.json lists an imu.csv (or force.csv) that is not
there (deleted, left out of a copy) as it marks a file cut short: "*" beside its figures and a
warning in replay's words, "no such imu file (session.json lists it)", which replay and report
say of it."""

from __future__ import annotations

import json

import numpy as np

from tests.conftest import gc
from tests.ui.review.conftest import make_session


def _with_imu(folder):
    """``folder``'s session with an imu.csv beside its force.csv, as session.json lists it."""
    t = np.arange(0, 5, 0.01)
    rows = "".join(f"{x:.6f},0.1,0.2,9.8,0.01,0.02,0.03\n" for x in t)
    (folder / "imu.csv").write_text("t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads\n" + rows)
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["streams"]["imu"] = {"file": "imu.csv", "rate_hz": 100.0}
    mp.write_text(json.dumps(meta, indent=2))
    return folder


def _row(out: str, name: str) -> str:
    """``library list``'s row of the session in the folder ``name`` (after any note)."""
    return next(ln for ln in out.splitlines()[1:] if ln.split()[-1] == name or f"  {name}  (" in ln)


def test_a_deleted_imu_csv_is_marked_and_said_as_replay_says_it(tmp_path):
    root = tmp_path / "class"
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1)
    ben = _with_imu(make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=4, seed=2))

    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    assert "*" not in r.stdout and "no such" not in r.stderr

    (ben / "imu.csv").unlink()
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    assert "*" in _row(r.stdout, "ben")
    assert "*" not in _row(r.stdout, "ana")
    said = f"{ben / 'imu.csv'}: no such imu file (session.json lists it)"
    assert said in r.stderr, r.stderr
    assert "listed (*) with the whole recording's figures" in r.stderr

    replay = gc("replay", ben)
    assert "imu.csv: no such imu file (session.json lists it)" in replay.stdout + replay.stderr

    jl = gc("library", "list", root, "--format", "jsonl")
    assert "imu.csv: no such imu file" in jl.stderr


def test_a_deleted_force_csv_beside_an_imu_csv_is_marked_too(tmp_path):
    root = tmp_path / "class"
    ana = _with_imu(make_session(root / "ana", trainee="ana", cycles=4, seed=1))
    (ana / "force.csv").unlink()
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    assert f"{ana / 'force.csv'}: no such force file (session.json lists it)" in r.stderr
    assert "*" in _row(r.stdout, "ana")


def test_an_unfinished_recording_is_not_marked_for_a_file_not_yet_written(tmp_path):
    # (a recording lists imu.csv before its first IMU sample makes it: "unfinished" says enough)
    root = tmp_path / "class"
    ana = _with_imu(make_session(root / "ana", trainee="ana", cycles=4, seed=1))
    (ana / "imu.csv").unlink()
    mp = ana / "session.json"
    meta = json.loads(mp.read_text())
    meta["complete"] = False
    mp.write_text(json.dumps(meta))
    r = gc("library", "list", root)
    assert "no such imu file" not in r.stderr
    assert "(unfinished" in _row(r.stdout, "ana") and "*" not in r.stdout
