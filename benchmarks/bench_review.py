"""Review and report figures: open time and scrub frame rate for a long session, open time of
a long session recorded by a hand-worn IMU alone, report time for a class.

    python benchmarks/bench_review.py [--minutes 60] [--class-size 30] [--class-minutes 3]

Generates everything into a temporary folder: a session of ``--minutes`` of 1 kHz force
(the simulator's mixed technique, repeated) with 48 kHz FLAC audio and the events of the
real analysis; a session of ``--minutes`` of a 500 Hz worn IMU alone (the simulated IMU of the
mixed technique, made 5 minutes at a time) with its events, timed to the first painted frame
and to one with the hand's movement (computed on another thread) while a timer on the window's
thread measures the longest time the window did not answer; and a class of
``--class-size`` sessions of ``--class-minutes`` each, whose HTML and CSV report is made in this
process through the command line's entry point (``gradecoach report --class``); and a phone's
recording (AAC in .m4a) of ``--minutes`` (at most 60), a 2 s window of which the review reads
near its start, middle and end. Prints the figures.
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


def make_imu_session(folder: Path, minutes: float, rate_hz: float = 500.0, part_min: float = 5.0) -> Path:
    """A session of a hand-worn IMU alone (no force), with the events of the real analysis."""
    from firmware_bridge.imu_sim import imu_signal
    meta = SessionMeta(trainee="trainee0", technique="PA L4", target="V", created="2026-01-01T10:00:00")
    w = SessionWriter(folder, meta, flush_s=1e9, imu=True, force=False)
    t0, seed = 0.0, 0
    while t0 < minutes * 60 - 1e-9:        # (part by part: an hour of the simulator's fine grid is GBs)
        sim = Sim(R1, R2, seed=seed)
        part_s = min(part_min * 60, minutes * 60 - t0)
        while sim.t < part_s:
            mixed(sim, GradingScheme(R1, R2))
        t, v = imu_signal(sim, rate_hz, seed=seed, t0_s=t0)
        keep = t < t0 + part_s
        w.append_imu(t[keep], v[keep])
        t0, seed = t0 + part_s, seed + 1
    w.flush()
    w.append_events(analyze_input(load_input(folder), GradingScheme(None, None).with_target("V")))
    w.close(rate_hz)
    return folder


def bench_open_imu(folder: Path) -> None:
    """Open an IMU-only session: time until the window has drawn it, and drawn its movement, and
    the longest time the window's thread went without answering a 5 ms timer meanwhile."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from ui.review.window import ReviewWindow
    app = QApplication.instance() or QApplication([])
    win = ReviewWindow()
    win.resize(1600, 1000)
    win.show()
    app.processEvents()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    t0 = time.perf_counter()
    rs = win.open_session(folder)
    win.grab()                                          # first frame painted
    t_open = time.perf_counter() - t0
    while rs.movement is None:                          # (computed on another thread, drawn when ready)
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    win.grab()                                          # a frame painted with the movement in it
    t_drawn = time.perf_counter() - t0
    app.processEvents()
    timer.stop()
    stall = float(np.max(np.diff([t0, *ticks, time.perf_counter()])))
    n = len(rs.inp.imu.t_s)
    print(f"open IMU alone: {n} IMU samples ({n / rs.inp.imu.rate_hz / 60:.0f} min at {rs.inp.imu.rate_hz:.0f} Hz), "
          f"{len(rs.events)} events (from {rs.source}): {t_open:.2f} s to the first painted frame, "
          f"{t_drawn:.2f} s to one with the hand's movement ({len(rs.movement[0])} points); longest time the "
          f"window did not answer {stall:.2f} s")
    win.close()


def bench_phone_window(folder: Path, minutes: float, rate_hz: int = 48000) -> None:
    """The review's read of a 2 s window of a phone's recording (AAC in .m4a, 96 kbit/s, noise)
    of ``minutes``, near its start, middle and end, each from a fresh opening (as the review
    reads one), best of three; against decoding the whole file once."""
    import av

    from ui.review.trace import read_audio_window
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "phone.m4a"
    rng = np.random.default_rng(7)
    t0 = time.perf_counter()
    with av.open(str(path), "w") as box:
        a = box.add_stream("aac", rate=rate_hz)
        a.layout, a.bit_rate = "mono", 96000
        fit = av.AudioResampler(format=a.format.name, layout="mono", rate=rate_hz)
        for m in range(int(np.ceil(minutes))):
            x = (0.02 * rng.standard_normal(60 * rate_hz)).astype(np.float32)
            fr = av.AudioFrame.from_ndarray(x[None, :], format="flt", layout="mono")
            fr.sample_rate, fr.pts = rate_hz, m * 60 * rate_hz
            for p in [p for g in fit.resample(fr) for p in a.encode(g)]:
                box.mux(p)
        for p in [p for g in fit.resample(None) for p in a.encode(g)] + list(a.encode(None)):
            box.mux(p)
    print(f"generated a {np.ceil(minutes):g} min phone recording (AAC in .m4a) in {time.perf_counter() - t0:.1f} s")
    from firmware_bridge.sound_files import open_sound
    t0 = time.perf_counter()
    with open_sound(path) as f:
        n = len(f.read(dtype="float32"))
    whole = time.perf_counter() - t0
    dur = n / rate_hz
    out = []
    for at in (60.0, dur / 2, dur - 10.0):
        best = np.inf
        for _ in range(3):
            t0 = time.perf_counter()
            _, x = read_audio_window(path, at, at + 2.0)
            best = min(best, time.perf_counter() - t0)
        assert len(x) == 2 * rate_hz
        out.append(f"{at:.0f} s {1e3 * best:.1f} ms")
    print(f"phone recording, review's 2 s window read: {', '.join(out)} (decoding the whole "
          f"{dur / 60:.0f} min once: {whole:.2f} s)")


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
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n", 1)[0].split()))
    ap.add_argument("--minutes", type=float, default=60.0, metavar="MIN",
                    help="length of the long force+audio session and of the IMU-alone session, in minutes "
                         "(default: 60)")
    ap.add_argument("--class-size", type=int, default=30, metavar="N",
                    help="sessions in the class whose report is timed (default: 30)")
    ap.add_argument("--class-minutes", type=float, default=3.0, metavar="MIN",
                    help="length of each class session, in minutes (default: 3)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        t0 = time.perf_counter()
        make_long_session(d / "long", a.minutes)
        print(f"generated a {a.minutes:g} min session (1 kHz force, 48 kHz FLAC, analysed) "
              f"in {time.perf_counter() - t0:.1f} s")
        bench_open_and_scrub(d / "long")
        t0 = time.perf_counter()
        make_imu_session(d / "imu", a.minutes)
        print(f"generated a {a.minutes:g} min session (500 Hz IMU alone, analysed) in {time.perf_counter() - t0:.1f} s")
        bench_open_imu(d / "imu")
        bench_class(d / "class", a.class_size, a.class_minutes)
        bench_phone_window(d / "phone", min(a.minutes, 60.0))


if __name__ == "__main__":
    main()
