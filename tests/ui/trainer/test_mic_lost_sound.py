"""Sound the microphone lost on the way (blocks dropped as the program fell behind, an input
overflow) comes as silence in its place, so that later sound keeps its time. A thrust whose tie
window (150 ms either side of its peak) reaches into that silence has its pops unknown ("–"),
on the screen, in the stored summary and on replay of the folder, which keeps where the sound
was lost (``lost_at_s``): all three said "no pop" of a thrust nobody could hear, since the
silence is under the 1 s replay takes for dead audio.

Real parts as in test_mic_short_off.py (the window, its keys, engine, recorder and worker; a
stand-in microphone hearing the thrust fixture's sound in step with its force, handing out
silence marked as AudioInput marks it for the sound it lost; the fixture's fourth thrust peaks
at 17.87 s with no pop, its third at 12.66 s with 2 pops).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.chunk import LOST
from analysis.events import SummaryEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.trainer.window import LOST_SOUND

from ._mic_short_off import END_S, play_and_record, record_with
from ._mic import StubMic, summary

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


class LosingMic(StubMic):
    """A stand-in microphone that loses the sound of the fixture's times ``lost_s`` (start, end):
    the 10 ms blocks reaching into it come as silence marked lost (``Chunk.meta``), as
    AudioInput hands out in place of blocks it dropped."""

    def __init__(self, *a, lost_s: tuple[float, float], **kw) -> None:
        super().__init__(*a, **kw)
        self.lost_s = lost_s

    def read(self, timeout_s: float = 0.1, held: bool = True):
        out = []
        for c in super().read(timeout_s, held):
            t0 = (self.offset + c.seq0) / self.rate_hz            # the fixture's time of its first sample
            if t0 < self.lost_s[1] and t0 + len(c) / self.rate_hz > self.lost_s[0]:
                c = type(c)(c.t_s, np.zeros_like(c.values), c.seq0, c.stream, c.rate_hz, meta={LOST: True})
            out.append(c)
        return out


def recorded(qtbot, monkeypatch, root, lost_s: tuple[float, float], shot: str | None = None):
    """The fixture recorded from half a second after :data:`FROM_S` to :data:`END_S`, the sound of
    ``lost_s`` lost on the way; what the HVLA panel said of the newest thrust's pops at 18.5 s,
    the folder's stored pops of each thrust, replay's, and session.json's audio entry; ``shot``:
    the window at 18.5 s saved under that name in test-artifacts."""
    shown, folder, replayed = record_with(qtbot, monkeypatch, root,
                                          lambda now: LosingMic("Clip-on mic", now, lost_s=lost_s), shot)
    meta = json.loads((folder / "session.json").read_text())
    return (shown, [t["pops"] for t in summary(folder)["thrusts"]], [t["pops"] for t in replayed.thrusts],
            meta["streams"]["audio"], meta["extra"]["source_t0_s"], folder)


def test_a_thrust_whose_sound_was_lost_on_the_way_has_its_pops_unknown(qtbot, monkeypatch, tmp_path):
    # 60 ms lost from 54 ms before the fourth thrust's peak
    shown, stored, replayed, audio, t0, _ = recorded(qtbot, monkeypatch, tmp_path / "rec", (17.82, 17.88),
                                                     "trainer_pops_sound_lost.png")
    assert shown == ("–", LOST_SOUND)                          # it said "0", "no pop"
    assert stored == replayed == [2, None]                     # they said 0
    # the folder says where, on its timeline: the 10 ms blocks reaching into the time lost
    [(a, b)] = audio["lost_at_s"]
    assert 17.81 <= a + t0 <= 17.82 and 17.88 <= b + t0 <= 17.89


def test_sound_lost_away_from_any_thrust_leaves_the_pops_counted(qtbot, monkeypatch, tmp_path):
    shown, stored, replayed, audio, t0, _ = recorded(qtbot, monkeypatch, tmp_path / "rec", (15.0, 15.1))
    assert shown == ("0", "no pop")
    assert stored == replayed == [2, 0]
    [(a, b)] = audio["lost_at_s"]
    assert 14.99 <= a + t0 <= 15.0 and 15.1 <= b + t0 <= 15.11


def test_a_played_session_s_lost_sound_is_said_as_lost_and_a_recording_of_it_keeps_the_pops_unknown(
        qtbot, monkeypatch, tmp_path):
    """The folder whose sound was lost over the fourth thrust, played in the trainer: the panel
    says the sound was lost there, as it said live (it said "no sound around its peak", as of a
    microphone turned off), and a recording of the played session stores its pops unknown, as
    replay of that recording does."""
    *_, folder = recorded(qtbot, monkeypatch, tmp_path / "rec", (17.82, 17.88))
    s, again = play_and_record(qtbot, monkeypatch, tmp_path / "again", folder)
    s.until(18.0)
    panel = s.win.thrust_panel
    assert (panel.values["pops"].text(), panel.pops_line.text()) == ("–", LOST_SOUND)
    s.until(END_S)
    s.win.stop_recording()
    [replayed] = [e for e in analyze_input(load_input(str(again))) if isinstance(e, SummaryEvent)]
    assert [t["pops"] for t in summary(again)["thrusts"]] == [t["pops"] for t in replayed.thrusts] == [2, None]
