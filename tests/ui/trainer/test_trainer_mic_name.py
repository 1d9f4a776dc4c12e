"""A recording made in the trainer with the microphone on names the microphone in the warning
about audio samples that were not numbers, as ``record`` and ``replay`` name where their sound
came from; a microphone changed during the recording is named for the samples it gave.

Real parts: the trainer window and its keys, its engine, recorder and acquisition worker (its
microphone path run step by step on this thread, as its loop runs it), the thrust fixture's
force. The microphone is a stand-in with AudioInput's interface: PortAudio captures 16-bit
samples, which cannot be NaN, and a driver handing out float samples can.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.replay import iter_chunks, load_input

from ._mic import MicSession, summary

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def nan_warnings(folder: Path) -> list[str]:
    return [w for w in summary(folder)["warnings"] if "not a number" in w or "not numbers" in w]


def test_the_recording_names_the_microphone_that_gave_samples_not_numbers(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("Clip-on mic", nan_at=(1000, 9000, 9001)))     # (the first before the recording)
    s.until(0.5)
    s.key("toggle_microphone")                  # A
    s.until(1.0)
    folder = s.win.start_recording()            # Space
    s.until(6.0)
    s.win.stop_recording()
    assert nan_warnings(folder) == [
        "audio input 'Clip-on mic': 2 audio samples were not numbers (NaN or infinite) or were beyond any full "
        "scale (over 1e12) and were read as silence"]


def test_a_microphone_changed_while_recording_is_named_for_its_own_samples(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    first = s.mic("Clip-on mic")                                        # (all numbers)
    second = s.mic("USB headset", nan_at=(100, 200, 300))
    s.next_mics(first, second)
    s.key("toggle_microphone")
    s.until(0.5)
    folder = s.win.start_recording()
    s.until(3.0)
    s.key("toggle_microphone")                  # off ...
    s.until(3.5)
    s.key("toggle_microphone")                  # ... and on: another microphone
    s.until(6.0)
    s.win.stop_recording()
    assert first.closed and second.started
    [w] = nan_warnings(folder)
    assert w.startswith("audio input 'USB headset': 3 audio samples were not numbers")


def test_both_microphones_are_named_when_both_gave_samples_not_numbers(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("Clip-on mic", nan_at=(16000,)), s.mic("USB headset", nan_at=(100, 200)))
    s.key("toggle_microphone")
    s.until(0.5)
    folder = s.win.start_recording()
    s.until(3.0)
    s.key("toggle_microphone")
    s.key("toggle_microphone")
    s.until(6.0)
    s.win.stop_recording()
    [w] = nan_warnings(folder)
    assert w.startswith("audio input 'Clip-on mic' (1) and audio input 'USB headset' (2): 3 audio samples were "
                        "not numbers")


def test_a_played_session_s_sound_is_named_by_its_file(qtbot, monkeypatch, tmp_path):
    """A recording made while playing a session with sound of its own (the microphone stays
    off beside it) names that sound's file, as ``record`` of it does."""
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    s.next_mics(s.mic("Clip-on mic"))
    s.key("toggle_microphone")
    folder = s.win.start_recording()
    s.until(4.0)
    s.win.stop_recording()
    # its sound as floats, some not numbers (a file written by another program)
    x, rate = sf.read(str(folder / "audio.flac"), dtype="float32")
    x[[100, 200]] = np.nan
    sf.write(str(folder / "audio.wav"), x, rate, subtype="FLOAT")
    (folder / "audio.flac").unlink()
    meta = json.loads((folder / "session.json").read_text())
    meta["streams"]["audio"]["file"] = "audio.wav"
    (folder / "session.json").write_text(json.dumps(meta))

    played = MicSession(qtbot, monkeypatch, tmp_path / "rec2", path=folder)
    played.feeder.chunks = iter_chunks(load_input(folder), 0.05)    # (its sound too)
    played.eng.source_opened(played.worker.source)
    again = played.win.start_recording()
    played.until(4.0)
    played.win.stop_recording()
    assert nan_warnings(again) == [
        f"{folder / 'audio.wav'}: 2 audio samples were not numbers (NaN or infinite) or were beyond any full scale "
        "(over 1e12) and were read as silence"]
