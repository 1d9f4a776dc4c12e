"""replay's table of a worn IMU alone says its target, and that a calibration given grades no
force, as the review and the report say it (the target was left out without a calibration)."""
from tests.conftest import gc


def _table(tmp_path, *opts) -> list[str]:
    r = gc("replay", tmp_path / "t.imu.csv", *opts, "--format", "table")
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_an_imu_alone_shows_its_target_and_an_unused_calibration(tmp_path):
    assert gc("simulate", "--thrust", "--sets", "1", "--imu", "500", "-o", tmp_path / "t.csv",
              "--seed", "5").returncode == 0
    assert _table(tmp_path, "--target", "V")[1] == "  no calibration, target V"
    assert _table(tmp_path, "--r1", "40", "--r2", "120", "--target", "V")[1] == (
        "  calibration R1 40 N, R2 120 N, alpha 0.5 (not used: no force recorded), target V")
    # a force recording's line is as it was
    r = gc("replay", tmp_path / "t.csv", "--r1", "40", "--r2", "120", "--target", "V", "--format", "table")
    assert r.stdout.splitlines()[1] == "  calibration R1 40 N, R2 120 N, alpha 0.5, target V"
