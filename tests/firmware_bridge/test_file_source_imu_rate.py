"""'gradecoach record' of a sensor with an IMU stores the IMU's measured rate in session.json,
as a reader of its imu.csv measures it: it stored "imu": {"rate_hz": 0.0} (only the force's
rate was set when the recording closed). The sensor is a played recording of force and a worn
IMU (file:x.csv beside x.imu.csv), and of a worn IMU alone."""

from __future__ import annotations

import json
import shutil

import pytest

from firmware_bridge.session import open_session
from ui.cli import main


@pytest.mark.parametrize("alone", [False, True])
def test_a_recording_stores_the_imu_rate_it_measured(tmp_path, capsys, alone):
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "3", "--rate", "500",
                 "--imu", "200", "-o", str(tmp_path / "x.csv")]) == 0
    played = tmp_path / "x.csv"
    if alone:
        (tmp_path / "worn").mkdir()
        played = shutil.copy(tmp_path / "x.imu.csv", tmp_path / "worn" / "x.imu.csv")
    assert main(["record", "--device", f"file:{played}", "--out", str(tmp_path / "s"), "--duration", "1",
                 "--quiet"]) == 0
    streams = json.loads((tmp_path / "s" / "session.json").read_text())["streams"]
    assert streams["imu"]["rate_hz"] == pytest.approx(200.0, abs=0.01)
    assert streams["imu"]["rate_hz"] == pytest.approx(open_session(tmp_path / "s").imu.rate_hz, abs=1e-3)
    if not alone:
        assert streams["force"]["rate_hz"] == pytest.approx(500.0, abs=0.01)
    else:
        assert "force" not in streams
