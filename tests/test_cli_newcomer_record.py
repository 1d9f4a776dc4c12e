"""``gradecoach record`` as a newcomer first runs it: from the emulator for a second, and from a
sensor served by ``gradecoach emulate`` on a real pseudo-terminal, stopped with Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from firmware_bridge.session import open_session
from tests.conftest import ROOT, ctrl_c_until_it_ends, gc


def test_a_short_recording_says_what_it_found(tmp_path):
    """A short recording's last line read 'recorded 1001 samples, 1 events to ...' (its summary
    counted as an event); it counts cycles and thrusts."""
    out = tmp_path / "anna"
    r = gc("record", "--device", "emulator:hvla", "--out", out, "--duration", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    assert len(events) == 1 and events[0]["type"] == "summary"
    assert r.stdout == f"recorded 1001 samples (0 cycles, 0 thrusts) to {out}\n"


def test_ctrl_c_while_recording_an_emulated_serial_sensor_keeps_a_complete_session(tmp_path):
    link = tmp_path / "sensor.pty"
    em = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "grade3"],
                          cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not link.exists():
            assert em.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        out = tmp_path / "sessions" / "ben"
        rec = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", f"serial:{link}", "--out",
                                str(out), "--r1", "40", "--r2", "120", "--target", "III", "--trainee", "Ben"],
                               cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while not ((out / "force.csv").is_file() and (out / "force.csv").stat().st_size > 20000):
            assert rec.poll() is None and time.monotonic() < deadline, rec.communicate()
            time.sleep(0.05)
        rec.send_signal(signal.SIGINT)
        said, told = rec.communicate(timeout=60)
    finally:
        em.send_signal(signal.SIGINT)
        em.communicate(timeout=60)
    assert rec.returncode == 0 and "Traceback" not in told, told
    s = open_session(out)
    n = len(s.force.t_s)
    assert said.startswith(f"recorded {n} samples (") and f" to {out}; target III: " in said
    assert s.meta.complete and s.meta.trainee == "Ben" and s.warnings == []
    assert s.meta.extra["device_stats"]["dropped"] == 0
    assert s.events[-1]["type"] == "summary"
    r = gc("replay", out, "--format", "jsonl")
    assert r.returncode == 0 and r.stderr == ""
    assert json.loads(r.stdout.splitlines()[-1])["type"] == "summary"


def test_ctrl_c_pressed_again_while_the_recording_closes_still_leaves_it_complete(tmp_path):
    """Ctrl-C pressed twice (the second while the recording was being closed) broke into its
    closing: session.json said it did not finish, replay warned 'recording did not finish
    cleanly', exit 130. Here Ctrl-C comes every 5 ms from the first on until the program ends."""
    out = tmp_path / "cara"
    rec = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out", str(out),
                            "--quiet"], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ((out / "force.csv").is_file() and (out / "force.csv").stat().st_size > 30000):
        assert rec.poll() is None and time.monotonic() < deadline, rec.communicate()
        time.sleep(0.02)
    said, told = ctrl_c_until_it_ends(rec, 0.005, deadline)
    s = open_session(out)
    assert s.meta.complete and s.warnings == [], (said, told, s.warnings)
    assert s.events[-1]["type"] == "summary"
    r = gc("replay", out, "--format", "jsonl")
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_audio_takes_part_of_an_inputs_name_as_its_help_says(tmp_path):
    """record --help offered 'default', a number or 'none' for --audio; part of an input's name
    (what 'gradecoach devices' shows, and what the trainer's --mic takes) worked too, unsaid.
    The microphone is ALSA's file plugin, named 'default' in 'gradecoach devices'."""
    import os

    import numpy as np

    from tests.conftest import file_microphone

    shown = " ".join(gc("record", "--help").stdout.split())
    assert "--audio DEVICE microphone: 'default', an input's number or part of its name" in shown
    raw = tmp_path / "mic.raw"
    np.zeros(48000, "<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    listed = subprocess.run([sys.executable, "-m", "ui.cli", "devices"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert "  0: default  " in listed.stdout, listed.stdout
    out = tmp_path / "dora"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out", str(out),
                        "--duration", "1", "--audio", "defa", "--quiet"], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    audio = json.loads((out / "session.json").read_text())["streams"]["audio"]
    assert audio["file"] == "audio.flac" and audio["device"] == "default" and (out / "audio.flac").stat().st_size > 0
