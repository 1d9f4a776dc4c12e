"""A trainer script run with a real ALSA capture fed in real time, and the tap that keeps the sound
it gets."""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
import termios
import textwrap
import threading
import time
from pathlib import Path

import numpy as np

from .conftest import REPO
from ._asoundrc import ASOUNDRC
from ui.trainer.microphone import MIC_BLOCK_S

RATE = 44100                  # the plugin's own rate, which the trainer's microphone takes
# what the plugin asks of its input at a time (two of the trainer microphone's blocks; with a
# period that was not a whole number of blocks the capture ran faster than real time): the pipe is
# filled in these, so that every read finds a whole one
PERIOD = 2 * int(round(MIC_BLOCK_S * RATE))
# The first part of a script run with a real capture: ``save = tap_audio(eng)``, before the
# acquisition starts, taps the sound as the trainer has it (each chunk's times on its timeline, its
# values, and whether a recording was going on as it came); ``save(path)`` writes it to an .npz
# (t, v, rec).
TAP_AUDIO = textwrap.dedent("""
    import numpy as np

    def tap_audio(eng):
        fed_t, fed_v, fed_rec = [], [], []
        feed = eng.feed
        def seen(c, *a):
            with eng.lock:
                if c.stream == "audio":
                    fed_t.append(np.asarray(c.t_s, float))
                    fed_v.append(np.asarray(c.values, np.float32))
                    fed_rec.append(np.full(len(c), eng.recorder is not None))
                return feed(c, *a)
        eng.feed = seen
        def save(path):
            np.savez(path, t=np.concatenate(fed_t), v=np.concatenate(fed_v), rec=np.concatenate(fed_rec))
        return save
""")


class RealTimePipe:
    """A named pipe the plugin reads as its input, filled with ``samples`` (16-bit) in real time,
    a period at a time as its last sample is due. A period nobody read by the next is taken back
    out, as a microphone's sound goes nowhere while no program captures it."""

    def __init__(self, path: Path, samples: np.ndarray) -> None:
        os.mkfifo(path)
        self.path, self.samples = path, samples
        self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)   # (a writer always there: no reader waits)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _queued(self) -> int:
        return struct.unpack("i", fcntl.ioctl(self.fd, termios.FIONREAD, b"\0\0\0\0"))[0]

    def _run(self) -> None:
        t0, sent = time.monotonic(), 0
        while sent + PERIOD <= len(self.samples) and not self.stop.wait(0.002):
            due = int((time.monotonic() - t0) * RATE)
            while sent + PERIOD <= due:
                if self._queued():
                    os.read(self.fd, 1 << 16)                 # (unread: nobody is capturing)
                os.write(self.fd, self.samples[sent:sent + PERIOD].tobytes())
                sent += PERIOD

    def __enter__(self) -> "RealTimePipe":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(5)
        os.close(self.fd)


def run_with_real_capture(tmp_path: Path, script: str, *args: str, seconds: int, seed: int) -> tuple[dict, str]:
    """Run ``script`` with ``args`` in a subprocess (HOME ``tmp_path``, offscreen Qt) whose ALSA
    ``default`` device is the file plugin reading a pipe filled in real time with ``seconds`` of
    seeded noise at RATE. Returns the JSON of its last line of output, and its stderr."""
    rng = np.random.default_rng(seed)
    x16 = np.round(0.2 * rng.standard_normal(seconds * RATE) * 32767).clip(-32768, 32767).astype("<i2")
    pipe = tmp_path / "mic.pipe"
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(raw=pipe))
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    with RealTimePipe(pipe, x16):
        p = subprocess.run([sys.executable, "-c", script, *args],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1]), p.stderr
