"""A recorded session with an unplugged sensor and dropped samples, and the gaps it stores."""

from __future__ import annotations

import numpy as np

from analysis.events import GapEvent
from firmware_bridge.session import SessionMeta, SessionWriter

RATE_HZ = 500.0
# a recording as the recorder leaves one: an unplug (from when it was noticed to the reconnect)
# and three runs of 10 lost samples (from the first lost sample to the last)
UNPLUG = (1.999, 3.5)
DROPPED = [(4.5, 4.518), (5.0, 5.018), (5.5, 5.518)]


def recorded_session(folder, imu: bool = False):
    """A session folder of 7 s of oscillations at 500 Hz holding those gaps, marked in its
    session.json and events as a recording marks them."""
    t = np.round(np.arange(0.0, 7.0, 1.0 / RATE_HZ), 6)
    keep = (t < UNPLUG[0]) | (t >= UNPLUG[1])
    for a, b in DROPPED:
        keep &= (t < a - 1e-9) | (t > b + 1e-9)
    t = t[keep]
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0), imu=imu, force=not imu)
    if imu:
        z = 0 * t
        w.append_imu(t, np.column_stack([0.3 * np.sin(2 * np.pi * 1.5 * t), z, 9.81 + z, z, z, z]))
    else:
        w.append_force(t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t))
    for (a, b), why in [(UNPLUG, "disconnected")] + [(g, "dropped samples") for g in DROPPED]:
        w.mark_gap(a, b, why)
        w.append_events([GapEvent(a, b, "force", why, t_detect_s=b)])
    w.close(RATE_HZ)
    return folder


def gaps_of(events):
    return [(round(e["t_start"], 6), round(e["t_end"], 6), e["reason"]) for e in events if e["type"] == "gap"]


STORED = [(*UNPLUG, "disconnected")] + [(*g, "dropped samples") for g in DROPPED]
