"""Audio too short to hear a pop in, a session's own audio replaced with --audio, and a
session.json whose audio rate is not its file's: each said once, in one line."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def session(tmp_path, audio: np.ndarray, rate: int, entry_rate_hz: float):
    folder = tmp_path / "s"
    w = SessionWriter(folder, SessionMeta())
    w.append_force(np.arange(0, 2, 0.001), np.ones(2000))
    sf.write(str(folder / "audio.flac"), audio, rate)
    w.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": entry_rate_hz, "t0_s": 0.0}
    w.close(1000.0)
    return folder


def test_audio_of_a_sample_or_10_ms_warns_it_is_too_short_to_hear_a_pop_in(tmp_path):
    for n in (1, 480):
        wav = tmp_path / f"short{n}.wav"
        sf.write(str(wav), np.random.default_rng(0).normal(0, 0.05, n), 48000, subtype="PCM_16")
        r = gc("replay", FIX / "thrust_pops.csv", "--audio", wav, "--r1", 40, "--r2", 120, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        s = json.loads(r.stdout.splitlines()[-1])
        said = [w for w in s["warnings"] if "too short to hear a pop in" in w]
        assert len(said) == 1 and str(wav) in said[0] and f"only {n} sample" in said[0], s["warnings"]
        assert all(t["pops"] is None for t in s["thrusts"])


def test_audio_given_in_place_of_a_sessions_own_leaves_the_replaced_file_unjudged(tmp_path):
    folder = session(tmp_path, np.zeros(16000), 8000, 8000)        # its own: too coarse for pops
    other = tmp_path / "room.wav"
    sf.write(str(other), np.random.default_rng(0).normal(0, 0.01, 32000), 16000)
    inp = load_input(folder, other)
    assert inp.audio_path == other and inp.analyse_audio
    assert not any("audio.flac" in w and "not analysed" in w for w in inp.warnings), inp.warnings
    assert any("instead of the session's own audio.flac" in w for w in inp.warnings)
    assert any("not analysed" in w for w in load_input(folder).warnings)      # alone, it still is


def test_a_session_json_audio_rate_not_the_files_is_one_warning_naming_both(tmp_path):
    folder = session(tmp_path, np.random.default_rng(0).normal(0, 0.01, 48000), 48000, 44100)
    inp = load_input(folder)
    said = [w for w in inp.warnings if "rate" in w]
    assert len(said) == 1 and "44100" in said[0] and "48000 Hz" in said[0], inp.warnings
