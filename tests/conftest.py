"""Shared test helpers: simulated recordings with ground truth."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.simulator import Noise, Sim, mixed, technique  # noqa: E402


def simulate(kind: str = "III", *, r1: float = 40.0, r2: float = 120.0, rate: float = 500.0, seed: int = 0,
             noise: Noise | None = None, **kw) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """``(t_s, force_n, truth)`` for one technique (``"mixed"`` for a bit of everything)."""
    scheme = GradingScheme(r1, r2)
    sim = Sim(r1, r2, seed=seed)
    if kind == "mixed":
        mixed(sim, scheme)
    else:
        technique(kind, sim, scheme, **kw)
    t, y = sim.sample(rate, noise or Noise())
    return t, y, sim.truth((noise or Noise()).t0_s)



def detect_pops(audio: np.ndarray, rate: float, sizes: list[int] | None = None, **scheme) -> list[dict]:
    """Cavitation events (dicts) of ``audio`` fed to a fresh detector whole, or in chunks of
    ``sizes`` samples and the rest; ``scheme`` overrides ``PopScheme`` fields."""
    from analysis.cavitation import CavitationDetector
    from analysis.chunk import Chunk

    d = CavitationDetector(**scheme)
    whole = Chunk(np.arange(len(audio)) / rate, audio, 0, "audio", rate)
    parts = [whole] if sizes is None else whole.split(list(sizes) + [len(audio) - sum(sizes)])
    out = []
    for c in parts:
        out += d.feed(c)
    return [e.to_dict() for e in out + d.finish()]

@pytest.fixture
def sim():
    return simulate
