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

import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.session import open_session
from ui.trainer.microphone import UNPLACED

from ._real_capture import RATE, TAP_AUDIO, run_with_real_capture

START_S, RECORD_S = 0.5, 5.0
# the pipe hands the plugin each period as soon as its last sample is due (a sound card, once it
# has captured it), so the sound is stamped up to two periods ahead of the force it came with, and
# what came before the key press is not the recording's; the force's first sample in a recording
# is up to a read older than the key press
START_WITHIN_S = 0.1

SCRIPT = TAP_AUDIO + textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from firmware_bridge.sources import open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.microphone import open_microphone
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
