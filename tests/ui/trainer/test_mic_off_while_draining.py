"""The microphone turned off with A reads as off at once, also while the worker still takes the
last sound it captured (its stream stopped): the key's tick and a second press of A read the
worker's ``mic_on``, which said "on" for that while (the switch was taken off the queue before
the old microphone was let go).

Real parts as in test_trainer_mic_name.py (the window, its keys, engine, recorder and worker; a
stand-in microphone hearing the thrust fixture's sound in step with its force)."""

from __future__ import annotations

import pytest

from ._mic import MicSession

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_microphone_reads_as_off_while_its_last_sound_is_taken(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    mic = s.mic("Clip-on mic")
    seen = []
    last_sound = mic.read_pending

    def read_pending():
        seen.append(s.worker.mic_on)             # as the window reads it meanwhile
        return last_sound()

    mic.read_pending = read_pending
    s.next_mics(mic)
    s.key("toggle_microphone")
    s.until(1.0)
    assert s.worker.mic_on and mic.started
    s.key("toggle_microphone")
    assert seen == [False]                       # it said True while the old one drained
    assert not s.worker.mic_on and mic.closed
    s.until(2.0)
    assert not s.worker.mic_on
