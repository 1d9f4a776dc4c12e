"""Trainer window under load: 1 kHz force + 48 kHz audio, offscreen, real time, 2 cores.

Prints frames per second, dropped samples, GUI-thread stalls (lateness of a 10 ms timer, p99)
and sample-to-screen latency (p99: from the moment a sample is due at the source until the
force plot has been painted with it). The acquisition worker, the analysis (force and, when
the cavitation detector is present, audio) and the frame timer all run as in live use.

    .venv/bin/python benchmarks/bench_gui.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FORCE_HZ, AUDIO_HZ = 1000.0, 48000.0
STALL_TICK_MS = 10


def signals(seconds: float, seed: int = 0):
    """Oscillating force (grade III around R1 40 N / R2 120 N) and room-noise audio with clicks."""
    rng = np.random.default_rng(seed)
    tf = np.arange(int(seconds * FORCE_HZ)) / FORCE_HZ
    f = 70 + 30 * np.sin(2 * np.pi * 1.5 * tf) + 0.3 * rng.standard_normal(len(tf))
    ta = np.arange(int(seconds * AUDIO_HZ)) / AUDIO_HZ
    a = (0.01 * rng.standard_normal(len(ta))).astype(np.float32)
    for k in rng.integers(0, len(a) - 500, size=int(seconds)):
        a[k:k + 300] += (0.5 * np.exp(-np.arange(300) / 60) * np.sin(np.arange(300) * 0.05)).astype(np.float32)
    return {"force": (tf, f), "audio": (ta, a)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="seconds measured, after the warm-up [20]")
    ap.add_argument("--frame-hz", type=float, default=None, help="the window's redraw rate (default: the trainer's own)")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])

    from PySide6.QtCore import QTimer

    from analysis.chunk import Chunk
    from analysis.scheme import GradingScheme
    from firmware_bridge.sources import ArraySource
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer import window as window_mod

    app = ensure_app()

    class Source(ArraySource):
        def read(self, timeout_s: float = 0.1):
            out = super().read(timeout_s)
            # audio chunks carry their rate like a microphone source does
            return [Chunk(c.t_s, c.values, c.seq0, c.stream, AUDIO_HZ) if c.stream == "audio" else c for c in out]

    streams = signals(args.seconds + 2.0)
    src = Source(streams, chunk_s=0.01)
    src.spec = "bench:1kHz+48kHz"
    src.info.update(name="synthetic 1 kHz force + 48 kHz audio", rate_hz=FORCE_HZ)
    eng = Engine(GradingScheme(40.0, 120.0))
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.01)
    frame_hz = args.frame_hz or window_mod.FRAME_HZ
    win = window_mod.TrainerWindow(eng, worker, target=Target.parse("III", rate_hz=1.5),
                                   calibration=Calibration("bench", 40.0, 120.0), frame_hz=frame_hz)
    win.resize(1366, 768)
    win.show()

    lat_ms: list[float] = []
    state = {"drawn_upto": None, "pending": None}

    def on_frame(w) -> None:
        # the first sample not drawn before this frame is the one that waited longest
        t_last = w.force_plot.drawn.get("t_last")
        if t_last is None:
            return
        prev = state["drawn_upto"]
        if prev is None or t_last > prev:
            state["pending"] = (prev if prev is not None else t_last) + 1.0 / FORCE_HZ
            state["drawn_upto"] = t_last

    def on_paint() -> None:
        if state["pending"] is None or src.pacer._t0_wall is None:
            return
        due = src.pacer._t0_wall + (state["pending"] - src.pacer._t0_data)
        lat_ms.append(1000.0 * (time.monotonic() - due))
        state["pending"] = None

    win.frame_hooks.append(on_frame)
    win.force_plot.paint_hooks.append(on_paint)

    lateness: list[float] = []
    last = [None]

    def tick() -> None:
        now = time.monotonic()
        if last[0] is not None:
            lateness.append(1000.0 * (now - last[0]) - STALL_TICK_MS)
        last[0] = now

    stall = QTimer()
    stall.setInterval(STALL_TICK_MS)
    stall.timeout.connect(tick)

    warm_s = 2.0
    worker.start()
    stall.start()
    marks = {}

    def begin() -> None:
        marks["frames0"], marks["t0"] = win.frames, time.monotonic()
        lateness.clear()
        lat_ms.clear()

    def end() -> None:
        marks["frames1"], marks["t1"] = win.frames, time.monotonic()
        app.quit()

    QTimer.singleShot(int(warm_s * 1000), begin)
    QTimer.singleShot(int((warm_s + args.seconds) * 1000), end)
    app.exec()
    stall.stop()
    win.timer.stop()
    worker.stop()
    wall = marks["t1"] - marks["t0"]
    fps = (marks["frames1"] - marks["frames0"]) / wall
    sent_force = src._pos["force"]
    sent_audio = src._pos["audio"]
    lost = (sent_force - eng.samples.get("force", 0)) + (sent_audio - eng.samples.get("audio", 0)) + eng.dropped
    print(f"bench_gui: {args.seconds:g} s measured after {warm_s:g} s warm-up, offscreen, "
          f"{len(os.sched_getaffinity(0))} cores, window 1366x768, frame timer {frame_hz:g} Hz")
    print(f"  samples through the pipeline: force {eng.samples.get('force', 0)}, audio {eng.samples.get('audio', 0)}"
          f" (pop detector: {eng.disabled.get('audio') or ('on' if 'audio' in eng.analyzer.processors else 'absent')})")
    print(f"  frames per second:              {fps:.1f}   (need >= 30)")
    print(f"  dropped samples:                {lost}   (need 0)")
    print(f"  GUI-thread stall p99:           {np.percentile(lateness, 99):.1f} ms "
          f"(max {max(lateness):.1f} ms, {len(lateness)} ticks)   (need <= 50)")
    print(f"  sample-to-screen latency p99:   {np.percentile(lat_ms, 99):.1f} ms "
          f"(median {np.median(lat_ms):.1f} ms, {len(lat_ms)} frames)   (need <= 100)")
    if eng.error:
        print(f"  acquisition error: {eng.error}")
    win.close()
    return 0 if eng.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
