"""A recording's microphone that delivers faster than real time (a file played as the microphone)
says its loss in one figure, the same way on the status line while it records as in session.json
(and so on replay of the folder): the status line said '54.6 s in all; silence stands in its
place', counted from the blocks dropped, while session.json kept the silence put in the file and
said the input delivered faster than real time.

Real parts: PortAudio capturing through ALSA's ``file`` plugin from a plain file (in a subprocess
with its own HOME, as PortAudio reads the ALSA configuration when it starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np

from firmware_bridge.audio import audio_loss_note
from tests.conftest import ROOT, file_microphone

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from firmware_bridge.audio import AudioRecorder
    rec = AudioRecorder(sys.argv[1], "default", t0_host_s=time.monotonic())
    assert rec.mic is not None, rec.notice
    began, said = time.monotonic(), []
    while time.monotonic() - began < 2.5:
        rec.poll(0.05)
        said.append(rec.loss_note())                 # (the status line's, while recording)
    rec.stop()
    said.append(rec.loss_note())
    mic = rec.mic
    silence_s = mic.lost_frames / mic.rate_hz
    info = rec.close()
    print(json.dumps({"said": said, "info": info, "silence_s": silence_s}))
""")


def test_the_status_line_and_session_json_say_one_loss(tmp_path):
    raw = tmp_path / "mic.raw"
    (np.sin(np.arange(48000 * 3) / 7.0) * 8000).astype("<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    (tmp_path / "s").mkdir()
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "s")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    info = res["info"]
    # (the plugin delivers as fast as it is read: on a busy machine that can be under twice the rate,
    # still far enough from it for the input to be judged faster than real time, below)
    assert info["dropped_blocks"] > 0 and info["rate_delivered_hz"] > info["rate_hz"], info
    assert info["lost_s"] == round(res["silence_s"], 6), res
    kept = audio_loss_note(info)                        # (replay of the folder says this)
    assert "faster than real time" in kept, kept
    assert res["said"][-1] == kept, res["said"]
    # while it recorded: the same words, once its rate was judged
    assert all(n is None or "faster than real time" in n for n in res["said"][len(res["said"]) // 2:]), res["said"]
