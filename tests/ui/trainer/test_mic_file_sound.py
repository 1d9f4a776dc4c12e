"""A recording that plays its own sound keeps it: the microphone is not turned on beside it (key A,
a source chosen while listening, or --mic at start), which the status line says in one line, and
the recording's pops are still found. The microphone's sound went into the same detector as the
recording's, which stopped with "audio analysis off: internal error (details in the log file)".

Real parts: the trainer window, a session folder with force and audio.flac played with file:,
PortAudio capturing through ALSA's ``file`` plugin (in a subprocess with its own HOME).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ._mic_file_session import _session
from .conftest import REPO
from ._asoundrc import ASOUNDRC

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FIRST_POPS_S = (3.17, 3.23)       # the fixture's first thrust's four pops ('gradecoach replay' of it)

SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # (ALSA's file plugin delivers faster than real time, which the trainer takes, after 5 s of
    # it, for no live microphone and stops counting its pops: not what this test is of)
    import firmware_bridge.audio
    firmware_bridge.audio.UNPLACED_SHARE = float("inf")
    from firmware_bridge.sources import FileSource, open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow

    mode, session, mic = sys.argv[1], sys.argv[2], sys.argv[3]
    ensure_app()
    if mode == "cli":                                 # gradecoach trainer --device file:SESSION --mic default
        from ui import cmd_trainer
        from ui.cli import build_parser
        args = build_parser("trainer").parse_args(["trainer", "--device", "file:" + session, "--mic", mic,
                                                   "--sessions", session + "-rec"])
        win = cmd_trainer.build(args)
        eng, worker = win.engine, win.worker
    else:
        eng = Engine()
        src = FileSource(session, speed=2.0) if mode in ("key", "back") else open_source("emulator:hvla")
        worker = AcquisitionWorker(src, eng, read_timeout_s=0.005)
        win = TrainerWindow(eng, worker, start_timer=False)
        worker.start()
    deadline = time.monotonic() + 60                  # a bound for a broken machine, not a wait
    def force_at(t):
        while (eng.force.last_t or 0.0) < t and time.monotonic() < deadline:
            time.sleep(0.01)
    if mode not in ("back", "cli"):
        force_at(1.0)
    if mode != "cli":
        win.actions_by_name["toggle_microphone"].trigger()       # A
    said = win.statusBar().currentMessage()
    if mode in ("back", "cli"):                       # refused beside the session, the user picks the emulator (S)
        win.switch_source("emulator:hvla")
        said_later = win.statusBar().currentMessage()
        worker = win.worker
        while worker.mic_on and eng.samples.get("audio", 0) < 4800 and time.monotonic() < deadline:
            time.sleep(0.01)
        win.refresh()
        print(json.dumps({"said": said, "said_later": said_later, "mic_on": worker.mic_on,
                          "menu": win.actions_by_name["toggle_microphone"].isChecked(),
                          "heard": eng.samples.get("audio", 0), "off": eng.disabled}))
        worker.stop()
        sys.exit(0)
    if mode == "switch":                              # listening, the user picks the session (S)
        force_at(1.5)
        heard = eng.samples.get("audio", 0)
        win.switch_source("file:" + session)
        said = win.statusBar().currentMessage()
        worker = win.worker
    force_at(3.5)
    time.sleep(0.2)
    worker.stop()
    win.refresh()
    menu = win.actions_by_name["toggle_microphone"].isChecked()
    print(json.dumps({"said": said, "mic_on": worker.mic_on, "menu": menu,
                      "off": eng.disabled, "error": eng.error, "pops": [p.t for p in eng.pops],
                      "heard_before": heard if mode == "switch" else None}))
""")


def _run(tmp_path, mode: str, mic: str = "default") -> dict:
    session = _session(tmp_path / "anna")
    rate = 44100
    x = 0.1 * np.sin(2 * np.pi * 440 * np.arange(rate * 60) / rate)
    raw = tmp_path / "in.raw"
    raw.write_bytes((x * 32767).astype("<i2").tobytes())
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(raw=raw))
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, "-c", SCRIPT, mode, str(session), mic], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def _first_pops(pops) -> list[float]:
    return [t for t in pops if FIRST_POPS_S[0] - 0.01 <= t <= FIRST_POPS_S[1] + 0.01]


def test_key_a_while_a_session_plays_its_sound_says_so_and_its_pops_are_found(tmp_path):
    r = _run(tmp_path, "key")
    assert r["said"] == ("microphone not turned on: session anna plays its own sound "
                         "(S for another source to use the microphone)")
    assert r["mic_on"] is False and r["menu"] is False
    assert r["error"] is None and r["off"] == {}                # (no 'audio analysis off: internal error')
    assert len(_first_pops(r["pops"])) == 4


def test_a_session_with_sound_chosen_while_listening_plays_its_own(tmp_path):
    r = _run(tmp_path, "switch")
    assert r["heard_before"] > 0                              # (the microphone was on before)
    assert r["said"].startswith("reading session anna; microphone not turned on: it plays its own sound (S for")
    assert r["mic_on"] is False and r["menu"] is False
    assert r["error"] is None and r["off"] == {}
    assert len(_first_pops(r["pops"])) == 4


@pytest.mark.parametrize("asked", ["key", "cli"])
def test_the_microphone_refused_beside_a_session_turns_on_with_a_source_without_sound(tmp_path, asked):
    """A (or --mic) beside the session is refused with 'S for another source to use the
    microphone'; S to the emulator then listens, and says so. It stayed off, unsaid."""
    r = _run(tmp_path, "back" if asked == "key" else "cli")
    assert r["said"].startswith("microphone not turned on: session anna plays its own sound (S for another source")
    assert r["said_later"] == "reading gradecoach emulator (hvla); listening for pops: default"
    assert r["mic_on"] is True and r["menu"] is True
    assert r["heard"] >= 4800 and r["off"] == {}


def test_a_wrong_mic_beside_a_session_is_said_when_a_source_without_sound_is_chosen(tmp_path):
    """--mic 99 is not tried beside the session; S to the emulator tries it and says why it is
    off in the line naming the source (which replaced the reason at once)."""
    r = _run(tmp_path, "cli", mic="99")
    assert r["said_later"].startswith("reading gradecoach emulator (hvla); no microphone: audio input '99'")
    assert r["mic_on"] is False and r["menu"] is False


def test_mic_on_the_command_line_with_a_session_playing_its_sound(qtbot, tmp_path):
    from ui import cmd_trainer
    from ui.cli import build_parser

    session = _session(tmp_path / "anna")
    args = build_parser("trainer").parse_args(["trainer", "--device", f"file:{session}", "--mic", "default",
                                               "--sessions", str(tmp_path / "rec")])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    assert win.worker.mic is None and "audio" not in win.engine.disabled     # its own pops are analysed
    assert win.statusBar().currentMessage().startswith("microphone not turned on: session anna plays its own sound")
