"""A serial recording whose device was unplugged for 6 s, with the gap stored as a recording stores
it."""

from __future__ import annotations

import numpy as np

from analysis.events import GapEvent
from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter

GAP = (2.0, 8.0)          # the device unplugged: no samples from 2 s to 8 s
RATE = 200.0
REASON = "disconnected: serial:/dev/ttyUSB0: connection lost"     # the recorder's, in session.json


def _gap_session(folder, trainee="ana"):
    """2 s of cycles around 25 N, nothing for 6 s, then 2 s rising from 0 N, as a serial
    recording whose device was unplugged: the gap is in session.json and in events.jsonl twice
    over (the recorder's "disconnected" and the analysis's "dropout", a sample apart)."""
    t = np.concatenate([np.arange(0.0, GAP[0], 1 / RATE), np.arange(GAP[1], GAP[1] + 2.0, 1 / RATE)])
    y = np.where(t < GAP[0], 20.0 + 5.0 * np.sin(2 * np.pi * 1.5 * t), 8.0 * (t - GAP[1]))
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee=trainee, technique="PA L4", target=None,
                       r1_n=40.0, r2_n=120.0)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    w.mark_gap(GAP[0] - 1 / RATE + 0.0003, GAP[1], REASON)
    w.flush()
    evs = analyze_input(load_input(folder), GradingScheme(40.0, 120.0))
    assert sum(e.TYPE == "gap" for e in evs) == 1          # (the analysis's dropout)
    w.append_events([GapEvent(GAP[0] - 1 / RATE + 0.0003, GAP[1], "force", "disconnected: serial:/dev/ttyUSB0",
                              t_detect_s=GAP[1])] + list(evs))
    w.close(RATE)
    return folder
