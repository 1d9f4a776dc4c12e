"""A recording made in the trainer with the microphone on keeps what the microphone lost in its
session.json, as ``gradecoach record --audio`` does (``overflows``, ``dropped_blocks``, ``lost_s``
and, for an input far off its own rate, ``rate_delivered_hz``), added up over each microphone
used while it recorded (turned off and on again: a new input) and only while it recorded; the
status line says it while recording, and ``gradecoach replay`` of the folder warns of it, in
record's words. It kept none of them: replay of a recording from a lossy or too-fast input said
nothing of it.

Real parts: the trainer window on the emulator in real time, PortAudio capturing through ALSA's
``file`` plugin from a plain file, which it reads faster than real time, so that blocks are
dropped by the thousand (in a subprocess with its own HOME, as PortAudio reads the ALSA
configuration when it starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.audio import audio_loss_note
from tests.conftest import ROOT, file_microphone, gc

SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # (ALSA's file plugin delivers faster than real time, which the trainer takes, after 5 s of
    # it, for no live microphone and stops counting its pops: not what this test is of)
    import firmware_bridge.audio
    firmware_bridge.audio.UNPLACED_SHARE = float("inf")
    from firmware_bridge.sources import open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.microphone import open_microphone
    from ui.trainer.window import TrainerWindow

    ensure_app()
    eng = Engine()
    mic = open_microphone(None)
    worker = AcquisitionWorker(open_source("emulator:hvla"), eng, read_timeout_s=0.005, mic=mic)
    win = TrainerWindow(eng, worker, start_timer=False, record_root=sys.argv[1])
    worker.start()
    deadline = time.monotonic() + 60                  # a bound for a broken machine, not a wait
    def force_at(t):
        while (eng.force.last_t or 0.0) < t and time.monotonic() < deadline:
            time.sleep(0.01)
    force_at(2.0)
    status_before = win._status_text()
    first_before = mic.dropped_blocks                 # (dropped before the recording: not its)
    first_lost = mic.lost_s
    folder = win.start_recording()                    # Space
    force_at(3.0)
    win.toggle_microphone()                           # A: off ...
    force_at(3.5)
    while worker.mic is not None and time.monotonic() < deadline:    # (closed by the worker: later on a
        time.sleep(0.01)                                             # busy machine, else both presses are one)
    win.toggle_microphone()                           # ... and on again: another input
    force_at(5.0)
    while worker.mic is None and time.monotonic() < deadline:    # (opened by the worker: later on a busy machine)
        time.sleep(0.01)
    second = worker.mic
    # (the loss is said and kept once counted: the input's rate is judged after 1 s of it, and
    # session.json rewritten at most every few seconds; on a busy machine the second input opened
    # late and had not been judged by the force's 5 s, nor session.json been rewritten. Waited
    # for, up to the deadline, and then asserted)
    def while_recording_said() -> dict:
        return json.loads((folder / "session.json").read_text())["streams"].get("audio", {})
    while (not while_recording_said().get("dropped_blocks") or "faster than real time" not in win._status_text()) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    status = win._status_text()
    while_recording = while_recording_said()
    second_before = second.dropped_blocks
    win.stop_recording()                              # Space
    second_at_stop, second_lost = second.dropped_blocks, second.lost_s
    worker.stop()
    print(json.dumps({"folder": str(folder), "status_before": status_before, "status": status,
                      "first": [first_before, mic.dropped_blocks], "second": [second_before, second_at_stop],
                      "first_lost": [first_lost, mic.lost_s], "second_lost": second_lost,
                      "same": second is mic, "while_recording": while_recording, "off": eng.disabled, "error": eng.error}))
""")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mic_loss")
    raw = tmp / "mic.raw"
    (np.sin(np.arange(48000 * 3) / 7.0) * 8000).astype("<i2").tofile(raw)
    home = tmp / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp / "rec")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["error"] is None and not res["off"] and not res["same"], res
    folder = Path(res["folder"])
    return res, folder, json.loads((folder / "session.json").read_text())["streams"]["audio"]


def test_session_json_keeps_what_the_microphones_lost_while_recording(recorded):
    res, _, audio = recorded
    assert isinstance(audio.get("overflows"), int) and audio["overflows"] >= 0, audio
    # the silence standing in the file for what was lost (none beyond the time that passed: an
    # input this fast has none placed), measured as the microphones measured it while recording
    lost = (res["first_lost"][1] - res["first_lost"][0]) + res["second_lost"]
    assert audio.get("lost_s") == pytest.approx(lost, abs=0.05), (audio, res)
    # both microphones' blocks, and none the first dropped before the recording began
    # (what the first dropped from its read before the key press to its last; what the second
    # dropped up to its last read, the one that fed the recording's last sound, a little before
    # the count taken after the stop); the first dropped thousands before the recording
    # (the counts taken from the test's side, after reads the recording may or may not have fed,
    # are a few hundred blocks off either way on a busy machine: the bounds allow it)
    first_before, first_end = res["first"]
    second_end = res["second"][1]
    assert first_before > 1000, res
    # (at least: the second input, opened late on a busy machine, may have dropped none by the
    # recording's last sound; the first's count alone then is the recording's, 28574 of 28574)
    assert first_end - first_before <= audio.get("dropped_blocks", 0), (audio, res)
    assert audio["dropped_blocks"] < first_end + second_end, (audio, res)     # (not what came before)
    # the input delivered far faster than its own rate
    assert audio.get("rate_delivered_hz", 0) > 2 * audio["rate_hz"], audio


def test_session_json_keeps_them_up_to_date_while_recording(recorded):
    res, _, audio = recorded
    was = res["while_recording"]
    assert 0 < was.get("dropped_blocks", 0) <= audio["dropped_blocks"], (was, audio)
    assert "lost_s" in was and "overflows" in was, was


def test_the_status_line_says_the_loss_while_recording_in_record_s_words(recorded):
    res, _, audio = recorded
    assert "audio lost while recording" not in res["status_before"]      # (not recording yet)
    assert "audio lost while recording: " in res["status"], res["status"]
    assert "faster than real time" in res["status"], res["status"]


def test_replay_of_the_folder_warns_of_the_loss(recorded):
    _, folder, audio = recorded
    r = gc("replay", str(folder))
    said = r.stdout + r.stderr
    assert r.returncode == 0, said[-2000:]
    note = audio_loss_note(audio)
    assert note and "faster than real time" in note, audio
    assert note in said, said[-3000:]
