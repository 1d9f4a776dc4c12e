"""Replay of a session recorded with a microphone that could not be used says why it has no
sound, once ("no audio: the microphone 'x' could not be used when recording (…)"), as record said
it and session.json keeps it (``extra.audio_not_recorded``); it only said "no audio"."""

from __future__ import annotations

import json

from tests._cli_in_process import gc_in_process


def test_replay_says_why_a_session_has_no_sound(tmp_path, capsys):
    out = tmp_path / "m"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out, "--duration", "0.3",
                      "--audio", "no-such-microphone", "--quiet")
    assert r.returncode == 0 and "no audio: --audio no-such-microphone was not recorded" in r.stdout, r
    why = json.loads((out / "session.json").read_text())["extra"]["audio_not_recorded"]["why"]
    r = gc_in_process(capsys, "replay", out, "--format", "table")
    assert r.returncode == 0, r.stderr
    said = (f"{out}: no audio: the microphone 'no-such-microphone' could not be used when recording ({why})")
    assert (r.stdout + r.stderr).count(said) == 1, (r.stdout, r.stderr)


def test_a_session_recorded_without_a_microphone_says_nothing_of_one(tmp_path, capsys):
    out = tmp_path / "n"
    assert gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out, "--duration", "0.3",
                         "--quiet").returncode == 0
    r = gc_in_process(capsys, "replay", out, "--format", "table")
    assert r.returncode == 0 and "microphone" not in r.stdout + r.stderr
