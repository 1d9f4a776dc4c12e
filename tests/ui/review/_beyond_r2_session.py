"""A session whose every crest is beyond R2."""

from __future__ import annotations

from firmware_bridge.session import SessionMeta, SessionWriter
from tests.analysis._small_oscillations import RATE, a_set


def _session(folder, created: str, r1: float | None, r2: float | None):
    """Four cycles from 20 N to 80 N, no stored events: R2 50 N puts every crest beyond it."""
    t, y = a_set(20.0, 80.0, cycles=4)
    w = SessionWriter(folder, SessionMeta(created=created, trainee=folder.name, technique="PA L4", target="III",
                                          r1_n=r1, r2_n=r2), flush_s=1e9)
    w.append_force(t, y)
    w.close(RATE)
    return folder
