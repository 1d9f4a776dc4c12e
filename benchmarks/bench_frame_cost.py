"""CPU of the trainer's frames: what one frame (the window's refresh and its paint) costs the
window's thread, with the thrusts of ``fixtures/thrust_pops`` and their sound on screen.

    .venv/bin/python benchmarks/bench_frame_cost.py [--tab thrust|movement] [--chunk-ms 25]

The recording is fed to the trainer's engine in pieces (``--chunk-ms`` of force, the sound
beside it), not in real time, and a frame is drawn (offscreen, 1366 x 768) after each piece of
force, as the frame timer would; ``--tab`` says which tab is in front (the HVLA tab by default,
as with a thrust target; ``movement``: the movement diagram). Printed: the frames' CPU
(``time.thread_time``; the analysis of the pieces is not counted) mean, median and 95th
percentile, leaving out the first second, and then how long a full collection of the garbage
collector takes (the window's collector makes one every few minutes, ``ui.main_thread_gc``; it
holds the interpreter while it runs). The window's thread shares the interpreter with the
analysis (docs/trainer.md): what it spends is time the analysis may wait.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tab", choices=("thrust", "movement"), default="thrust")
    ap.add_argument("--chunk-ms", type=float, default=25.0)
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from analysis.scheme import GradingScheme
    from analysis.thrust import ThrustScheme
    from firmware_bridge.replay import iter_chunks, load_input
    from ui.trainer.app import ensure_app
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow

    ensure_app()
    fix = ROOT / "fixtures" / "thrust_pops.csv"
    eng = Engine(GradingScheme(40.0, 120.0), ThrustScheme(), clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("demo manikin", 40.0, 120.0), target=Target.parse("V"),
                        start_timer=False)
    win.resize(1366, 768)
    win.show()
    win.tabs.setCurrentIndex(0 if args.tab == "thrust" else 1)
    costs, t_first = [], None
    for ch in iter_chunks(load_input(fix, audio=fix.with_suffix(".flac")), args.chunk_ms / 1e3):
        eng.feed(ch)
        if ch.stream != "force":
            continue
        t_first = float(ch.t_s[0]) if t_first is None else t_first
        start = time.thread_time()
        win.refresh()
        QApplication.processEvents()
        if float(ch.t_s[0]) - t_first >= 1.0:
            costs.append(time.thread_time() - start)
    c = np.array(costs) * 1e3
    print(f"{len(c)} frames of {fix.name} ({args.chunk_ms:g} ms of force each), the {args.tab} tab in front: "
          f"CPU a frame mean {c.mean():.2f} ms, median {np.median(c):.2f} ms, 95th percentile "
          f"{np.percentile(c, 95):.2f} ms")
    # a full collection, as the window's collector timer makes one every few minutes
    # (ui.main_thread_gc): it holds the interpreter, and the analysis, while it runs
    took = []
    for _ in range(3):
        start = time.perf_counter()
        gc.collect(2)
        took.append(time.perf_counter() - start)
    print(f"a full collection of the garbage collector: {1e3 * min(took):.1f}-{1e3 * max(took):.1f} ms "
          f"(three), {len(gc.get_objects())} objects in its sight, {gc.get_freeze_count()} frozen")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
