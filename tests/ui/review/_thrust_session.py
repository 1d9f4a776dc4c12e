"""A V session recorded as the trainer records one, with a clean thrust and one that eases off its
preload."""

from __future__ import annotations

from pathlib import Path

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.simulator import Noise, Sim, technique


def thrust_session(folder: Path) -> Path:
    """A V session recorded as the trainer records one: a thrust made cleanly, then one that
    eases 30 N off the preload before it (flagged)."""
    scheme = GradingScheme(40.0, 120.0).with_target("V")
    sim = Sim(40.0, 120.0, seed=4)
    technique("III", sim, scheme, cycles=20)        # (more rows than the list shows)
    technique("V", sim, scheme, preload_n=150.0, peak_n=600.0, ttp_ms=120.0)
    technique("V", sim, scheme, preload_n=150.0, peak_n=600.0, ttp_ms=120.0, letup_n=30.0)
    technique("III", sim, scheme, cycles=20)
    t, y = sim.sample(200.0, Noise(noise_n=0.3, tremor_n=0.4))
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee="ana", technique="PA L4", target="V",
                       r1_n=40.0, r2_n=120.0)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    w.flush()
    w.append_events(analyze_input(load_input(folder), scheme))
    w.close(200.0)
    return folder
