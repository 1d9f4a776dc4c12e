"""A hand-worn IMU for the simulated technique, consistent with its force trace and its truth.

The hand's movement into the tissue (mm, positive = into the patient) is built from the
simulator's own ground truth:

* inside a mobilisation cycle it is the simulator's displacement (0 at the trough, the cycle's
  ``displacement_mm`` at the crest), so an IMU fixture and its force fixture agree;
* outside cycles (ramps into and out of a set, holds, thrusts) the hand sinks into the tissue as
  the force grows, through a stiffening (toe-region) curve ``D · (1 − exp(−F / F0))``; across a
  set this "floor" is interpolated between the force before and after it. A thrust from a
  150 N preload to 600 N thus moves the hand a few millimetres within its time to peak.

The sensor sits on the back of the hand, tilted by a random mounting angle and rolling slightly
as the hand pushes (about half a degree per millimetre) plus a slow sway; the hand also drifts
sideways by a fraction of its vertical movement. The accelerometer reads the specific force
(movement acceleration minus gravity, i.e. +g upward at rest) in its own frame with a per-axis
bias, scale error, white noise of a given density and 8–12 Hz tremor; the gyroscope reads the
rotation rate with bias and noise. Timestamps may be jittered like a BLE link's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import signal

from firmware_bridge.session import IMU_COLUMNS
from firmware_bridge.simulator import FINE_HZ, Sim

G_MPS2 = 9.80665
D_MAX_MM = 12.0          # toe curve: displacement at very large force
F0_N = 150.0             # toe curve: force scale (15–40 N/mm stiffness over 20–160 N)
HAND_BANDWIDTH_HZ = 40.0
ROLL_DEG_PER_MM = 0.5


def toe_displacement_mm(force_n: np.ndarray) -> np.ndarray:
    """Displacement of the hand into the tissue for a given force (stiffening tissue)."""
    return D_MAX_MM * (1.0 - np.exp(-np.maximum(force_n, 0.0) / F0_N))


def hand_displacement_mm(sim: Sim) -> tuple[np.ndarray, np.ndarray]:
    """The hand's movement into the tissue on the simulator's fine grid: ``(t_s, d_mm)``."""
    t, force, d_cyc = sim.clean()
    in_cyc = np.isfinite(d_cyc)
    floor = force.copy()
    if in_cyc.any() and (~in_cyc).any():
        floor[in_cyc] = np.interp(t[in_cyc], t[~in_cyc], force[~in_cyc])
    return t, toe_displacement_mm(floor) + np.where(in_cyc, d_cyc, 0.0)


def _rot_x(a: np.ndarray) -> np.ndarray:
    c, s, z, o = np.cos(a), np.sin(a), np.zeros_like(a), np.ones_like(a)
    return np.stack([np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2)


def _rot_y(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rot_z(a: float) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def imu_signal(sim: Sim, rate_hz: float, seed: int = 0, noise_ug_per_rthz: float = 120.0,
               tremor_mps2: float = 0.08, jitter: float = 0.0, sideways: float = 0.15,
               t0_s: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Sample the IMU worn during ``sim``.

    Parameters
    ----------
    rate_hz : float
        Nominal sample rate.
    noise_ug_per_rthz : float
        Accelerometer white-noise density in µg/√Hz (consumer MEMS parts: about 70–400).
    tremor_mps2 : float
        Peak 8–12 Hz tremor acceleration.
    jitter : float
        Timestamp jitter as a share of the sample interval (BLE-like irregular timing).
    sideways : float
        Horizontal movement as a share of the vertical movement.

    Returns
    -------
    t_s : ndarray, shape (n,)
    values : ndarray, shape (n, 6)
        ax, ay, az in m/s² and gx, gy, gz in rad/s, in the sensor's frame.
    """
    rng = np.random.default_rng(seed)
    tf, d_mm = hand_displacement_mm(sim)
    # the hand's position is smooth: limit it to the hand's bandwidth before differentiating
    sos = signal.butter(4, HAND_BANDWIDTH_HZ, fs=FINE_HZ, output="sos")
    d_m = signal.sosfiltfilt(sos, d_mm / 1000.0)   # offline simulation: zero phase is fine here
    acc_down = np.gradient(np.gradient(d_m, 1 / FINE_HZ), 1 / FINE_HZ)
    dt = 1.0 / rate_hz
    t = np.arange(0.0, tf[-1], dt)
    if jitter > 0:
        t = np.sort(np.clip(t + rng.uniform(-jitter, jitter, len(t)) * dt, 0.0, tf[-1]))
        t = t[np.concatenate([[True], np.diff(t) > 1e-6])]
    a_down = np.interp(t, tf, acc_down)
    d_s = np.interp(t, tf, d_m) * 1000.0
    n = len(t)
    # orientation: mounting (yaw, pitch) fixed; roll follows the push plus a slow sway
    sway_hz = rng.uniform(0.05, 0.15)
    roll = (rng.uniform(0.15, 0.5) + np.radians(ROLL_DEG_PER_MM) * d_s
            + np.radians(1.0) * np.sin(2 * np.pi * sway_hz * t + rng.uniform(0, 6.28)))
    roll_rate = np.gradient(roll, t) if n > 1 else np.zeros(n)
    yaw, pitch = rng.uniform(0, 2 * np.pi), rng.uniform(-0.3, 0.3)
    # world frame z up; moving into the patient is −z; the accelerometer reads a − g_vec = a + g ẑ
    heading = rng.uniform(0, 2 * np.pi)
    spec_w = np.column_stack([sideways * np.cos(heading) * a_down, sideways * np.sin(heading) * a_down,
                              G_MPS2 - a_down])
    # sensor orientation R(t) = Rz(yaw) Rx(roll) Ry(pitch); body reading = R^T · world vector
    v = spec_w @ _rot_z(yaw)                                     # Rz^T · f
    v = np.einsum("nji,nj->ni", _rot_x(roll), v)                 # Rx(roll)^T · v
    acc = v @ _rot_y(pitch)                                      # Ry^T · v
    acc *= 1.0 + rng.normal(0, 0.01, 3)                          # scale error
    acc += rng.uniform(-0.2, 0.2, 3)                             # zero-g offset
    acc += rng.normal(0, noise_ug_per_rthz * 1e-6 * G_MPS2 * np.sqrt(rate_hz / 2), acc.shape)
    f_tr = rng.uniform(8, 12)
    acc += tremor_mps2 * np.sin(2 * np.pi * f_tr * t + rng.uniform(0, 6.28))[:, None] * rng.normal(0, 0.6, 3)
    gyro = (np.column_stack([roll_rate, np.zeros(n), np.zeros(n)]) @ _rot_y(pitch)
            + rng.normal(0, 0.01, 3) + rng.normal(0, 0.005, (n, 3)))
    return t + t0_s, np.column_stack([acc, gyro])


def write_imu_csv(path: str | Path, t_s: np.ndarray, values: np.ndarray) -> None:
    """Write ``imu.csv`` (``t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads``)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(IMU_COLUMNS) + "\n")
        np.savetxt(fh, np.column_stack([t_s, values]), fmt="%.6f", delimiter=",")


def imu_truth(sim: Sim, t0_s: float = 0.0) -> list[dict]:
    """What the IMU should find: per cycle its displacement amplitude (mm) and frequency, per
    thrust its onset, peak and the hand's movement from onset to peak (mm)."""
    out = []
    for c in sim.cycles:
        out.append({"type": "imu_cycle", "t_start": round(c["t_start"] + t0_s, 6),
                    "t_end": round(c["t_end"] + t0_s, 6), "t_crest": round(c["t_crest"] + t0_s, 6),
                    "displacement_mm": round(float(c["displacement_mm"]), 4),
                    "freq_hz": round(float(c["freq_hz"]), 4)})
    for th in sim.thrusts:
        onset = toe_displacement_mm(np.array([th["preload_n"] - th["letup_n"]]))[0]
        peak = toe_displacement_mm(np.array([th["peak_n"]]))[0]
        out.append({"type": "thrust", "t_onset": round(th["t_onset"] + t0_s, 6),
                    "t_peak": round(th["t_peak"] + t0_s, 6), "displacement_mm": round(float(peak - onset), 4)})
    return out
