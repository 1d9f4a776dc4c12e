"""Shared test helpers: simulated recordings with ground truth, a device on a pseudo-terminal."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.simulator import Noise, Sim, mixed, technique  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# The programs the tests start are pressed Ctrl-C as a terminal presses it. A suite started as a
# background job of a shell without job control ("./test &" in a script, nohup) has SIGINT
# ignored, its programs would inherit that and never stop: the tests' processes take it back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def gc(*args, cwd=None) -> subprocess.CompletedProcess:
    """``gradecoach ARGS`` run from the repository (or ``cwd``), its exit status and output
    captured: in the test's own process (see :mod:`tests._cli_in_process`), a second or more
    quicker than a program of its own. Tests of the program around a command (its start-up,
    signals, environment, exit) use :func:`gc_program`."""
    from tests._cli_in_process import gc_here

    return gc_here(*args, cwd=cwd)


def gc_program(*args, cwd=None) -> subprocess.CompletedProcess:
    """``gradecoach ARGS`` run as a program from the repository (or ``cwd``), its output captured."""
    return subprocess.run([sys.executable, "-m", "ui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=120)


def ctrl_c_until_it_ends(p: subprocess.Popen, every_s: float, deadline: float) -> tuple[str, str]:
    """Press Ctrl-C (SIGINT) on the program ``p`` every ``every_s`` seconds from now until it
    ends, by ``deadline`` (``time.monotonic()``) at the latest. Returns its (stdout, stderr),
    checked to hold no traceback."""
    while p.poll() is None:
        p.send_signal(signal.SIGINT)
        time.sleep(every_s)
        assert time.monotonic() < deadline
    said, told = p.communicate(timeout=60)
    assert "Traceback" not in told, told
    return said, told


def pressed_script(script: str) -> subprocess.CompletedProcess:
    """The Python ``script`` run as a program from the repository, with Ctrl-C as a terminal gives
    it (the default disposition: the script presses it on itself at the moment it tests), its
    output captured and checked to hold no traceback."""
    p = subprocess.run([sys.executable, "-c", script], cwd=ROOT, text=True, capture_output=True, timeout=60,
                       preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert "Traceback" not in p.stderr, p.stderr
    return p


def class_folder(folder: Path, *trainees: str) -> Path:
    """A class's folder of recorded sessions: ``folder/NAME`` for each of ``trainees`` (3 cycles
    each, as ``make_session`` writes them). Returns ``folder``."""
    from tests.ui.review.conftest import make_session

    for name in trainees:
        make_session(folder / name, trainee=name, cycles=3)
    return folder


def simulate(kind: str = "III", *, r1: float = 40.0, r2: float = 120.0, rate: float = 500.0, seed: int = 0,
             noise: Noise | None = None, **kw) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """``(t_s, force_n, truth)`` for one technique (``"mixed"`` for a bit of everything)."""
    scheme = GradingScheme(r1, r2)
    sim = Sim(r1, r2, seed=seed)
    if kind == "mixed":
        mixed(sim, scheme)
    else:
        technique(kind, sim, scheme, **kw)
    t, y = sim.sample(rate, noise or Noise())
    return t, y, sim.truth((noise or Noise()).t0_s)



def detect_pops(audio: np.ndarray, rate: float, sizes: list[int] | None = None, **scheme) -> list[dict]:
    """Cavitation events (dicts) of ``audio`` fed to a fresh detector whole, or in chunks of
    ``sizes`` samples and the rest; ``scheme`` overrides ``PopScheme`` fields."""
    from analysis.cavitation import CavitationDetector
    from analysis.chunk import Chunk

    d = CavitationDetector(**scheme)
    whole = Chunk(np.arange(len(audio)) / rate, audio, 0, "audio", rate)
    parts = [whole] if sizes is None else whole.split(list(sizes) + [len(audio) - sum(sizes)])
    out = []
    for c in parts:
        out += d.feed(c)
    return [e.to_dict() for e in out + d.finish()]


def force_notes(t: np.ndarray, y: np.ndarray, scheme: GradingScheme | None = None,
                sizes: list[int] | None = None) -> list[str]:
    """The force analysis's notes on a recording (R1 40 N, R2 120 N unless ``scheme``), fed
    whole, or in chunks of ``sizes`` samples and the rest."""
    from analysis.force import ForceProcessor

    p = ForceProcessor(scheme or GradingScheme(40.0, 120.0))
    i = 0
    for n in sizes or []:
        p.feed_arrays(t[i:i + n], y[i:i + n])
        i += n
    p.feed_arrays(t[i:], y[i:])
    p.finish()
    return p.notes()


def file_microphone(home: Path, raw: Path) -> Path:
    """Make ALSA's default microphone, for a program run with HOME ``home``, its file plugin
    playing ``raw`` (16-bit samples; it runs faster than real time): writes ``home/.asoundrc``.
    Returns ``home``."""
    (home / ".asoundrc").write_text(textwrap.dedent(f"""
        pcm.!default {{
            type asym
            playback.pcm {{ type null }}
            capture.pcm {{ type file slave.pcm null file "/dev/null" infile "{raw}" format "raw" }}
        }}
    """))
    return home


@contextlib.contextmanager
def pty_device(make: Callable[[int], bytes], period_s: float = 0.01) -> Iterator[str]:
    """A device on a real pseudo-terminal: every ``period_s`` a thread writes ``make(k)`` (``k``
    counts the writes; empty bytes write nothing) and drains what the host sent it (its
    identify/start, unanswered). Yields the port's path; stops and closes both ends on exit."""
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    stop = threading.Event()

    def send():
        k = 0
        while not stop.wait(period_s):
            try:
                data = make(k)
                if data:
                    os.write(master, data)
                os.read(master, 4096)
            except (BlockingIOError, OSError):
                pass
            k += 1

    th = threading.Thread(target=send, daemon=True)
    th.start()
    try:
        yield os.ttyname(slave)
    finally:
        stop.set()
        th.join(5)
        os.close(master)
        os.close(slave)


@contextlib.contextmanager
def pty_recording(folder, scenario: str, rate_hz: float, scheme: GradingScheme, *, speed: float = 1.0,
                  ports: Callable | None = None, trainee: str = "", **emulator) -> Iterator[tuple]:
    """A recording from the emulator on a real pseudo-terminal, ``folder/s.pty``: the emulator
    (``PtyEmulator(link, scenario, rate_hz, speed=speed, **emulator)``) started, a serial source on
    a clock ``speed`` times faster than real time opened on it (its ports listed by ``ports(em)``
    if given), and a session writer to ``folder/sess``. Yields ``(em, src, w)``; closes the source
    and the writer and stops the emulator on the way out."""
    from firmware_bridge.emulator import PtyEmulator
    from firmware_bridge.recorder import new_meta
    from firmware_bridge.serial_source import SerialSource
    from firmware_bridge.session import SessionWriter

    em = PtyEmulator(folder / "s.pty", scenario, rate_hz, speed=speed, **emulator)
    em.start()
    clock = time.monotonic if speed == 1.0 else (lambda: speed * time.monotonic())
    src = SerialSource(str(em.link), clock=clock, **({"ports": ports(em)} if ports else {}))
    src.open()
    w = SessionWriter(folder / "sess", new_meta(src, scheme, trainee))
    try:
        yield em, src, w
    finally:
        src.close()
        w.close()
        em.stop()


@pytest.fixture
def sim():
    return simulate


def fill_disk(disk: Path, leave: int) -> Path:
    """All of ``disk`` (a ``small_disk``) but ``leave`` bytes taken by one file, returned."""
    free = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - leave))
    return filler


def record_until_disk_full(disk: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """``gradecoach record`` of the emulator for Anna into ``disk``/lib/anna with 40 KiB left on
    ``disk`` (a ``small_disk``): it fills up a second or so in. Returns the run and the folder."""
    fill_disk(disk, leave=40 * 1024)
    out = disk / "lib" / "anna"
    p = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3", "--out", str(out),
                        "--duration", "20", "--trainee", "Anna", "--quiet"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    return p, out


@pytest.fixture
def small_disk(tmp_path):
    """A real file system of 256 KiB (tmpfs; mounting needs root), unmounted afterwards: for a
    disk that fills up."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True)
    if r.returncode or not os.path.ismount(disk):
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    free = os.statvfs(disk)
    assert free.f_blocks * free.f_frsize <= 256 * 1024      # (never fill a real disk)
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def record_played(path, folder, speed: float = 400.0, rate_hz: float = 500.0) -> list[str]:
    """``record --device file:PATH`` as the command records it (R1 40 N, R2 120 N), ``speed``
    times faster than real time, into the session ``folder``; what it said while recording."""
    from firmware_bridge.recorder import finish_meta, first_chunks, new_meta, record
    from firmware_bridge.session import SessionWriter
    from firmware_bridge.sources import FileSource

    scheme = GradingScheme(40, 120)
    src = FileSource(str(path), speed=speed)
    src.open()
    said: list[str] = []
    w = SessionWriter(folder, new_meta(src, scheme))
    try:
        res = record(src, w, scheme, pending=first_chunks(src), notice=said.append)
        finish_meta(w, src, res)
    finally:
        src.close()
        w.close(rate_hz)
    return said


@pytest.fixture(autouse=True)
def _garbage_collected_between_tests():
    """A window turns Python's automatic cycle collector off for the process and collects on a
    timer of its own thread (:mod:`ui.main_thread_gc`); the tests after it that run no event
    loop have what is due collected here, between tests, on the main thread."""
    yield
    from ui.main_thread_gc import collect_due
    collect_due()


@pytest.fixture(autouse=True, scope="session")
def _plots_drawn_as_the_trainer_draws_them():
    """pyqtgraph's options as the trainer sets them when it starts (``ensure_app``), for the
    windows the tests build without it: with pyqtgraph's own, an axis laid out again drew its
    labels grey, so a screenshot showed what no one sees."""
    import pyqtgraph as pg
    from ui.trainer.app import PLOT_OPTIONS
    pg.setConfigOptions(**PLOT_OPTIONS)
