"""'gradecoach record --device file:SESSION' of a session with sound keeps the sound and the
session's target: the new folder replays with the pops its stored events name. It stored the pops
found in the played sound but wrote no audio.flac, so replay said 'no audio' and showed '–' for
pops its own events counted, and its target was null. A microphone asked for as well (--audio) is
not turned on beside it, in the trainer's words: the played sound shares the force's timeline
(the microphone's was recorded instead and the played sound left out, unlike the trainer)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from analysis.summary import describe_pops
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from tests.ui.conftest import run_record
from ui.cli import main


def _session_with_sound(tmp_path) -> Path:
    """A thrust with its pops in a session folder (force.csv, audio.flac), target V."""
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp_path / "t.csv")]) == 0
    inp = load_input(tmp_path / "t.csv", tmp_path / "t.flac")
    a, sr = sf.read(str(tmp_path / "t.flac"), dtype="float32")
    w = SessionWriter(tmp_path / "played", SessionMeta(trainee="anna", target="V", r1_n=40.0, r2_n=120.0))
    w.append_force(inp.force.t_s, inp.force.values)
    w.append_audio(inp.audio_times(np.arange(len(a)), sr), a, sr)
    w.close(inp.force.rate_hz)
    return tmp_path / "played"


def _pops(events) -> list[float]:
    return [round(e["t"], 6) for e in events if e["type"] == "cavitation"]


def test_a_recording_of_a_played_session_keeps_its_sound_pops_and_target(tmp_path):
    played = _session_with_sound(tmp_path)
    heard = _pops([e.to_dict() for e in analyze_input(load_input(played))])
    assert len(heard) == 3
    r = run_record("--device", f"file:{played}", "--out", tmp_path / "again", "--duration", 10)
    # the status line counts the last thrust's pops in the trainer's words (it said nothing of them)
    status = [s for s in r.stderr.splitlines() if "last grade V" in s]
    again = open_session(tmp_path / "again")
    assert again.audio_path == tmp_path / "again" / "audio.flac"
    assert again.meta.target == "V"                                   # (it was null)
    assert _pops(again.events) == heard
    replayed = [e.to_dict() for e in analyze_input(load_input(tmp_path / "again"))]
    assert _pops(replayed) == heard                                   # (replay found none: 'no audio')
    (thrust,) = replayed[-1]["thrusts"]
    assert thrust["pops"] == 3
    said = describe_pops(thrust["pops"], thrust["first_pop_ms_from_peak"])          # "3 pops, first …"
    assert status and status[-1].endswith(f"(target V: on target; {said})"), status


def test_a_microphone_asked_for_is_not_turned_on_beside_the_played_sound_as_in_the_trainer(tmp_path, mic_home):
    played = _session_with_sound(tmp_path)
    r = run_record("--device", f"file:{played}", "--out", tmp_path / "again", "--duration", 1, "--audio", "default",
                   "--quiet", home=mic_home)
    said = [s for s in r.stderr.splitlines() if "microphone" in s]
    assert said == ["microphone not turned on: session played plays its own sound "   # (the trainer's words)
                    "(another --device to use the microphone)"]
    meta = json.loads((tmp_path / "again" / "session.json").read_text())
    assert "device" not in meta["streams"]["audio"]                   # (it was the microphone's: 'default')
    kept, sr = sf.read(str(tmp_path / "again" / "audio.flac"), dtype="float32")
    sound, sr_played = sf.read(str(played / "audio.flac"), dtype="float32")
    assert sr == sr_played and len(kept) >= sr // 2                   # (the microphone's was silence)
    assert np.abs(kept).max() > 0
    np.testing.assert_allclose(kept, sound[:len(kept)], atol=1e-4)
