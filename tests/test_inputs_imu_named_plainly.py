"""An IMU's CSV not named ``*.imu.csv`` whose accelerometer columns have a unit that is not read
(``ax_mg``) or none (``ax``) is told as an IMU's file, with the units it takes; it was told it
lacked a force column."""

from __future__ import annotations

import pytest

from tests.conftest import gc


@pytest.mark.parametrize("header, said", [
    ("t_s,ax_mg,ay_mg,az_mg", "mg is not a unit of acceleration read here (m/s² or g)"),
    ("t_s,ax,ay,az,gx,gy,gz", "found ax with no unit: name it ax_mps2 (m/s²) or ax_g"),
])
def test_an_imu_file_with_units_not_read_is_told_as_an_imu_file(tmp_path, header, said):
    f = tmp_path / "log.csv"
    n = header.count(",")
    f.write_text(header + "\n" + "".join(f"{i / 100:.2f}" + ",0" * (n - 1) + ",1\n" for i in range(5)))
    r = gc("replay", f)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "header lacks column 'ax_mps2'" in r.stderr and said in r.stderr and "force_n" not in r.stderr
