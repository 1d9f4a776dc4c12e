"""A hand-worn IMU for the simulated technique, consistent with its force trace.

Tissue stiffens as it is loaded (toe region), so the hand's displacement follows the force
through a saturating curve ``d = d_max · (1 − exp(−F / F0))``: a few millimetres for a
mobilisation cycle, about a centimetre at a thrust's peak. The sensor sits tilted on the back of
the hand; it measures the specific force (movement acceleration plus gravity) in its own frame,
with bias, white noise and the hand's tremor; the gyroscope sees small rotations and noise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import signal

from firmware_bridge.session import IMU_COLUMNS
from firmware_bridge.simulator import FINE_HZ, Sim

G_MPS2 = 9.80665
D_MAX_MM = 12.0
F0_N = 150.0


def displacement_mm(force_n: np.ndarray) -> np.ndarray:
    """Displacement of the hand into the tissue for a given force (saturating stiffness)."""
    return D_MAX_MM * (1.0 - np.exp(-np.maximum(force_n, 0.0) / F0_N))


def _rotation(tilt_rad: float, yaw_rad: float) -> np.ndarray:
    cx, sx = np.cos(tilt_rad), np.sin(tilt_rad)
    cz, sz = np.cos(yaw_rad), np.sin(yaw_rad)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ rx


def imu_signal(sim: Sim, rate_hz: float, seed: int = 0, noise_mps2: float = 0.02,
               t0_s: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Sample the IMU: ``(t_s, values)`` with values (n, 6) in m/s² and rad/s."""
    rng = np.random.default_rng(seed)
    tf, force, _ = sim.clean()
    d_m = displacement_mm(force) / 1000.0
    # the hand's position is smooth: limit it to the hand's bandwidth before differentiating
    sos = signal.butter(4, 40.0, fs=FINE_HZ, output="sos")
    d_m = signal.sosfiltfilt(sos, d_m)          # offline simulation, zero phase is fine here
    a_down = np.gradient(np.gradient(d_m, 1 / FINE_HZ), 1 / FINE_HZ)
    t = np.arange(0.0, tf[-1], 1.0 / rate_hz)
    a = np.interp(t, tf, a_down)
    # world frame z up; pushing down into the patient is -z movement; accelerometer reads a - g
    spec_world = np.column_stack([np.zeros_like(a), np.zeros_like(a), -a + G_MPS2])
    r = _rotation(rng.uniform(0.15, 0.5), rng.uniform(0, 2 * np.pi))
    acc = spec_world @ r            # = (R^T · v) for each row: world → sensor frame
    acc += rng.normal(0, 0.05, 3)   # bias
    acc += rng.normal(0, noise_mps2, acc.shape)
    trem = 0.05 * np.sin(2 * np.pi * rng.uniform(8, 12) * t)[:, None] * rng.normal(0, 1, 3)
    acc += trem
    gyro = rng.normal(0, 0.01, (len(t), 3)) + 0.02 * np.sin(2 * np.pi * 0.3 * t)[:, None]
    return t + t0_s, np.column_stack([acc, gyro])


def write_imu_csv(path: str | Path, t_s: np.ndarray, values: np.ndarray) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(IMU_COLUMNS) + "\n")
        np.savetxt(fh, np.column_stack([t_s, values]), fmt="%.6f", delimiter=",")


def imu_truth(sim: Sim, t0_s: float = 0.0) -> list[dict]:
    """Per-cycle displacement amplitude (mm) and the thrusts' peak times, for scoring."""
    out = []
    for c in sim.cycles:
        amp = displacement_mm(np.array([c["crest_n"]]))[0] - displacement_mm(np.array([c["trough_n"]]))[0]
        out.append({"type": "imu_cycle", "t_start": c["t_start"] + t0_s, "t_end": c["t_end"] + t0_s,
                    "t_crest": c["t_crest"] + t0_s, "displacement_mm": float(amp), "freq_hz": c["freq_hz"]})
    for th in sim.thrusts:
        out.append({"type": "thrust", "t_peak": th["t_peak"] + t0_s, "t_onset": th["t_onset"] + t0_s})
    return out
