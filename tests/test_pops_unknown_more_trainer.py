"""The trainer's HVLA panel judges a thrust's pops unknown by the rule replay and a recording's
stored summary use: its tie window reaches into a run of silence (every sample 0) of 1 s or more
(a muted or dead microphone). Sound muted from 3 s before the fixture's fourth thrust's peak
until 60 ms before it: replay gives that thrust's pops as unknown, the panel said "0", "no pop"
(some of the window held sound). Silence of 0.8 s over the whole window: replay gives "no pop"
(too short to be a dead stretch), the panel said "–".

Real parts: the trainer window (offscreen) and its engine, fed the session folder as played, a
frame drawn every fifth chunk and where it stops (the frame read)."""

from __future__ import annotations

import pytest
import soundfile as sf

from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input
from tests._silent_mic import FIX, SILENT, session, shown
from tests.ui.trainer._mic_sweep import few_frames

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def replayed(folder) -> list:
    [s] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    return [t["pops"] for t in s.thrusts]


@pytest.fixture(scope="module")
def fixture_sound():
    """The fixture's sound, its rate and its fourth thrust's peak (no pop), as replay finds it.
    Made once, only read."""
    heard, sr = sf.read(str(FIX.with_suffix(".flac")), dtype="float32")
    [s] = [e for e in analyze_input(load_input(str(FIX), str(FIX.with_suffix(".flac"))))
           if isinstance(e, SummaryEvent)]
    assert s.thrusts[3]["pops"] == 0
    return heard, sr, s.thrusts[3]["t_peak"]


def test_sound_muted_until_just_before_a_thrust_leaves_its_pops_unknown_as_replay_does(qtbot, tmp_path,
                                                                                     fixture_sound):
    heard, sr, peak = fixture_sound
    part = heard.copy()
    part[int((peak - 3.0) * sr):int((peak - 0.060) * sr)] = 0
    folder = session(tmp_path / "part", part)
    assert replayed(folder)[3] is None
    assert shown(qtbot, folder, peak + 0.6, few_frames) == SILENT        # it said ("0", "no pop")


def test_silence_shorter_than_a_dead_stretch_is_no_pop_as_replay_says(qtbot, tmp_path, fixture_sound):
    heard, sr, peak = fixture_sound
    short = heard.copy()
    short[int((peak - 0.4) * sr):int((peak + 0.4) * sr)] = 0             # 0.8 s: no dead stretch
    folder = session(tmp_path / "short", short)
    assert replayed(folder)[3] == 0
    assert shown(qtbot, folder, peak + 0.6, few_frames) == ("0", "no pop")   # it said "–"
