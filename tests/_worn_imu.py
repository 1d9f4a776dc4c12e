"""A session of a worn IMU alone (no force sensor), which the record tests play."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from firmware_bridge.session import SessionMeta, SessionWriter


def _worn_imu_session(folder: Path) -> Path:
    """3 s of a worn IMU alone at 200 Hz (no force sensor): a hand moving at 1.5 Hz."""
    w = SessionWriter(folder, SessionMeta(trainee="ben"), imu=True, force=False)
    t = np.arange(0.0, 3.0, 0.005)
    v = np.zeros((len(t), 6))
    v[:, 2] = 9.81 + 2.0 * np.sin(2 * np.pi * 1.5 * t)
    v[:, 3] = 0.3 * np.cos(2 * np.pi * 1.5 * t)
    w.append_imu(t, v)
    w.close()
    return folder
