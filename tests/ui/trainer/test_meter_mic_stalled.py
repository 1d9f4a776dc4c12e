"""A live microphone that stops giving sound without an error (a USB microphone that stalls):
once the sensor's data run more than a second past the last sound heard, the level meter shows
no level and says "no sound from the microphone"; when its sound comes again, the level is back.
It went on showing its last level ("audio -23 dBFS"), and the trainee took it to be listening."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk

from .conftest import schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FORCE_HZ, SOUND_HZ, STEP_S = 1000.0, 8000.0, 0.05


def _chunk(stream: str, t0: float, rate_hz: float, values) -> Chunk:
    n = int(round(STEP_S * rate_hz))
    t = t0 + np.arange(n) / rate_hz
    return Chunk(t, np.full(n, values, dtype=np.float64 if stream == "force" else np.float32),
                 stream=stream, rate_hz=rate_hz)


def _play(win, eng, t_from: float, t_to: float, sound: bool) -> str:
    """The sensor's 20 N (and, if ``sound``, the microphone's level of 0.07) from ``t_from`` to
    ``t_to``; the meter's words after it."""
    for t0 in np.arange(t_from, t_to - 1e-9, STEP_S):
        if sound:
            eng.feed(_chunk("audio", float(t0), SOUND_HZ, 0.07))
        eng.feed(_chunk("force", float(t0), FORCE_HZ, 20.0))
    win.refresh()
    return win.meter.format()


def test_the_meter_says_the_microphone_gives_no_sound_and_shows_it_again(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    eng.mic_open = True                              # (as the acquisition worker sets it)
    heard = _play(win, eng, 0.0, 2.0, sound=True)
    assert heard == "audio -23 dBFS" and win.meter.value() > -60
    assert _play(win, eng, 2.0, 2.8, sound=False) == heard       # (a moment's delay is no stall)
    assert _play(win, eng, 2.8, 3.5, sound=False) == "no sound from the microphone"
    assert win.meter.value() == -60
    assert _play(win, eng, 3.5, 4.0, sound=True) == heard


def test_a_microphone_turned_on_that_never_gives_sound_is_said_to_give_none(qtbot):
    """Not "no microphone": one is on; and one turned on again after a while gives its first
    sound its second, not a moment's "no sound" for the old sound's age."""
    win, eng = thrust_tab_window(qtbot, *schemes())
    eng.mic_opened()
    assert _play(win, eng, 0.0, 0.8, sound=False) == "no microphone"     # (not a second yet)
    assert _play(win, eng, 0.8, 1.5, sound=False) == "no sound from the microphone"
    assert _play(win, eng, 1.5, 2.0, sound=True) == "audio -23 dBFS"
    eng.sound_stopped()
    _play(win, eng, 2.0, 6.0, sound=False)
    eng.mic_opened()                                 # (turned on again, 4 s after its last sound)
    assert _play(win, eng, 6.0, 6.8, sound=False) != "no sound from the microphone"
    assert _play(win, eng, 6.8, 7.5, sound=False) == "no sound from the microphone"
