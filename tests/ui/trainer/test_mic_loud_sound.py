"""Talk over a thrust hides its pops: where sustained sound holds the pop band's floor 12 dB or
more over the room's quiet, pops were found 15 times in 104 (docs/audio.md). A thrust whose peak
lies there with no pop heard is said as "no pop heard (loud sound)", on the screen, in the stored
summary (``pops_masked``) and on replay of the folder, not "no pop", which reads as a thrust that
gave none; pops heard there are a least number ("≥1", "at least 1 pop, … (loud sound)"). The
audio strip tints the loud sound under the sound's envelope.

Real parts as in test_mic_lost_sound.py (the window, its keys, engine, recorder and worker; a
stand-in microphone hearing the thrust fixture's sound in step with its force, here with a
simulated voice added over it from 14.5 s; the fixture's fourth thrust peaks at 17.87 s with no
pop, its third at 12.66 s with 2 pops).
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from analysis.summary import MASKED
from firmware_bridge.audio_sim import _speech

from ._mic import SOUND, StubMic, summary
from ._mic_short_off import record_with

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def with_voice(from_s: float, over_db: float) -> tuple[np.ndarray, int]:
    """The fixture's sound with a simulated voice from ``from_s`` to its end, its RMS
    ``over_db`` over the fixture's first second's."""
    x, sr = sf.read(str(SOUND), dtype="float32")
    i0 = int(from_s * sr)
    voice = _speech(np.random.default_rng(7), float(sr), (len(x) - i0) / sr)[:len(x) - i0]
    room = np.sqrt(np.mean(x[:sr] ** 2))
    y = x.copy()
    y[i0:i0 + len(voice)] += voice / np.sqrt(np.mean(voice ** 2)) * room * 10 ** (over_db / 20)
    return y.astype(np.float32), sr


def recorded(qtbot, monkeypatch, root, sound: np.ndarray, rate: int, shot: str | None = None):
    """The fixture recorded (:func:`record_with`) with a microphone hearing ``sound``: what the
    HVLA panel said of the newest thrust's pops at 18.5 s, and each thrust's stored and replayed
    (pops, pops_masked)."""
    shown, folder, replayed = record_with(qtbot, monkeypatch, root,
                                          lambda now: StubMic("Clip-on mic", now, sound=sound, rates=(rate,)), shot)

    def pops(rows):
        return [(t["pops"], t.get("pops_masked", False)) for t in rows]

    return shown, pops(summary(folder)["thrusts"]), pops(replayed.thrusts)


def test_a_thrust_without_a_pop_in_talk_is_said_as_none_heard_in_loud_sound(qtbot, monkeypatch, tmp_path):
    sound, rate = with_voice(14.5, 25.0)
    shown, stored, replayed = recorded(qtbot, monkeypatch, tmp_path / "rec", sound, rate,
                                       "trainer_pops_loud_sound.png")
    assert shown == ("0", MASKED)                               # it said "no pop"
    # the third thrust, before the talk, keeps its two pops; the fourth's none is in loud sound
    assert stored == replayed == [(2, False), (0, True)]


def test_a_quiet_voice_leaves_no_pop_said_as_none(qtbot, monkeypatch, tmp_path):
    # a voice 3 dB over the room raises its floor less than 12 dB: a pop there is still found
    sound, rate = with_voice(14.5, 3.0)
    shown, stored, replayed = recorded(qtbot, monkeypatch, tmp_path / "rec", sound, rate)
    assert shown == ("0", "no pop")
    assert stored == replayed == [(2, False), (0, False)]


def test_pops_heard_in_talk_are_a_least_number_on_the_panel(qtbot, monkeypatch, tmp_path):
    """A voice 6 dB over the room from 10.5 s: one of the third thrust's two pops is heard in it,
    and the panel gives that count as a least number ("≥1", "at least … (loud sound)"), as replay
    says it; it said "1", "1 pop, …", as if the thrust gave only that one."""
    from ._mic_short_off import from_third_thrust
    from ._mic_sweep import MicSession
    sound, rate = with_voice(10.5, 6.0)
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec", path=from_third_thrust(tmp_path / "played"))
    s.next_mics(StubMic("Clip-on mic", s.force_now, sound=sound, rates=(rate,)))
    s.key("toggle_microphone")
    s.until(13.5)
    panel = s.win.thrust_panel
    assert (panel.values["pops"].text(), panel.pops_line.text()) == (
        "≥1", "at least 1 pop, first heard 3 ms after peak force (loud sound)")
    # the audio strip tints the talk from where it began (3 s before now) to now, so the trainee
    # sees why the thrust's count is a least number
    strip = s.win.audio_strip
    x, _ = strip.loud.getData()
    assert strip.loud.isVisible() and x[0] == pytest.approx(-3.0, abs=0.1) and x[-1] == 0.0
