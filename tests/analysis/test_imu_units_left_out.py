"""IMU: acceleration in mg or raw sensor counts is named, and the line says nothing was given.

Such a file's samples are all beyond a hand's reach in m/s², so none is analysed; its line said
'movement and thrusts from it are wrong', as if wrong figures had been shown beside it, where
the line for acceleration in g says 'wrong and left out'. Recordings come from
firmware_bridge/imu_sim.py, replayed as `gradecoach replay x.imu.csv` does.
"""

from __future__ import annotations

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import G_MPS2, imu_signal, write_imu_csv
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)
SIM = Sim(40, 120, seed=4)
technique("III", SIM, SC, cycles=8)
T, V = imu_signal(SIM, 200, seed=4)


@pytest.mark.parametrize("per_g, unit", [(1.0, "units in g?"), (1000.0, "units in mg or raw sensor counts?"),
                                         (16384.0, "units in mg or raw sensor counts?")])
def test_acceleration_in_other_units_is_said_to_be_left_out(tmp_path, per_g, unit):
    v = V.copy()
    v[:, :3] *= per_g / G_MPS2
    path = tmp_path / "x.imu.csv"
    write_imu_csv(path, T, v)
    ev = [e.to_dict() for e in analyze_input(load_input(path), SC)]
    assert not [e for e in ev if e["type"] in ("imu_cycle", "thrust")]
    found = [w for w in ev[-1]["warnings"] if "IMU acceleration averages" in w]
    assert len(found) == 1 and unit in found[0], ev[-1]["warnings"]
    assert "movement and thrusts from it are wrong and left out" in found[0], found[0]
