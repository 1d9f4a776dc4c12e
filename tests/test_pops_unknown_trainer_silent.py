"""A muted or dead microphone (every sample 0) hears no pop: the trainer's HVLA panel shows the
pops of a thrust made then as unknown ("–", "pops not counted"), not "0" and "no pop", for a
played session whose audio.flac is all zeros (replay of it says the pops are unknown) and for
a live microphone that delivers only zeros; a microphone that hears the same thrust says "no pop".

Real parts: the trainer window (offscreen), its engine, and for the live microphone its keys and
acquisition worker, with a stand-in microphone (tests/ui/trainer/test_trainer_mic_name.py). The
thrust fixture's fourth thrust peaks at 17.87 s of it, with no pop; its sound is 16 kHz.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf

from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input
from tests.conftest import ROOT
from tests.ui.trainer.conftest import Feeder, schemes, thrust_tab_window
from tests.ui.trainer.test_trainer_mic_sweep import MicSession, few_frames

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FIX = ROOT / "fixtures" / "thrust_pops.csv"
SILENT = ("–", "silent microphone (every sample 0): pops not counted")


def session(folder, sound: np.ndarray):
    """A session folder of the fixture's force and ``sound`` (16 kHz) as its microphone's."""
    folder.mkdir()
    shutil.copy(FIX, folder / "force.csv")
    sf.write(str(folder / "audio.flac"), sound, 16000)
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-11-20T10:00:00", "trainee": "Mute", "technique": "HVLA T6",
        "target": "V", "r1_n": 40, "r2_n": 120, "alpha": 0.5, "sensor": {"name": "x", "force_units": "N"},
        "streams": {"force": {"file": "force.csv", "rate_hz": 1000},
                    "audio": {"file": "audio.flac", "rate_hz": 16000, "t0_s": 0.0}},
        "notes": "", "comments": [], "complete": True, "gaps": []}))
    return folder


def shown(qtbot, folder, at_s: float, feeder=Feeder) -> tuple[str, str]:
    """What the HVLA panel says of the newest thrust's pops, ``folder`` played to ``at_s`` by
    ``feeder`` (a frame after each chunk, or :func:`~tests.ui.trainer.test_trainer_mic_sweep.few_frames`)."""
    win, eng = thrust_tab_window(qtbot, *schemes())
    feeder(eng, win, folder).until(at_s)
    panel = win.thrust_panel
    return panel.values["pops"].text(), panel.pops_line.text()


def test_a_played_session_with_a_silent_microphone_shows_its_thrusts_pops_unknown(qtbot, tmp_path):
    heard, _ = sf.read(str(FIX.with_suffix(".flac")), dtype="float32")
    mute = session(tmp_path / "mute", np.zeros_like(heard))
    [replayed] = [e for e in analyze_input(load_input(str(mute))) if isinstance(e, SummaryEvent)]
    assert [t["pops"] for t in replayed.thrusts] == [None] * 6          # replay: unknown, not none
    got = shown(qtbot, mute, 18.5, few_frames)
    assert got == SILENT and "no pop" not in got[1]                      # it said "0", "no pop"
    assert shown(qtbot, session(tmp_path / "heard", heard), 18.5, few_frames) == ("0", "no pop")


def test_a_live_microphone_giving_only_zeros_leaves_the_pops_unknown(qtbot, monkeypatch, tmp_path):
    got = []
    for sound in (np.zeros(30 * 16000, np.float32), None):
        s = MicSession(qtbot, monkeypatch, tmp_path / f"rec{len(got)}")
        s.next_mics(s.mic("Clip-on mic", sound=sound))
        s.key("toggle_microphone")              # A
        s.until(18.5)
        panel = s.win.thrust_panel
        got.append((panel.values["pops"].text(), panel.pops_line.text()))
    assert got == [SILENT, ("0", "no pop")]
