"""A set of small steady force oscillations between a trough and a crest, with noise or tremor if
asked."""

from __future__ import annotations

import numpy as np

RATE = 1000.0


def a_set(trough_n: float, crest_n: float, cycles: int = 8, freq_hz: float = 1.0, noise_n: float = 0.0,
          tremor_n: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Rest at 0, a ramp to the trough, ``cycles`` cycles trough → crest → trough, a ramp back."""
    def hold(v, s):
        return np.full(int(s * RATE), float(v))
    osc = np.arange(int(cycles / freq_hz * RATE)) / RATE
    y = np.concatenate([hold(0, 1), np.linspace(0, trough_n, int(RATE), endpoint=False), hold(trough_n, 0.5),
                        trough_n + (crest_n - trough_n) * (1 - np.cos(2 * np.pi * freq_hz * osc)) / 2,
                        hold(trough_n, 0.5), np.linspace(trough_n, 0, int(RATE), endpoint=False), hold(0, 1)])
    t = np.arange(len(y)) / RATE
    rng = np.random.default_rng(7)
    return t, y + noise_n * rng.standard_normal(len(y)) + tremor_n * np.sin(2 * np.pi * 9.0 * t)
