"""A session played with file: gives its sound along with its force, and a recording of it can
keep the sound with the pops found in it: the session writer writes the sound it is handed to
audio.flac, placed on the timeline at its first sample, so the new folder replays with the pops
its stored events name (a recording of a played session stored the pops of a sound it did not
keep: replay of it showed '–' for pops where its events said 3)."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from firmware_bridge.sources import FileSource
from ui.cli import main


def _pops(events) -> list[float]:
    return [round(e.t, 3) for e in events if e.TYPE == "cavitation"]


def test_the_sound_of_a_played_session_is_kept_with_its_pops(tmp_path):
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp_path / "t.csv")]) == 0
    heard = _pops(analyze_input(load_input(tmp_path / "t.csv", tmp_path / "t.flac")))
    assert heard
    src = FileSource(str(tmp_path / "t.csv"), speed=16.0, audio=str(tmp_path / "t.flac"))
    src.open()
    w = SessionWriter(tmp_path / "again", SessionMeta(trainee="anna", target="V", r1_n=40.0, r2_n=120.0))
    first_sound = None
    while not src.exhausted:                        # as a recording takes what the source gives
        for c in src.read(0.1):
            if c.stream == "force":
                w.append_force(c.t_s, c.values)
            elif c.stream == "audio":
                first_sound = c.t_s[0] if first_sound is None else first_sound
                w.append_audio(c.t_s, c.values, c.rate_hz)
    src.close()
    w.close(500.0)
    ses = open_session(tmp_path / "again")
    assert ses.audio_path is not None and ses.audio_path.name == "audio.flac"
    assert ses.meta.streams["audio"]["t0_s"] == pytest.approx(first_sound, abs=1e-6)
    assert ses.meta.streams["audio"]["rate_hz"] == 48000
    assert _pops(analyze_input(load_input(tmp_path / "again"))) == heard
    assert np.isclose(load_input(tmp_path / "again").duration_s, load_input(tmp_path / "t.csv", tmp_path / "t.flac")
                      .duration_s, atol=0.01)
