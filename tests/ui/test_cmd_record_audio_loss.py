"""'gradecoach record --audio' says in its status line, and in its last line, how much audio was
lost while recording (it said nothing: only session.json and a later replay told). The microphone
is ALSA's file plugin, which runs faster than real time, so the recorder cannot keep up and drops
blocks, as a real one would on a machine that falls behind."""

from __future__ import annotations

import json

from firmware_bridge.recorder import status_line
from firmware_bridge.sources import EmulatorSource
from tests.ui.conftest import run_record


def test_audio_lost_is_said_while_recording_and_at_the_end(tmp_path, mic_home):
    r = run_record("--device", "emulator:hvla", "--out", tmp_path / "s", "--duration", "1.5", "--audio", "default",
                   home=mic_home)
    status = [s for s in r.stderr.splitlines() if "last grade" in s]
    assert status and all("  audio lost while recording: " in s and " blocks dropped (the program fell behind)"
                           in s for s in status)
    audio = json.loads((tmp_path / "s" / "session.json").read_text())["streams"]["audio"]
    (last,) = r.stdout.splitlines()
    assert last.startswith("recorded ") and "\n" not in last
    assert f"; audio lost while recording: {audio['dropped_blocks']} blocks dropped" in last


def test_a_status_line_without_audio_lost_says_nothing_of_it():
    line = status_line(1.0, EmulatorSource("hvla"), 1000, "V")
    assert line.endswith("last grade V") and "audio" not in line
