"""A session played into the trainer aiming at a target of its own, and the targets the tests give
it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from ui.cli import main

OWN_V = {"grade": "V", "modifier": None, "rate_hz": None, "preload_n": [120.0, 135.0], "peak_n": [500.0, 700.0],
         "text": "V"}
OWN_III = {"grade": "III", "modifier": "+", "rate_hz": 1.2, "preload_n": None, "peak_n": None, "text": "III+"}


def played_session(folder: Path, work: Path, target: str = "V", detail: dict | None = None,
                   trainee: str = "anna", technique: str = "HVLA T6", **extra) -> Path:
    """A session folder of 3 s of force around one simulated thrust (preload 149 N, peak 598 N),
    R1 40 N and R2 120 N, recorded by the trainer aiming at ``target`` with ``detail`` (its
    ``target_detail``), of ``trainee`` practising ``technique``; ``extra`` more of session.json's extra."""
    csv = work / "thrust.csv"
    if not csv.exists():
        assert main(["simulate", "--thrust", "--seed", "4", "-o", str(csv)]) == 0
    f = load_input(csv).force
    keep = (f.t_s >= 2.2) & (f.t_s < 5.2)
    meta = SessionMeta(trainee=trainee, technique=technique, target=target, r1_n=40.0, r2_n=120.0)
    meta.extra.update(target_detail=dict(detail or {}), feedback="concurrent", **extra)
    sw = SessionWriter(folder, meta)
    sw.append_force(np.round(f.t_s[keep] - 2.2, 6), f.values[keep])
    sw.close(f.rate_hz)
    return folder
