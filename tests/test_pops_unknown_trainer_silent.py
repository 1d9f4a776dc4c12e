"""A muted or dead microphone (every sample 0) hears no pop: the trainer's HVLA panel shows the
pops of a thrust made then as unknown ("–", "pops not counted"), not "0" and "no pop", for a
played session whose audio.flac is all zeros (replay of it says the pops are unknown) and for
a live microphone that delivers only zeros; a microphone that hears the same thrust says "no pop".

Real parts: the trainer window (offscreen), its engine, and for the live microphone its keys and
acquisition worker, with a stand-in microphone (tests/ui/trainer/test_trainer_mic_name.py). The
thrust fixture's fourth thrust peaks at 17.87 s of it, with no pop; its sound is 16 kHz.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input
from tests._silent_mic import FIX, SILENT, session, shown
from tests.ui.trainer._mic_sweep import MicSession, few_frames, force_between

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_played_session_with_a_silent_microphone_shows_its_thrusts_pops_unknown(qtbot, tmp_path):
    heard, _ = sf.read(str(FIX.with_suffix(".flac")), dtype="float32")
    mute = session(tmp_path / "mute", np.zeros_like(heard))
    [replayed] = [e for e in analyze_input(load_input(str(mute))) if isinstance(e, SummaryEvent)]
    assert [t["pops"] for t in replayed.thrusts] == [None] * 6          # replay: unknown, not none
    got = shown(qtbot, mute, 18.5, few_frames)
    assert got == SILENT and "no pop" not in got[1]                      # it said "0", "no pop"
    assert shown(qtbot, session(tmp_path / "heard", heard), 18.5, few_frames) == ("0", "no pop")


def test_a_live_microphone_giving_only_zeros_leaves_the_pops_unknown(qtbot, monkeypatch, tmp_path):
    """(The fixture's force from 14 s on, 1.3 s after its third thrust's peak: the fourth, the
    newest when the panel is read, and the 3.9 s before it, the microphone on from the start.)"""
    played = force_between(tmp_path / "played", 14.0, 18.5)
    got = []
    for sound in (np.zeros(30 * 16000, np.float32), None):
        s = MicSession(qtbot, monkeypatch, tmp_path / f"rec{len(got)}", path=played)
        s.next_mics(s.mic("Clip-on mic", sound=sound))
        s.key("toggle_microphone")              # A
        s.until(18.5)
        panel = s.win.thrust_panel
        got.append((panel.values["pops"].text(), panel.pops_line.text()))
    assert got == [SILENT, ("0", "no pop")]
