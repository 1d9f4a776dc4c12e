"""Slow small force cycles with a wobble on them, for the wobble rule's tests."""

from __future__ import annotations

import numpy as np

FS = 1000


def _slow_set(wobble_n: float, wobble_hz: float, freq_hz: float = 0.3, n: int = 8, seed: int = 0):
    """Rest, ramp, ``n`` cycles 16-24 N at ``freq_hz`` with a ``wobble_n`` sine on them, ramp out."""
    t = np.arange(0, n / freq_hz, 1 / FS)
    y = 20 - 4 * np.cos(2 * np.pi * freq_hz * t) + wobble_n * np.sin(2 * np.pi * wobble_hz * t + 1.0)
    y = np.concatenate([np.full(1500, 1.0), np.linspace(1, y[0], FS), y, np.linspace(y[-1], 1, FS),
                        np.full(1500, 1.0)])
    y = y + np.random.default_rng(seed).normal(0, 0.3, len(y))
    return np.arange(len(y)) / FS, y
