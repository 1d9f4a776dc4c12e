"""A played session that makes the pipeline warn, and the warnings said of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.session import SessionMeta, SessionWriter

RATE = 16000


def played_session(folder: Path, n_bad: int) -> Path:
    """2 s of force and a float WAV of its sound with ``n_bad`` NaN samples; returns the WAV."""
    t = np.arange(0.0, 2.0, 0.002)
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    w.append_force(t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t))
    w.meta.streams["audio"] = {"file": "audio.wav", "rate_hz": RATE, "channels": 1, "t0_s": 0.0}
    w.close(500.0)
    x = (0.01 * np.random.default_rng(0).standard_normal(2 * RATE)).astype("float32")
    x[1000:1000 + n_bad] = np.nan
    sf.write(str(folder / "audio.wav"), x, RATE, subtype="FLOAT")
    return folder / "audio.wav"


def said(where, n: int) -> str:
    return (f"{where}: {n} audio samples were not numbers (NaN or infinite) or were beyond any full scale "
            f"(over 1e12) and were read as silence")
