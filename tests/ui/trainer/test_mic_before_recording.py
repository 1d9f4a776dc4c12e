"""The microphone on from the trainer's start (``--mic default``), and a recording begun half a
second later (Space) and kept for 5 s: audio.flac holds the recording's 5 s of sound, placed in
session.json where the force was when it came, each sample the one the trainer had at that time.

Real parts: the trainer window on the emulator in real time, PortAudio capturing through ALSA's
``file`` plugin (in a subprocess with its own HOME, as PortAudio reads the ALSA configuration when
it starts). The plugin reads a named pipe that a thread here fills in real time: from a plain file
it reads as fast as it can (tens of millions of samples a second), so a minute of sound is gone
in a fraction of a second, long before the recording starts, and the sound after it is stamped
minutes ahead of the force.
"""

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
import pytest
import soundfile as sf

from firmware_bridge.session import open_session
from ui.trainer.engine import UNPLACED

from .conftest import REPO
from .test_microphone import ASOUNDRC

RATE = 44100                  # the plugin's own rate, which the trainer's microphone takes
# what the plugin asks of its input at a time (PortAudio's period for the microphone's 10 ms
# blocks): the pipe is filled in these, so that every read finds a whole one
PERIOD = 882
START_S, RECORD_S = 0.5, 5.0
# the pipe hands the plugin each period as soon as its last sample is due (a sound card, once it
# has captured it), so the sound is stamped up to two periods ahead of the force it came with, and
# what came before the key press is not the recording's; the force's first sample in a recording
# is up to a read older than the key press
START_WITHIN_S = 0.1

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

SCRIPT = TAP_AUDIO + textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from firmware_bridge.sources import open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.engine import AcquisitionWorker, Engine, open_microphone
    from ui.trainer.window import TrainerWindow

    start_s, record_s, root, fed_path = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
    ensure_app()
    eng = Engine()
    src = open_source("emulator:hvla")                # in real time, on the host's clock
    mic = open_microphone("default")                  # as --mic default: on from the start
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.005, mic=mic)
    win = TrainerWindow(eng, worker, start_timer=False, record_root=root)
    save_fed = tap_audio(eng)
    began = time.monotonic()
    worker.start()
    deadline = began + 60                             # a bound for a broken machine, not a wait
    def force_at(t):
        while (eng.force.last_t or 0.0) < t and time.monotonic() < deadline:
            time.sleep(0.01)
    force_at(start_s)
    heard_before = eng.samples.get("audio", 0)
    folder = win.start_recording()                    # Space
    force_at(start_s + record_s)
    win.stop_recording()                              # Space
    worker.stop()
    save_fed(fed_path)
    print(json.dumps({"folder": str(folder), "heard_before": heard_before, "heard": eng.samples.get("audio", 0),
                      "wall_s": time.monotonic() - began, "dropped": mic.dropped_blocks, "lost_s": mic.lost_s,
                      "off": eng.disabled, "error": eng.error}))
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


def test_microphone_on_from_the_start_keeps_the_whole_recording_s_sound(tmp_path):
    fed_path = tmp_path / "fed.npz"
    r, _ = run_with_real_capture(tmp_path, SCRIPT, str(START_S), str(RECORD_S), str(tmp_path / "rec"), str(fed_path),
                                 seconds=60, seed=7)
    # (the thread filling the pipe falls behind on a busy machine: the input then delivers more than
    # 0.5 % off its rate, and its pops are not counted, as for a file played as the microphone)
    assert r["error"] is None and r["off"] in ({}, {"audio": UNPLACED}) and r["dropped"] == 0 and r["lost_s"] == 0
    # the capture ran in real time (not the plugin's own pace) and was on before the recording
    assert r["heard"] == pytest.approx(r["wall_s"] * RATE, rel=0.1), \
        "the capture did not run in real time: does the plugin still read PERIOD samples at a time?"
    assert r["heard_before"] >= 0.3 * RATE
    fed = np.load(fed_path)
    fed_t, fed_v, fed_rec = fed["t"], fed["v"], fed["rec"]

    folder = Path(r["folder"])
    assert (folder / "audio.flac").is_file()
    ses = open_session(folder)
    t0 = ses.meta.extra["source_t0_s"]
    force_t = ses.force.t_s                            # (force.csv's times)
    kept, rate = sf.read(str(folder / "audio.flac"), dtype="float32")
    assert rate == RATE
    entry = ses.meta.streams["audio"]
    # the file starts with the first sound the trainer had from the recording's first force sample
    # on that came while recording (none of it dropped, none from before), placed at its time on
    # the force's timeline
    first = int(np.flatnonzero(fed_rec & (fed_t >= t0))[0])
    assert entry["t0_s"] == pytest.approx(fed_t[first] - t0, abs=1e-5)
    assert 0.0 <= entry["t0_s"] <= START_WITHIN_S
    assert np.allclose(kept, fed_v[first:first + len(kept)], atol=1e-6)
    # ... and holds the sound to the recording's end: about 5 s, as long as force.csv and ending
    # where it ends (not no audio.flac at all, nor a fraction of a second in it)
    assert force_t[0] == 0.0 and force_t[-1] == pytest.approx(RECORD_S, abs=0.1)
    assert len(kept) / RATE == pytest.approx(RECORD_S, abs=0.15)
    assert entry["t0_s"] + len(kept) / RATE == pytest.approx(force_t[-1], abs=START_WITHIN_S)
