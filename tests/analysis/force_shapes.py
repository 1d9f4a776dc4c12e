"""Force shapes built from half-cosine ramps at 1 kHz, and the force analysis of one fed in chunks."""

from __future__ import annotations

import numpy as np

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme

FS = 1000


def hc(a: float, b: float, s: float) -> np.ndarray:
    """From ``a`` to ``b`` N in ``s`` seconds along half a cosine."""
    n = int(round(s * FS))
    return a + (b - a) * (1 - np.cos(np.pi * np.arange(n) / n)) / 2


def analyse(y, sizes=None, r1: float = 40.0, r2: float = 120.0):
    """Events (as dicts) and notes of ``y`` fed in chunks of ``sizes`` (then the rest)."""
    t = np.arange(len(y)) / FS
    p = ForceProcessor(GradingScheme(r1, r2))
    ev, i = [], 0
    for n in sizes or []:
        ev += p.feed_arrays(t[i:i + n], y[i:i + n])
        i += n
    ev += p.feed_arrays(t[i:], y[i:]) + p.finish()
    return [e.to_dict() for e in ev], p.notes()
