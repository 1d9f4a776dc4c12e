"""A real PortAudio capture (ALSA's ``file`` plugin reading a known signal) feeds the trainer's
level meter and audio strip; a missing microphone never stops the trainer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ._asoundrc import ASOUNDRC
from .conftest import REPO

SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # (ALSA's file plugin delivers faster than real time, which the trainer takes, after 5 s of
    # it, for no live microphone and stops counting its pops: not what this test is of)
    import firmware_bridge.audio
    firmware_bridge.audio.UNPLACED_SHARE = float("inf")
    from firmware_bridge.audio import AudioInput
    from firmware_bridge.sources import EmulatorSource, Pacer
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow

    class Clock:                      # the emulator runs on data time, as fast as it can
        t = 0.0
        def __call__(self): return self.t
        def sleep(self, s): self.t += max(s, 0.0)
    clock = Clock()
    ensure_app()
    eng = Engine()
    src = EmulatorSource("grade3", pacer=Pacer(clock=clock, sleep=clock.sleep))
    mic = AudioInput("default", samplerate=48000) if sys.argv[1] == "mic" else None
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.005, mic=mic)
    win = TrainerWindow(eng, worker, start_timer=False)
    worker.start()
    deadline = time.monotonic() + 30          # a bound for a broken machine, not a wait
    toggled = []
    if sys.argv[1] == "toggle":               # the user presses A: on, a second of sound, A: off
        win.actions_by_name["toggle_microphone"].trigger()
        toggled.append(worker.mic_on)
        while toggled[0] and eng.samples.get("audio", 0) < 48000 and time.monotonic() < deadline:
            time.sleep(0.01)
        win.actions_by_name["toggle_microphone"].trigger()
        toggled.append(worker.mic_on)
        # what was captured before the switch may still be on its way: wait until the count has
        # stood still for 0.3 s (a busy machine takes longer), then nothing more may come
        heard, still = eng.samples.get("audio", 0), time.monotonic()
        while time.monotonic() - still < 0.3 and time.monotonic() < deadline:
            time.sleep(0.02)
            if eng.samples.get("audio", 0) != heard:
                heard, still = eng.samples.get("audio", 0), time.monotonic()
        time.sleep(0.5)
        toggled.append(eng.samples.get("audio", 0) - heard)
    if sys.argv[1] == "click":                # the user presses M: a metronome click, if it can sound
        win.actions_by_name["toggle_click"].trigger()
        toggled.append(win.click_on)
    while eng.samples.get("audio", 0) < 48000 and time.monotonic() < deadline and sys.argv[1] == "mic":
        time.sleep(0.01)
    while eng.samples.get("force", 0) < 2000 and time.monotonic() < deadline and sys.argv[1] != "mic":
        time.sleep(0.01)
    worker.stop()
    win.refresh()
    print(json.dumps({"audio": eng.samples.get("audio", 0), "force": eng.samples.get("force", 0),
                      "level_db": eng.audio_level_db, "meter": win.meter.format(),
                      "strip": win.audio_strip.isVisibleTo(win), "env": eng.audio_env.total,
                      "dropped": eng.dropped, "error": eng.error, "off": eng.disabled, "toggled": toggled,
                      "status": win.statusBar().currentMessage()}))
""")


def _run(tmp_path, mode: str) -> dict:
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=REPO, env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_microphone_level_and_envelope_from_a_real_capture(tmp_path):
    rate, amp = 48000, 0.1
    # the file plugin reads faster than real time and what follows the file is undefined: give it
    # a minute, far more than the second the test reads
    x = amp * np.sin(2 * np.pi * 440 * np.arange(rate * 60) / rate)
    raw = tmp_path / "in.raw"
    raw.write_bytes((x * 32767).astype("<i2").tobytes())
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(raw=raw))
    r = _run(tmp_path, "mic")
    assert r["error"] is None and not r["off"]
    assert r["audio"] >= rate and r["force"] > 0 and r["dropped"] == 0
    expected_db = 20 * np.log10(amp / np.sqrt(2))                      # a sine's RMS
    assert r["level_db"] == pytest.approx(expected_db, abs=0.5)
    assert r["meter"] == f"audio {r['level_db']:.0f} dBFS" and r["strip"] and r["env"] > 0


def test_trainer_starts_without_a_microphone(tmp_path):
    r = _run(tmp_path, "none")
    assert r["error"] is None and r["force"] >= 2000
    assert r["meter"] == "no microphone" and r["audio"] == 0 and not r["strip"]


def test_key_a_turns_the_microphone_on_and_off_while_practising(tmp_path):
    rate = 48000
    x = 0.1 * np.sin(2 * np.pi * 440 * np.arange(rate * 60) / rate)
    raw = tmp_path / "in.raw"
    raw.write_bytes((x * 32767).astype("<i2").tobytes())
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(raw=raw))
    r = _run(tmp_path, "toggle")
    on, off, after_off = r["toggled"]
    assert on is True and off is False and r["error"] is None
    assert r["audio"] >= rate and r["force"] > 0
    assert after_off == 0                                   # nothing captured once switched off
    assert r["status"] == "microphone off"


def test_key_a_without_a_microphone_says_so_and_practice_goes_on(tmp_path):
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw card 7 }\n")
    r = _run(tmp_path, "toggle")
    assert r["toggled"][0] is False and r["error"] is None and r["force"] > 0
    assert r["audio"] == 0 and r["status"].startswith("no microphone: ")


def test_key_m_without_a_sound_output_keeps_the_pacer_visual_and_says_so(tmp_path):
    (tmp_path / ".asoundrc").write_text("pcm.!default { type hw card 7 }\n")
    r = _run(tmp_path, "click")
    assert r["toggled"] == [False] and r["error"] is None and r["force"] > 0
    # (no target: no pacer is shown, and the line says how to get one)
    assert r["status"].startswith("no sound output on this machine") and "(press T)" in r["status"]
