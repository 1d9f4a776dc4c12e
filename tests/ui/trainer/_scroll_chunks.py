"""Force chunks of a 1.5 Hz oscillation, and the gap spans a trainer plot shades."""

from __future__ import annotations

import numpy as np

from analysis.chunk import Chunk


def chunk(t0: float, t1: float) -> Chunk:
    t = np.arange(t0, t1, 0.001)
    return Chunk(t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t), int(round(t0 * 1000)), "force", 1000.0)


def shaded(plot) -> list[tuple[float, float]]:
    return [tuple(round(v, 2) for v in r.getRegion()) for r in plot.gap_items if r.isVisible()]
