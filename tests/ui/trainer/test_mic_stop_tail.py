"""A recording stopped while the microphone is on keeps in audio.flac all the sound the
microphone delivered before the stop. The block (10 ms) still queued from PortAudio's callback
was fed only after the stop had begun, racing the recording's close: audio.flac often lost it.

Real parts: the trainer window recording the emulator in real time on its acquisition thread,
PortAudio capturing through ALSA's ``file`` plugin (in a subprocess with its own HOME, as
PortAudio reads the ALSA configuration when it starts).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.conftest import file_microphone

from .conftest import REPO

RATE = 44100                  # the file plugin's own rate, which the trainer's microphone takes
STOPS = 16                    # recordings stopped, each just after a block came

SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from firmware_bridge.audio import AudioInput
    from firmware_bridge.sources import open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow

    # the file plugin hands PortAudio its sound as fast as it can: paced here as a microphone
    # delivers it (a block of 10 ms every 10 ms); ``queued`` counts the frames put in the
    # microphone's queue for the trainer to read
    callback, queued, start = AudioInput._callback, [0], []
    def paced(self, indata, frames, t_info, status):
        start.append(start[0] if start else time.monotonic())
        time.sleep(max(0.0, start[0] + (queued[0] + frames) / self.rate_hz - time.monotonic()))
        callback(self, indata, frames, t_info, status)
        queued[0] += frames
    AudioInput._callback = paced

    ensure_app()
    eng = Engine()
    src = open_source("emulator:hvla")                # in real time, on the host's clock
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.005)
    win = TrainerWindow(eng, worker, start_timer=False, record_root=sys.argv[1])
    worker.start()
    deadline = time.monotonic() + 60                  # a bound for a broken machine, not a wait
    while (eng.force.last_t or 0.0) < 0.3 and time.monotonic() < deadline:
        time.sleep(0.01)
    win.actions_by_name["toggle_microphone"].trigger()
    out = []
    for _ in range(int(sys.argv[2])):
        folder = win.start_recording()
        until = time.monotonic() + 0.25
        while time.monotonic() < until or eng.recorder.sound_rate_hz is None:
            time.sleep(0.01)
        was = queued[0]
        while queued[0] == was and time.monotonic() < deadline:      # Space just after a block came
            time.sleep(0.0002)
        delivered = queued[0]
        win.stop_recording()
        out.append({"folder": str(folder), "delivered": delivered})
    mic = worker.mic
    worker.stop()
    print(json.dumps({"stops": out, "dropped": mic.dropped_blocks, "overflows": mic.overflows,
                      "error": eng.error}))
""")


def test_stopping_keeps_the_sound_the_microphone_delivered_before_the_stop(tmp_path):
    rng = np.random.default_rng(5)
    # every stretch of samples tells its place; what follows the file is undefined: a minute
    x16 = rng.integers(-20000, 20000, 60 * RATE).astype("<i2")
    raw = tmp_path / "in.raw"
    x16.tofile(raw)
    home = file_microphone(tmp_path, raw)
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "rec"), str(STOPS)], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout.strip().splitlines()[-1])
    assert r["error"] is None and r["dropped"] == 0 and r["overflows"] == 0
    short = []
    for s in r["stops"]:
        kept, sr = sf.read(str(Path(s["folder"]) / "audio.flac"), dtype="int16")
        assert sr == RATE and len(kept) > 0.2 * RATE
        # where the recording's sound begins in what the microphone heard, and that it is whole
        [first] = [i for i in np.flatnonzero(x16 == kept[0]) if np.array_equal(x16[i:i + 64], kept[:64])]
        assert np.array_equal(kept, x16[first:first + len(kept)])
        if first + len(kept) < s["delivered"]:
            short.append(s["delivered"] - first - len(kept))
    # every recording holds the sound delivered before its stop (samples missing at the end of
    # each that lost some: a 10 ms block, 441 samples)
    assert short == []
