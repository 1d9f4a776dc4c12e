"""A session whose sensor stops sending data long before the session ends."""

from __future__ import annotations

import json

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter

RATE = 200.0
DATA_S = 4.0            # the sensor's samples, from 0 s …
END_S = 14.0            # … and the recording's end: lost from DATA_S on, not back
SCHEME = GradingScheme(40.0, 120.0)


def _cycles(t: np.ndarray) -> np.ndarray:
    return 50.0 + 30.0 * np.sin(2 * np.pi * 1.5 * t)


def _lost_session(folder, stored_duration_s: float | None = None, gap=(DATA_S, END_S)):
    """4 s of grade III cycles, then the sensor lost up to 14 s (session.json's gap, reason
    disconnected, and its gap event), as 'record --duration 14' leaves it. The stored summary is
    the analysis's, its ``duration_s`` replaced by ``stored_duration_s`` when given (a recording
    made by an earlier version kept its samples' span)."""
    t = np.arange(0.0, DATA_S, 1 / RATE)
    w = SessionWriter(folder, SessionMeta(created="2025-03-01T10:00:00", trainee="x", r1_n=40.0, r2_n=120.0),
                      flush_s=1e9)
    w.append_force(t, _cycles(t))
    if gap is not None:
        w.mark_gap(gap[0], gap[1], "disconnected")
    w.close(RATE)
    events = [e.to_dict() for e in analyze_input(load_input(folder), SCHEME)]
    if stored_duration_s is not None:
        events[-1]["duration_s"] = stored_duration_s
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return folder
