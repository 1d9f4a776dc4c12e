"""Record a live source into a session folder: source → Analyzer → SessionWriter.

Samples are appended as they arrive and flushed at least twice a second, so a hard kill loses
at most the last half second and the folder still opens (with a warning). Disconnects are
marked as gaps in session.json and the recording goes on.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np

from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.sources import Source


def record(source: Source, writer: SessionWriter, scheme: GradingScheme, duration_s: float | None = None,
           status: Callable[[str], None] | None = None, stop: Callable[[], bool] = lambda: False,
           clock: Callable[[], float] = time.monotonic) -> dict:
    """Run until ``duration_s`` of data, ``stop()`` or the source ends; returns counts."""
    a = Analyzer(scheme, streams=("force",))
    writer.append_events(a.start_events())
    t_first = None
    last_status = clock()
    last_grade = "–"
    n = 0
    seen_t = -np.inf
    while not stop():
        chunks = source.read(0.1)
        for c in chunks:
            if c.stream == "force":
                writer.append_force(c.t_s, c.values)
                n += len(c)
                t_first = float(c.t_s[0]) if t_first is None else t_first
                seen_t = float(c.t_s[-1])
            elif c.stream == "imu":
                writer.append_imu(c.t_s, c.values)
            ev = a.feed(c)
            writer.append_events(ev)
            for e in ev:
                if e.TYPE == "cycle" and e.grade:
                    last_grade = e.grade + (e.modifier or "")
        for nt in source.notices():
            if nt.kind == "reconnected" and nt.t_s is not None:
                writer.mark_gap(nt.t_s, nt.t_end_s or nt.t_s, "disconnected")
            if status:
                status(nt.message)
        now = clock()
        if status and now - last_status >= 1.0:
            st = source.stats
            status(f"{seen_t if np.isfinite(seen_t) else 0:7.1f} s  rate {source.info.get('rate_hz', 0):.0f} Hz  "
                   f"samples {n}  dropped {st.dropped}  CRC errors {st.crc_errors}  last grade {last_grade}")
            last_status = now
        if duration_s is not None and t_first is not None and seen_t - t_first >= duration_s:
            break
        if not chunks and getattr(source, "exhausted", False):
            break
    writer.append_events(a.finish())
    return {"samples": n}


def new_meta(source: Source, scheme: GradingScheme, trainee: str = "", technique: str = "",
             target: str | None = None) -> SessionMeta:
    return SessionMeta(trainee=trainee, technique=technique, target=target, r1_n=scheme.r1_n, r2_n=scheme.r2_n,
                       alpha=scheme.alpha,
                       sensor={"name": source.info.get("name", source.spec), "description": source.spec,
                               "force_units": "N", "device": {k: v for k, v in source.info.items()
                                                               if isinstance(v, (str, int, float, bool))}})
