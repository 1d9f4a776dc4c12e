"""IMU in wrong units: one figure for one file, and no count of thrusts or cycles it does not have.

A simulated recording of three thrusts (`gradecoach simulate --thrust --sets 3 --letup 30 --imu
500 --seed 5`) with its gyroscope in °/s: replay said 'IMU rotation averages 3.6 rad/s (206 °/s)
... left out (5 thrusts)' and a screenshot at 9 s '1.25 rad/s (71 °/s)' (the average up to
whenever it was asked); in g, '... left out (1 cycle)', where the three thrusts were what
vanished (the count was of what the wrong figures made look like cycles and thrusts).
Recordings come from firmware_bridge/imu_sim.py, as that command writes them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from firmware_bridge.imu_sim import G_MPS2, imu_signal
from tests.analysis.imu_shapes import v_session

T, V = imu_signal(v_session(5, 3, letup_n=30.0), 500, seed=5)
DEG, IN_G = V.copy(), V.copy()
DEG[:, 3:] = np.degrees(DEG[:, 3:])
IN_G[:, :3] /= G_MPS2


def as_trainer_and_replay(v, step=25):
    """The note a trainer keeps when it switches the IMU off (the first chunk after which its units
    show wrong), and the summary's notes after the whole recording."""
    p, first = ImuProcessor(), None
    for i in range(0, len(T), step):
        p.feed(Chunk(T[i:i + step], v[i:i + step], stream="imu"))
        if first is None and p.units_wrong(p.t_last):
            first = p.units_note().note
    p.finish()
    return first, p.notes()


@pytest.mark.parametrize("v", [DEG, IN_G], ids=["deg_per_s", "in_g"])
def test_the_units_line_gives_one_figure_and_counts_nothing_absent(v):
    first, notes = as_trainer_and_replay(v)
    said = [n for n in notes if "averages" in n]
    assert first is not None and said == [first], (first, notes)
    assert not re.search(r"\(\d+ (cycle|thrust)", first), first
    assert "left out" in first


def test_the_figure_does_not_depend_on_chunking():
    assert as_trainer_and_replay(DEG, 7)[1] == as_trainer_and_replay(DEG, 333)[1]
