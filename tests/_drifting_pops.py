"""A recorded session whose pops drift against its thrusts, and the warning said of it."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from tests._pops_audio import CSV

DRIFT = "the pops drift against the thrusts"


def _recorded(folder):
    """A session of the six thrusts of fixtures/thrust_pops.csv whose sound is read 0.5 % fast (its
    rate 16080 Hz, not 16000), and the events the recorder stores: the note left out."""
    t, y = np.loadtxt(CSV, delimiter=",", skiprows=1, unpack=True)
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee="ana", r1_n=40.0, r2_n=120.0)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    x, _ = sf.read(str(CSV.with_suffix(".flac")), dtype="float32")
    sf.write(str(folder / "audio.flac"), x, 16080)
    meta.streams["audio"] = {"file": "audio.flac", "rate_hz": 16080}
    w.close(1000.0)
    evs = [e.to_dict() for e in analyze_input(load_input(folder), GradingScheme(40.0, 120.0))]
    assert any(DRIFT in m for m in evs[-1]["warnings"])
    evs[-1]["warnings"] = [m for m in evs[-1]["warnings"] if DRIFT not in m]
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in evs))
    return folder
