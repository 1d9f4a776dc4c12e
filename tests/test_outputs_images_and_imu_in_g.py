"""An image gradecoach wrote as a portable any-map (``screenshot -o s.ppm``) is replaced by the
next screenshot, as a PNG is (its size line, "400 442", read as a row of someone's numbers); an
IMU recording in g and degrees per second is known as a recording where one in m/s² and rad/s
is: an output naming it says so, and the library reads its last sample to tell it cut short."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from firmware_bridge.csv_stream import IMU_COLUMNS
from ui.cli import main
from ui.library.folders import _last_sample
from ui.options import recording_kind

ROOT = Path(__file__).resolve().parents[1]


def test_a_screenshot_as_ppm_is_replaced_by_the_next(tmp_path, capsys):
    out = tmp_path / "s.ppm"
    for _ in range(2):
        assert main(["screenshot", "--replay", str(ROOT / "fixtures" / "lumbar_grade3.csv"), "--at", "3",
                     "-o", str(out), "--size", "400x300", "--r1", "40", "--r2", "120"]) == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"P6")


def _imu_files(folder: Path) -> tuple[Path, Path]:
    t = np.arange(200) / 100.0
    a = np.column_stack([np.zeros(200), np.zeros(200), np.full(200, 9.80665)])
    w = np.column_stack([0.1 * np.sin(t), np.zeros(200), np.zeros(200)])
    si, g = folder / "si.csv", folder / "g.csv"
    np.savetxt(si, np.column_stack([t, a, w]), delimiter=",", fmt="%.6f", comments="",
               header="t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads")
    np.savetxt(g, np.column_stack([t, a / 9.80665, np.degrees(w)]), delimiter=",", fmt="%.6f", comments="",
               header="t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps")
    return si, g


def test_an_imu_recording_in_g_is_known_as_one(tmp_path):
    si, g = _imu_files(tmp_path)
    assert recording_kind(si).startswith("a recording of an IMU")
    assert recording_kind(g).startswith("a recording of an IMU")
    assert _last_sample(g, IMU_COLUMNS) == _last_sample(si, IMU_COLUMNS) is not None
