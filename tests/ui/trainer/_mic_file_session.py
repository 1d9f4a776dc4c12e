"""A session folder of the thrust fixture's force and its sound."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter

from .conftest import REPO


def _session(folder):
    """A session folder of the thrust fixture: force and its 16 kHz audio.flac."""
    inp = load_input(str(REPO / "fixtures" / "thrust_pops.csv"), str(REPO / "fixtures" / "thrust_pops.flac"))
    a, rate = sf.read(str(inp.audio_path), dtype="float32")
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    w.append_force(inp.force.t_s, inp.force.values)
    w.append_audio(np.arange(len(a)) / rate, a, rate)
    w.close(inp.force.rate_hz)
    return folder
