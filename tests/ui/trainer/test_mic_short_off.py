"""The microphone turned off for less than a second while recording: a thrust whose tie window
(150 ms either side of its peak) reaches into the time it was off has its pops unknown ("–", not
heard), on the screen, in the stored summary and on replay of the folder, as for a longer time
off. The silence written for a short time off is not dead audio to replay (that takes 1 s), and
the screen heard the sound just before it: all three said "no pop" of a thrust made while the
microphone was off.

Real parts as in test_trainer_mic_name.py (the window, its keys, engine, recorder and worker; a
stand-in microphone hearing the thrust fixture's sound in step with its force; the fixture's
fourth thrust peaks at 17.87 s of it, with no pop, its third at 12.66 s with 2 pops).
"""

from __future__ import annotations

import json

import pytest

from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input

from ._mic import summary
from ._mic_short_off import END_S, FROM_S, from_third_thrust, play_and_record
from ._mic_sweep import MicSession

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def recorded(qtbot, monkeypatch, root, off_s: float, on_s: float, shown_at: float):
    """The fixture recorded from half a second after :data:`FROM_S` to :data:`END_S` of it, the
    microphone (key A) off from ``off_s`` to ``on_s``; what the HVLA panel said of the newest
    thrust's pops at ``shown_at``, the folder's stored pops of each thrust, replay's, the folder,
    and the force's time at each press of A."""
    s = MicSession(qtbot, monkeypatch, root, path=from_third_thrust(root.parent / "played"))
    s.next_mics(s.mic("Clip-on mic"), s.mic("Clip-on mic"))
    s.key("toggle_microphone")
    s.until(FROM_S + 0.5)
    folder = s.win.start_recording()
    pressed = []
    for t in (off_s, on_s):
        s.until(t)
        pressed.append(s.force_now())
        s.key("toggle_microphone")
    s.until(shown_at)
    panel = s.win.thrust_panel
    shown = (panel.values["pops"].text(), panel.pops_line.text())
    s.until(END_S)
    s.win.stop_recording()
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    return (shown, [t["pops"] for t in summary(folder)["thrusts"]], [t["pops"] for t in replayed.thrusts], folder,
            pressed)


NOT_HEARD = ("–", "no sound around its peak: pops not counted")


def _briefly_off(qtbot, monkeypatch, root, off_s: float, on_s: float):
    """The fixture recorded with the microphone off from ``off_s`` to ``on_s``, over the fourth
    thrust's tie window: its pops unknown on the screen, in the folder and on replay, and the
    folder saying when the microphone was off. Returns the folder."""
    shown, stored, replayed, folder, pressed = recorded(qtbot, monkeypatch, root, off_s, on_s, 18.5)
    assert shown == NOT_HEARD                                  # it said "0", "no pop"
    assert stored == replayed == [2, None]                     # they said 0
    # the folder says when the microphone was off, on its timeline
    meta = json.loads((folder / "session.json").read_text())
    [(a, b)] = meta["streams"]["audio"]["off_s"]
    t0 = meta["extra"]["source_t0_s"]
    # (from the force's time as A was pressed, within the 50 ms chunks the force is fed in and the
    # one the microphone's sound comes back after)
    assert 0.0 <= a + t0 - pressed[0] <= 0.06 and 0.0 <= b + t0 - pressed[1] <= 0.11
    return folder


# (0.4 s off from 74 ms before the fourth thrust's peak, 17.80 s to 18.20 s: recorded and checked
# by the played session's test below, which then plays that recording)
@pytest.mark.parametrize("off_s, on_s", [
    (17.95, 18.30),        # 0.35 s off from 76 ms after it: its tie window reaches into it
    (17.60, 17.85),        # 0.25 s off, back on 24 ms before its peak
])
def test_a_thrust_made_while_the_microphone_was_briefly_off_has_its_pops_unknown(qtbot, monkeypatch, tmp_path,
                                                                                 off_s, on_s):
    _briefly_off(qtbot, monkeypatch, tmp_path / "rec", off_s, on_s)


def test_a_short_time_off_away_from_any_thrust_leaves_the_pops_counted(qtbot, monkeypatch, tmp_path):
    shown, stored, replayed, *_ = recorded(qtbot, monkeypatch, tmp_path / "rec", 15.0, 15.5, 18.5)
    assert shown == ("0", "no pop")
    assert stored == replayed == [2, 0]


def test_a_thrust_just_before_the_microphone_went_off_for_good_has_its_pops_unknown(qtbot, monkeypatch, tmp_path):
    """Off 76 ms after the fourth thrust's peak and not on again before the recording stops: its
    pops unknown in the summary and on replay (they said 0, the sound's end being in its tie
    window), as the screen says (no microphone now)."""
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=from_third_thrust(tmp_path / "played"))
    s.next_mics(s.mic("Clip-on mic"))
    s.key("toggle_microphone")
    s.until(FROM_S + 0.5)
    folder = s.win.start_recording()
    s.until(17.95)
    s.key("toggle_microphone")
    s.until(18.5)
    assert s.win.thrust_panel.values["pops"].text() == "–"
    s.until(END_S)
    s.win.stop_recording()
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    assert [t["pops"] for t in summary(folder)["thrusts"]] == [t["pops"] for t in replayed.thrusts] == [2, None]


def test_a_played_session_s_short_time_off_is_not_heard_and_a_recording_of_it_keeps_it(qtbot, monkeypatch,
                                                                                         tmp_path):
    """The folder with the microphone off from 74 ms before the fourth thrust's peak for 0.4 s,
    played in the trainer (its sound holds silence for that time) and recorded again: the screen
    says its pops are not counted, and the new recording stores them unknown, as replay does
    (both said "no pop")."""
    folder = _briefly_off(qtbot, monkeypatch, tmp_path / "rec", 17.80, 18.20)    # (checked as the others)
    s, again = play_and_record(qtbot, monkeypatch, tmp_path / "again", folder)
    s.until(18.0)
    panel = s.win.thrust_panel
    assert (panel.values["pops"].text(), panel.pops_line.text()) == NOT_HEARD
    s.until(END_S)
    s.win.stop_recording()
    [replayed] = [e for e in analyze_input(load_input(str(again))) if isinstance(e, SummaryEvent)]
    assert [t["pops"] for t in summary(again)["thrusts"]] == [t["pops"] for t in replayed.thrusts] == [2, None]
