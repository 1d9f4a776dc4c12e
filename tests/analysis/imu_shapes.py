"""Simulated worn-IMU recordings of the technique simulator, fed to the IMU processor as a live
source would deliver them, for the IMU tests."""

from __future__ import annotations

from analysis.chunk import Chunk
from analysis.events import Event
from analysis.imu import ImuProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal
from firmware_bridge.simulator import Sim, technique

SC = GradingScheme(40, 120)


def v_session(sim_seed: int, sets: int, **kw) -> Sim:
    """A simulated session of ``sets`` HVLA thrusts (grade V) with R1 40 N, R2 120 N."""
    sim = Sim(40, 120, seed=sim_seed)
    technique("V", sim, SC, sets=sets, **kw)
    return sim


def imu_events(sim: Sim, rate: float, seed: int, step_s: float = 0.01) -> list[Event]:
    """``sim``'s worn IMU at ``rate`` Hz (noise seed ``seed``) through an ImuProcessor in chunks
    of ``step_s``, and what it gives at the end."""
    t, v = imu_signal(sim, rate, seed=seed)
    p = ImuProcessor()
    out = []
    step = max(1, int(step_s * rate))
    for i in range(0, len(t), step):
        out += p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu"))
    return out + p.finish()
