"""A real microphone whose callbacks came late on a busy machine is not taken for a file played
as one: its pops stay counted. Judged at the audio clock's 0.5 % over a second (5 ms of callback
lateness), a recording's pops were all made unknown; an input is only "not placed in time" 5 % or
more off its own rate (a file played at 2x) and by more than 0.25 s of sound against the time."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from firmware_bridge.replay.inputs import unplaced_audio


def _meta(delivered_hz: float, rate_hz: float = 48000.0):
    return SimpleNamespace(streams={"audio": {"rate_hz": rate_hz, "rate_delivered_hz": delivered_hz}})


@pytest.mark.parametrize("share", [1.006, 0.99, 1.03])
def test_an_input_a_little_off_its_rate_keeps_its_pops(share):
    assert unplaced_audio(_meta(48000.0 * share), Path("s/audio.flac")) is None


@pytest.mark.parametrize("share", [2.0, 0.5, 1.08])
def test_an_input_far_off_its_rate_is_not_placed_in_time(share):
    kept, said = unplaced_audio(_meta(48000.0 * share), Path("s/audio.flac"))
    assert "not placed in time" in kept and said.endswith("so the thrusts' pops are unknown")


def test_the_recorder_judges_its_microphone_at_the_same_share():
    from firmware_bridge.audio import UNPLACED_EXCESS_S, UNPLACED_SHARE, AudioRecorder

    asked = []

    class Mic:
        rate_hz = 48000.0

        def delivered_far(self, after_s=1.0, tolerance=0.005, excess_s=0.0):
            asked.append((tolerance, excess_s))
            return None

    rec = AudioRecorder.__new__(AudioRecorder)
    rec.mic = Mic()
    assert rec.unplaced_note() is None and asked == [(UNPLACED_SHARE, UNPLACED_EXCESS_S)]
