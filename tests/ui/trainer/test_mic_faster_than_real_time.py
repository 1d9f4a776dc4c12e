"""The trainer's microphone on an input that delivers faster than real time (a file played as the
microphone): it hands out no more silence for the blocks it drops than the time that passed, as
``record``'s does, and the status line says once that its sound is not placed in time with the
force, in record's words, and its pops are no longer counted. It handed out 239 s of silence in
6.5 s, each silence stamped after the last, so the sound (and a recording of it) lay minutes past
the force it came with.

Real parts: PortAudio capturing through ALSA's ``file`` plugin from a plain file, which it reads as
fast as it can (in a subprocess with its own HOME, as PortAudio reads the ALSA configuration when it
starts); the emulator's force in real time on the acquisition thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np

from tests.conftest import ROOT, file_microphone
from ui.trainer.microphone import UNPLACED

WAIT_S = 6.5                # past RATE_SETTLE_S (5 s), after which its rate is judged

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from firmware_bridge.sources import open_source
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.microphone import open_microphone

    eng = Engine()
    mic = open_microphone(None)
    worker = AcquisitionWorker(open_source("emulator:hvla"), eng, read_timeout_s=0.005, mic=mic)
    began = time.monotonic()
    worker.start()
    news = []
    while time.monotonic() - began < float(sys.argv[1]):
        news += worker.take_mic_news()
        time.sleep(0.05)
    worker.stop()
    news += worker.take_mic_news()
    print(json.dumps({"wall_s": time.monotonic() - began, "silence_s": mic.lost_frames / mic.rate_hz,
                      "lost_s": mic.lost_s, "dropped": mic.dropped_blocks, "rate_hz": mic.rate_hz,
                      "news": news, "off": eng.disabled, "error": eng.error}))
""")


def test_a_file_played_as_the_microphone_adds_no_silence_beyond_the_time(tmp_path):
    raw = tmp_path / "mic.raw"
    (np.sin(np.arange(48000 * 3) / 7.0) * 8000).astype("<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(WAIT_S)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    # (its pops are not counted once it is judged: the sound is not placed in time with the force)
    assert res["error"] is None and res["off"] == {"audio": UNPLACED}, res
    assert res["dropped"] > 0, res                       # (it delivered more than was read)
    assert res["silence_s"] <= res["wall_s"] + 0.5, res  # (239 s in 6.5 s)
    assert res["lost_s"] == res["silence_s"], res        # (one figure: the silence handed out)
    fast = [n for n in res["news"] if "samples a second" in n]
    assert len(fast) == 1, res["news"]
    assert fast[0].startswith("audio input ") and " delivered " in fast[0], fast
    assert fast[0].endswith(" Hz (not a live microphone?); its sound is not placed in time with the force"), fast
