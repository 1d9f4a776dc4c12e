"""No IMU cycle while the IMU is settling and the hand is at rest or ramping into a set: a run's
first cycle there was a 0.4-0.6 mm wiggle of the band's start and the noise (a BLE recording of a
hand at rest said "1 IMU cycle", 0.6 mm at 1.37 Hz, in its first second; a simulated grade III set
worn with an IMU had a 21st cycle of 0.42 mm on the ramp in, inside the plot's "IMU settling"
band). A set's own cycles there (1.5-3 mm) are still found."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc


def _events(path):
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def test_a_hand_at_rest_makes_no_imu_cycle(tmp_path):
    out = tmp_path / "ev.jsonl"
    r = gc("replay", ROOT / "fixtures" / "ble" / "gradecoach_grade3.jsonl", "--r1", "40", "--r2", "120", "-o", out)
    assert r.returncode == 0, r.stderr
    assert [e for e in _events(out) if e["type"] == "imu_cycle"] == []


def test_the_ramp_into_a_set_is_no_imu_cycle(tmp_path):
    csv = tmp_path / "g3.csv"
    assert gc("simulate", "--grade", "III", "--imu", "500", "--seed", "1", "-o", csv).returncode == 0
    truth = _events(tmp_path / "g3.imu-expected.jsonl")
    out = tmp_path / "ev.jsonl"
    r = gc("replay", tmp_path / "g3.imu.csv", "--r1", "40", "--r2", "120", "-o", out)
    assert r.returncode == 0, r.stderr
    found = [e for e in _events(out) if e["type"] == "imu_cycle"]
    assert len(found) == len(truth) == 20
    assert found[0]["t_start"] >= truth[0]["t_start"] - 0.1
    assert found[0]["displacement_mm"] > 1.5            # the set's first cycle, not the ramp in
