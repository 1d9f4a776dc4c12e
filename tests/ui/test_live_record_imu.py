"""``gradecoach record`` of a worn IMU alone (a recording of one replayed as the device): the
IMU's samples are counted and recorded for the --duration asked, and its thrust is among the
stored events as 'replay' of the folder finds it (the recording said '0 samples', ran until
the clock's grace ran out, and an idle force analysis dropped the IMU's thrust)."""

from __future__ import annotations

import json
import shutil

from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import open_session
from ui.cli import main


def test_record_of_an_imu_alone_keeps_its_samples_and_its_thrust(tmp_path, capsys):
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--imu", "400", "-o", str(tmp_path / "t.csv")]) == 0
    (tmp_path / "worn").mkdir()
    imu = shutil.copy(tmp_path / "t.imu.csv", tmp_path / "worn" / "t.imu.csv")
    capsys.readouterr()
    assert main(["record", "--device", f"file:{imu}", "--out", str(tmp_path / "sess"), "--duration", "5",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    s = open_session(tmp_path / "sess")
    assert 4.99 <= s.imu.t_s[-1] - s.imu.t_s[0] <= 5.05 and f"recorded {len(s.imu.t_s)} samples" in out
    stored = [e for e in s.events if e["type"] == "thrust"]
    again = [e.to_dict() for e in analyze_input(load_input(tmp_path / "sess")) if e.TYPE == "thrust"]
    assert len(stored) == 1 and stored[0]["source"] == "imu"
    assert json.dumps(stored) == json.dumps(again)
