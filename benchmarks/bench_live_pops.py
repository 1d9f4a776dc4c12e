"""Live latency of pops as the trainer gives them: from the moment a pop's onset is captured
to the moment the trainer's analysis gives its event, in real time, wall clock.

    .venv/bin/python benchmarks/bench_live_pops.py [--recordings 3] [--gui] [--imu] [--packets-ms 12.5]
        [--mic-block-ms 10 --mic-turn-ms 20] [--switch-ms 1] [--load 1]

Each recording is a simulated thrust session with sound (``gradecoach simulate --thrust --audio
48000``, times to peak 60-150 ms). Its force is played by the emulator's source (in real time,
10 ms pieces) and its sound by a microphone whose PortAudio stream delivers the recording in
blocks of the microphone's own length at the pace a sound card would (this machine has none):
the trainer's acquisition worker, the microphone's queue and placement on the timeline, the
engine and its analysis all run as in live use. ``--gui`` runs the trainer's window (offscreen)
too, drawing at its own rate, as a trainee sees it; ``--imu`` plays a worn IMU's data and no force
(``simulate --grade V --sets 3 --imu 500 --audio 16000``: three thrusts, sound at 16 kHz);
``--packets-ms`` gives the force (or the IMU's data) in packets that far apart, as a BLE sensor
sends it; ``--mic-block-ms`` and ``--mic-turn-ms`` set the microphone's
block and the longest wait for the source between two turns of the microphone (the trainer's own
by default; 10 and 20 are how the trainer read the microphone before); ``--switch-ms`` the interpreter's switch
interval, how long a thread that wants it waits at most for another to let it go (Python's 5 ms
by default); ``--load`` keeps that many other processes spinning on the CPU all the while (each
wants a whole core), as on a shared machine where something else is busy.

A pop's latency is the wall time its event was given less the time its onset sample was captured
(the stream's start plus the onset's sample index over the rate); onsets are those the detector
gives on the whole recording. Printed: median, 95th percentile, maximum and how many over 50 ms,
of all pops and of those tied to a thrust, of those a block of sound's feed gave and of those a
feed of the force gave (the pop waited for the force to pass it, to tie it to its thrust; with the
force's data time then), and the latency in data time (onset to the end of the block whose feed
gave the event) for comparison, which leaves out the wait between a block's
capture and its feed and the time the feed takes; where that time went, for the feeds that gave
pops: the stream handing the block over after it was due (a real stream's callback needs the
interpreter too), the wait for the acquisition thread to feed it, and the feed itself (both
stretched when the window's drawing holds the interpreter; of the feed, the wait for the engine's
lock, which the window takes to copy what it draws); and the process's CPU while playing
(with ``--gui``, also the window's thread's: its CPU a frame).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from firmware_bridge.sources import ArraySource  # noqa: E402


class PacedStream:
    """A sounddevice ``InputStream`` stand-in that hands ``audio`` (int16, (n, ch)) to the
    callback in blocks of ``blocksize`` at the sound card's pace, each when its last sample is
    due (from ``start()``)."""

    def __init__(self, audio: np.ndarray, blocksize: int, samplerate: float, callback, finished_callback=None,
                 **_) -> None:
        self.audio, self.block, self.rate = audio, int(blocksize), float(samplerate)
        self.callback, self.finished = callback, finished_callback
        self.t_start: float | None = None
        self.delivered: list[tuple[float, float]] = []     # each block: when due, when handed over
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self.active = False

    def start(self) -> None:
        self.t_start = time.monotonic()
        self.active = True
        self._thread = threading.Thread(target=self._run, name="paced-audio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        n = len(self.audio) // self.block
        for i in range(n):
            due = self.t_start + (i + 1) * self.block / self.rate
            wait = due - time.monotonic()
            if wait > 0 and self._halt.wait(wait):
                break
            handed = time.monotonic()
            self.callback(self.audio[i * self.block:(i + 1) * self.block], self.block, None, None)
            self.delivered.append((due, handed))
        self.active = False
        if self.finished is not None:
            self.finished()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join()

    close = abort = stop


def paced_sounddevice(audio: np.ndarray, rate: float, streams: list):
    """A stand-in for the ``sounddevice`` module with one input, ``audio`` played in real time."""
    import types

    sd = types.SimpleNamespace()

    class PortAudioError(Exception):
        pass

    sd.PortAudioError = PortAudioError
    sd.query_devices = lambda device=None, kind=None: {"name": "paced recording", "default_samplerate": rate,
                                                      "max_input_channels": audio.shape[1]}
    sd.check_input_settings = lambda *a, **k: None

    def input_stream(**kw):
        s = PacedStream(audio, **kw)
        streams.append(s)
        return s

    sd.InputStream = input_stream
    return sd


def simulated(folder: Path, seed: int, ttp_ms: float, imu: bool = False) -> Path:
    """A simulated thrust recording with sound: six thrusts at 48 kHz, or with ``imu`` a worn
    IMU's three (500 Hz, sound at 16 kHz, as ``bench_imu.py --pops``)."""
    from ui.cli import main as cli
    csv = folder / f"t{seed}.csv"
    what = (["--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000"] if imu else
            ["--thrust", "--sets", "6", "--audio", "48000"])
    with contextlib.redirect_stdout(io.StringIO()):
        cli(["simulate", *what, "--time-to-peak", f"{ttp_ms:.0f}", "--seed", str(seed), "-o", str(csv)])
    return csv


class PacketSource(ArraySource):
    """The force in packets ``every_s`` apart (a BLE sensor's notifications): ``read`` waits for
    the next packet as a queue-fed source does (serial, BLE), and gives nothing when it is not due
    within the time it may wait."""

    def __init__(self, t: np.ndarray, v: np.ndarray, every_s: float, stream: str = "force") -> None:
        super().__init__({stream: (t, v)}, chunk_s=every_s)

    def read(self, timeout_s: float = 0.1):
        wait = self.pacer.due(self._t_next + self.chunk_s)
        if wait > timeout_s:
            self.pacer.sleep(timeout_s)
            return []
        if wait > 0:
            self.pacer.sleep(wait)
        return super().read(0.0)


def sound_offset(live: list[float], truth: np.ndarray, within_s: float = 0.005) -> float:
    """The shift of the sound's live timeline (the force's) from its own sample time: of the
    shifts that put the first pop given live on one of the whole recording's, the one that puts
    the most of them on one within ``within_s``, the least of those (the nearest to the first pop
    put the pops of a cluster 14-19 ms apart on their neighbours: runs timed 119 of 123 pops)."""
    if not len(live) or not len(truth):
        return 0.0
    live_t = np.asarray(live, dtype=np.float64)

    def matched(shift: float) -> tuple[int, float]:     # (of shifts that match as many: the least)
        d = np.min(np.abs((live_t - shift)[:, None] - truth[None, :]), axis=1)
        return int(np.sum(d <= within_s)), -abs(shift)

    return max((live_t[0] - t for t in truth), key=matched)


def play(csv: Path, gui: bool, packet_s: float | None = None,
         imu: bool = False, record: Path | None = None) -> tuple[list[float], list[bool], list[float], tuple[float, float, float, int],
                                     list[tuple], tuple, list[float]]:
    """One recording played live: each pop's latency (s), whether it was tied to a thrust, its
    latency in data time, the process's CPU seconds, the wall seconds of the play, the CPU seconds
    of the thread that ran the window (with ``gui``) and the frames it drew, and for
    each feed of sound that gave pops, where its last block's time went (s): from when it was due
    to when the stream handed it over, from then to the feed's start, from then until the feed had
    the engine's lock, and the feed itself (that wait included); the counts of pops; and for each
    pop a feed of the force (or the IMU's data) gave, having waited for it to pass the pop, how far
    past the pop that feed's data went (s)."""
    import soundfile as sf

    import firmware_bridge.audio as audio_mod
    from analysis.chunk import Chunk
    from analysis.events import CavitationEvent
    from analysis.scheme import GradingScheme
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.microphone import open_microphone
    from analysis.cavitation import CavitationDetector

    tf = np.loadtxt(csv.with_suffix(".imu.csv") if imu else csv, delimiter=",", skiprows=1, comments="#")
    stream = "imu" if imu else "force"
    values = tf[:, 1:] if imu else tf[:, 1]
    x, rate = sf.read(str(csv.with_suffix(".flac")), dtype="int16", always_2d=True)
    # the onsets, from the detector on the whole recording (in the sound's own sample time)
    det = CavitationDetector()
    xf = x[:, 0].astype(np.float32) / 32768.0
    t_audio = np.arange(len(xf)) / rate
    truth = np.array([e.t for e in det.feed(Chunk(t_audio, xf, 0, "audio", float(rate)))]
                     + [e.t for e in det.finish()])

    streams: list[PacedStream] = []
    real_sd = audio_mod._sd
    audio_mod._sd = lambda: paced_sounddevice(x, float(rate), streams)
    try:
        mic = open_microphone("default", float(rate))          # as the trainer opens one
    finally:
        audio_mod._sd = real_sd
    src = (ArraySource({stream: (tf[:, 0], values)}) if packet_s is None
           else PacketSource(tf[:, 0], values, packet_s, stream))
    src.info.update(name="simulated thrusts", rate_hz=1.0 / float(np.median(np.diff(tf[:, 0]))))
    eng = Engine(GradingScheme(r1_n=40.0, r2_n=120.0))       # the simulator's calibration
    given: list[tuple[float, CavitationEvent, float, bool]] = []
    # feeds of sound that gave pops: samples fed by their end, start, the engine's lock had, end
    feeds: list[tuple[int, float, float, float]] = []
    n_fed = 0
    feed = eng.feed

    def feed_timed(chunk, gen=None):
        nonlocal n_fed
        start = time.monotonic()
        with eng.lock:                  # (the feed's own: re-entrant, so here its wait is seen)
            locked = time.monotonic()
            out = feed(chunk, gen)
        now = time.monotonic()
        pops = [e for e in out if isinstance(e, CavitationEvent)]
        if chunk.stream == "audio":
            n_fed += len(chunk.t_s)
            if pops:
                feeds.append((n_fed, start, locked, now))
        given.extend((now, e, float(chunk.t_s[-1]), chunk.stream == "audio") for e in pops)
        return out

    eng.feed = feed_timed
    window = None
    if gui:
        from ui.trainer.app import ensure_app
        from ui.trainer.window import TrainerWindow
        app = ensure_app()
        window = TrainerWindow(eng)
        window.show()
    if record is not None:                      # a session recorded into a folder under ``record``
        from ui.trainer.recording import start_recorder
        eng.start_recording(start_recorder(record, eng.scheme, eng.thrust_scheme, force=True))
    worker = AcquisitionWorker(src, eng, mic=mic)
    cpu0, gui0 = time.process_time(), time.thread_time()
    worker.start()
    t_end = len(x) / rate + 1.0
    t0 = time.monotonic()
    while time.monotonic() - t0 < t_end:
        if gui:
            app.processEvents()
            time.sleep(0.002)
        else:
            time.sleep(0.05)
    worker.stop()
    if record is not None:
        eng.stop_recording()
    # (this thread runs the window: its CPU is the drawing's, and the frames it drew)
    cpu = (time.process_time() - cpu0, time.monotonic() - t0, time.thread_time() - gui0,
           window.frames if window is not None else 0)
    if window is not None:
        window.close()
    start = streams[0].t_start
    lat, tied, lat_data, waited, placed = [], [], [], [], []
    offset = sound_offset([e.t for _, e, _, _ in given], truth)    # the sound's time on the force's timeline
    for now, e, t_end, by_sound in (given if len(truth) else []):
        j = int(np.argmin(np.abs(truth - (e.t - offset))))
        if abs(truth[j] - (e.t - offset)) > 0.005:
            continue
        placed.append(e.t - offset - truth[j])
        lat.append(now - (start + truth[j]))
        tied.append(e.thrust is not None)
        # data time: of the sound to the end of the block that gave it; of the force (the pop waited
        # for it to pass) to the end of its piece that gave it
        lat_data.append(t_end - e.t if by_sound else np.nan)
        if not by_sound:
            waited.append(t_end - e.t)
    parts = []
    for n, fed_from, locked, fed_to in feeds:
        i = n // streams[0].block - 1
        if 0 <= i < len(streams[0].delivered):
            due, handed = streams[0].delivered[i]
            parts.append((handed - due, fed_from - handed, locked - fed_from, fed_to - fed_from))
    # how far each pop's place on the timeline strayed from the recording's (the audio clock's error)
    counts = (len(truth), len(given), len(lat), float(np.max(np.abs(np.array(placed) - np.median(placed)))) if placed else 0.0)
    if len(lat) < len(truth):                  # which of the whole recording's pops were not timed live
        live_t = np.array([e.t for _, e, _, _ in given]) - offset
        missed = [round(float(t), 3) for t in truth if not len(live_t) or np.min(np.abs(live_t - t)) > 0.005]
        print(f"  {csv.name}: pops given live {len(given)}, of the whole recording's {len(truth)}; not timed: {missed}",
              flush=True)
    return lat, tied, lat_data, cpu, parts, counts, waited


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recordings", type=int, default=3)
    ap.add_argument("--gui", action="store_true", help="run the trainer's window (offscreen) too")
    ap.add_argument("--imu", action="store_true",
                    help="a worn IMU and no force sensor (the pops tied to the IMU's thrusts)")
    ap.add_argument("--mic-block-ms", type=float, default=None,
                    help="the microphone's blocks (default the trainer's, ui.trainer.microphone.MIC_BLOCK_S)")
    ap.add_argument("--mic-turn-ms", type=float, default=None,
                    help="how long the worker may wait for the source between two turns of the microphone "
                         "(default the trainer's, MIC_TURN_S; 20, the worker's read timeout: no bound)")
    ap.add_argument("--packets-ms", type=float, default=None,
                    help="the force (or with --imu the IMU's data) in packets this far apart, as a BLE sensor "
                         "sends it (default: the emulator's source, which gives what is due whenever it is read)")
    ap.add_argument("--record", action="store_true",
                    help="record a session while playing, as a trainee does (the recording analyses what it records too)")
    ap.add_argument("--switch-ms", type=float, default=None,
                    help="the interpreter's switch interval (sys.setswitchinterval; default Python's 5 ms)")
    ap.add_argument("--load", type=int, default=0,
                    help="keep this many other processes spinning on the CPU while playing (a busy machine)")
    args = ap.parse_args()
    if args.switch_ms is not None:
        sys.setswitchinterval(args.switch_ms / 1e3)
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 2:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])
    import ui.trainer.acquisition as acquisition
    import ui.trainer.microphone as microphone
    if args.mic_block_ms is not None:
        microphone.MIC_BLOCK_S = args.mic_block_ms / 1e3
    if args.mic_turn_ms is not None:
        acquisition.MIC_TURN_S = args.mic_turn_ms / 1e3
    with busy(args.load):
        return run(args, microphone.MIC_BLOCK_S, acquisition.MIC_TURN_S)


@contextlib.contextmanager
def busy(n: int):
    """``n`` other processes, each spinning on the CPU until the block ends."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def run(args, block_s: float, turn_s: float) -> int:
    rng = np.random.default_rng(3000)
    lat, tied, lat_data, cpu_wall, parts, waited = [], [], [], [], [], []
    counts, strayed = np.zeros(3, int), 0.0
    with tempfile.TemporaryDirectory() as d:
        for seed in range(3000, 3000 + args.recordings):
            csv = simulated(Path(d), seed, float(rng.uniform(60.0, 150.0)), args.imu)
            a, b, c, cw, p, n, w = play(csv, args.gui, None if args.packets_ms is None else args.packets_ms / 1e3, args.imu,
                                  Path(d) / "sessions" if args.record else None)
            lat, tied, lat_data, cpu_wall, parts = lat + a, tied + b, lat_data + c, cpu_wall + [cw], parts + p
            waited += w
            counts, strayed = counts + n[:3], max(strayed, n[3])
    lat, tied, lat_data = np.array(lat) * 1e3, np.array(tied, bool), np.array(lat_data) * 1e3

    def figures(v: np.ndarray) -> str:
        if not len(v):
            return "none"
        return (f"median {np.median(v):.1f} ms, 95th percentile {np.percentile(v, 95):.1f} ms, "
                f"max {np.max(v):.1f} ms, over 50 ms {int(np.sum(v > 50.0))}")

    print(f"live pops, {args.recordings} simulated thrust recordings, microphone blocks of "
          f"{1e3 * block_s:g} ms, the worker's turns at most {1e3 * turn_s:g} ms apart, "
          + ("a worn IMU's data (no force) " if args.imu else "the force ")
          + ("as the emulator gives it" if args.packets_ms is None else f"in packets {args.packets_ms:g} ms apart")
          + (", the trainer's window drawing" if args.gui else "")
          + (", a session recorded" if args.record else "")
          + (f", {args.load} other process{'es' if args.load > 1 else ''} spinning on the CPU" if args.load else "") + ":")
    print(f"  the detector gives {counts[0]} pops on the whole recordings; {counts[1]} were given live, "
          f"{counts[2]} of them timed (at a pop of the whole recording's, within 5 ms); their places on the "
          f"timeline stray at most {1e3 * strayed:.2f} ms from the whole recording's (each recording's own shift "
          f"taken off: the audio clock's error)")
    print(f"  all {len(lat)} pops, capture of the onset -> event given (wall clock): {figures(lat)}")
    print(f"  the {int(tied.sum())} tied to a thrust: {figures(lat[tied])}")
    cpu, wall, gui_cpu, frames = np.sum(cpu_wall, axis=0)
    print(f"  the process's CPU while playing: {100 * cpu / wall:.1f} % of one core ({cpu:.1f} s in {wall:.1f} s)")
    if args.gui:
        print(f"  the window's thread: {100 * gui_cpu / wall:.1f} % of one core, {frames / wall:.1f} frames a second, "
              f"{1e3 * gui_cpu / max(frames, 1):.1f} ms of CPU a frame")
    print(f"  in data time, the {int(np.isfinite(lat_data).sum())} given by a block of sound's feed (onset -> end of "
          f"that block): {figures(lat_data[np.isfinite(lat_data)])}")
    print(f"  on the wall clock, the {int(np.isfinite(lat_data).sum())} given by a block of sound's feed: "
          f"{figures(lat[np.isfinite(lat_data)])}; the {int((~np.isfinite(lat_data)).sum())} given by a feed of "
          f"the {'IMU' if args.imu else 'force'} (the sound was in; the pop waited for it): "
          f"{figures(lat[~np.isfinite(lat_data)])}; in the {'IMU' if args.imu else 'force'}'s data time (onset -> end of the "
          f"piece that gave it) {figures(1e3 * np.array(waited))}")
    if parts:
        due, wait, lock, took = (1e3 * np.array(v) for v in zip(*parts))
        print(f"  where the time after the block went, for the {len(parts)} feeds of sound that gave pops (median / max): "
              f"the stream handing the block over {np.median(due):.1f} / {np.max(due):.1f} ms, the wait for its feed "
              f"{np.median(wait):.1f} / {np.max(wait):.1f} ms, the feed {np.median(took):.1f} / {np.max(took):.1f} ms "
              f"(of which waiting for the engine's lock, which the window takes to copy what it draws, "
              f"{np.median(lock):.1f} / {np.max(lock):.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
