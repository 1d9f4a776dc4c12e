"""A bare force CSV beside a damaged IMU file of its name (x.csv and x.imu.csv of random bytes,
or of a header alone) is replayed: the IMU file is named in a warning and the force analysed,
as a session folder with such an imu.csv is; the IMU file alone is still refused."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import gc


def force_csv(p):
    t = np.arange(0, 6, 0.005)
    y = 100 + 60 * np.sin(2 * np.pi * 1.5 * t)
    p.write_text("t_s,force_n\n" + "".join(f"{a:.3f},{b:.3f}\n" for a, b in zip(t, y)))
    return p


DAMAGED = {"random": bytes(np.random.default_rng(3).integers(0, 256, 4000, dtype=np.uint8)),
           "header only": b"t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n",
           "not an imu": b"a,b\n1,2\n"}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_force_replayed_beside_a_damaged_imu_file(tmp_path, kind):
    x = force_csv(tmp_path / "x.csv")
    (tmp_path / "x.imu.csv").write_bytes(DAMAGED[kind])
    r = gc("replay", x, "--format", "jsonl", "-o", tmp_path / "o.jsonl")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    said = [ln for ln in r.stderr.splitlines() if "x.imu.csv" in ln]
    assert len(said) == 1 and said[0].startswith("gradecoach: warning: ") and "x.csv is analysed without it" in said[0]
    events = [json.loads(ln) for ln in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert sum(e["type"] == "cycle" for e in events) >= 5


def test_the_damaged_imu_file_alone_is_refused(tmp_path):
    (tmp_path / "x.imu.csv").write_bytes(DAMAGED["random"])
    r = gc("replay", tmp_path / "x.imu.csv")
    assert r.returncode == 2 and "x.imu.csv" in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
