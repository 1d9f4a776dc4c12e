"""Review and report figures: open time and scrub frame rate for a long session, report time
for a class.

    python benchmarks/bench_review.py [--minutes 60] [--class-size 30] [--class-minutes 3]

Generates everything into a temporary folder: a session of ``--minutes`` of 1 kHz force
(the simulator's mixed technique, repeated) with 48 kHz FLAC audio and the events of the
real analysis, and a class of ``--class-size`` sessions of ``--class-minutes`` each, whose HTML and
CSV report is made in this process through the command line's entry point (``gradecoach report
--class``). Prints the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.replay import analyze_input, load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402
from firmware_bridge.simulator import Noise, Sim, mixed  # noqa: E402

R1, R2 = 40.0, 120.0


def make_long_session(folder: Path, minutes: float, force_hz: float = 1000.0, audio_hz: int = 48000,
                      seed: int = 0, audio: bool = True) -> Path:
    scheme = GradingScheme(R1, R2)
    sim = Sim(R1, R2, seed=seed)
    while sim.t < minutes * 60:
        mixed(sim, scheme)
    t, y = sim.sample(force_hz, Noise())
    keep = t < minutes * 60
    t, y = t[keep], y[keep]
    meta = SessionMeta(trainee=f"trainee{seed % 7}", technique="PA L4", target="III", r1_n=R1, r2_n=R2,
                       created=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1.7e9 + seed * 86400)))
    w = SessionWriter(folder, meta, flush_s=1e9)
    step = int(60 * force_hz)
    for a in range(0, len(t), step):
        w.append_force(t[a:a + step], y[a:a + step])
    if audio:
        rng = np.random.default_rng(seed)
        with sf.SoundFile(str(folder / "audio.flac"), "w", audio_hz, 1, subtype="PCM_16") as f:
            for _ in range(int(np.ceil(t[-1] / 60))):
                f.write((0.02 * rng.standard_normal(60 * audio_hz)).astype(np.float32))
        meta.streams["audio"] = {"file": "audio.flac", "rate_hz": audio_hz}
    w.flush()
    w.append_events(analyze_input(load_input(folder), scheme.with_target("III")))
    w.close(force_hz)
    return folder


def bench_open_and_scrub(folder: Path, frames: int = 120) -> None:
    from PySide6.QtWidgets import QApplication
    from ui.review.window import ReviewWindow
    app = QApplication.instance() or QApplication([])
    win = ReviewWindow()
    win.resize(1600, 1000)
    win.show()
    app.processEvents()
    t0 = time.perf_counter()
    rs = win.open_session(folder)
    win.grab()                                          # first frame painted
    t_open = time.perf_counter() - t0
    view = win.session_view
    while view._audio_job is not None:
        app.processEvents()
        view.tick()
        time.sleep(0.01)
    t_audio = time.perf_counter() - t0
    n = len(rs.inp.force.t_s)
    print(f"open: {n} force samples ({n / 60000:.0f} min at 1 kHz), {len(rs.events)} events "
          f"(from {rs.source}): {t_open:.2f} s to the first painted frame; "
          f"audio overview ready after {t_audio:.2f} s (background)")
    dur = view.playhead.duration_s
    for width in (20.0, 600.0):
        view.detail.setXRange(0, width, padding=0)
        ts = np.linspace(0.02 * dur, 0.98 * dur, frames)
        t0 = time.perf_counter()
        for t in ts:
            view.seek(float(t))
            view.grab()
        el = time.perf_counter() - t0
        print(f"scrub, {width:.0f} s detail window: {frames / el:.1f} frames/s ({1000 * el / frames:.1f} ms per frame)")
    win.close()


def bench_class(root: Path, size: int, minutes: float) -> None:
    from ui.cli import main
    t0 = time.perf_counter()
    for i in range(size):
        make_long_session(root / f"s{i:02d}", minutes, seed=100 + i, audio=False)
    print(f"class: generated {size} sessions of {minutes:g} min in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    rc = main(["report", "--class", str(root), "-o", str(root / "class.html"), "--csv", str(root / "class.csv")])
    el = time.perf_counter() - t0
    size_mb = (root / "class.html").stat().st_size / 1e6
    print(f"class report: {size} sessions in {el:.1f} s (exit {rc}, {size_mb:.1f} MB HTML)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--class-size", type=int, default=30)
    ap.add_argument("--class-minutes", type=float, default=3.0)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        t0 = time.perf_counter()
        make_long_session(d / "long", a.minutes)
        print(f"generated a {a.minutes:g} min session (1 kHz force, 48 kHz FLAC, analysed) "
              f"in {time.perf_counter() - t0:.1f} s")
        bench_open_and_scrub(d / "long")
        bench_class(d / "class", a.class_size, a.class_minutes)


if __name__ == "__main__":
    main()
