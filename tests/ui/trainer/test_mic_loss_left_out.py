"""A microphone chosen while recording whose sound is at another rate than audio.flac's is not
recorded ("one file holds one rate"), and so what it lost is not the recording's either: the
microphone losses session.json's audio entry keeps (``overflows``, ``dropped_blocks``,
``lost_s``, ``rate_delivered_hz``) and the status line says are those of the sound the file
holds, counted over the time each microphone's sound was recorded. The left-out microphone's
losses were added to them, as if audio.flac had lost that sound.

Real parts as in test_trainer_mic_name.py (the window, its keys, engine, recorder and worker; a
stand-in microphone with AudioInput's interface hearing the thrust fixture's sound in step with
its force). A microphone refusing the recording's rate cannot be made from ALSA's file plugin
(it captures at any rate asked), so the stand-in counts losses as AudioInput does, its counters
read through ``firmware_bridge.audio.mic_loss`` as the trainer reads a real one's.
"""

from __future__ import annotations

import json

import pytest

from ._mic import MicSession, StubMic, summary

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


class LossyMic(StubMic):
    """A stand-in microphone that, at each read handing out sound, counts ``dropped`` blocks
    dropped, ``overflows`` input overflows and ``lost_s`` of silence placed for them;
    ``delivered_hz``: the rate it says it delivered when far off its own (else None)."""

    def __init__(self, *a, dropped: int = 0, overflows: int = 0, lost_s: float = 0.0,
                 delivered_hz: float | None = None, **kw) -> None:
        super().__init__(*a, **kw)
        self.per_read = (dropped, overflows, lost_s)
        self.delivered_hz = delivered_hz
        self.overflows = self.dropped_blocks = 0
        self.lost_s = 0.0

    def read(self, timeout_s: float = 0.1, held: bool = True):
        out = super().read(timeout_s, held)
        if out:
            d, o, s = self.per_read
            self.dropped_blocks += d
            self.overflows += o
            self.lost_s += s
        return out

    def delivered_far(self, after_s: float = 1.0, tolerance: float = 0.005, excess_s: float = 0.0) -> float | None:
        return self.delivered_hz if self.n else None

    def counts(self) -> tuple[int, int, float]:
        return self.dropped_blocks, self.overflows, self.lost_s


def record_with_a_second_microphone_at_another_rate(s: MicSession, first: LossyMic, second: LossyMic):
    """The first microphone on (A), recording from 0.5 s (Space); at 8 s it is turned off and
    the second opened (A twice), which captures only at its own rate; played on to 14 s. Returns
    the folder (recorded; stopped), the first microphone's counts as the recording began and as
    it was turned off, the status line while recording, and the audio entry of session.json."""
    s.next_mics(first, second)
    s.key("toggle_microphone")
    s.until(0.5)
    before = first.counts()
    folder = s.win.start_recording()
    s.until(8.0)
    s.key("toggle_microphone")
    s.until(8.05)
    assert first.closed
    after = first.counts()
    s.key("toggle_microphone")
    s.until(14.0)
    assert second.started and second.dropped_blocks > 0 and second.rate_hz != first.rate_hz
    status = s.win._status_text()
    s.win.stop_recording()
    audio = json.loads((folder / "session.json").read_text())["streams"]["audio"]
    return folder, before, after, status, audio


def test_a_left_out_microphone_s_losses_are_not_the_recording_s(qtbot, monkeypatch, tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    first = LossyMic("Clip-on mic", s.force_now, dropped=1, lost_s=0.01)
    second = LossyMic("USB headset", s.force_now, rates=(48000,), dropped=40, overflows=3, lost_s=0.4,
                      delivered_hz=96000.0)
    folder, before, after, status, audio = record_with_a_second_microphone_at_another_rate(s, first, second)
    assert any("'USB headset' (48000 Hz) from" in w and "was not recorded" in w for w in summary(folder)["warnings"])
    # what the first lost while its sound went into the file, and nothing of the second's
    dropped = after[0] - before[0]
    assert 0 < dropped < second.dropped_blocks
    assert (audio["dropped_blocks"], audio["overflows"]) == (dropped, 0), audio
    assert audio["lost_s"] == pytest.approx(after[2] - before[2], abs=1e-6), audio
    # the second's rate is not the file's input's (it delivered in time)
    assert "rate_delivered_hz" not in audio, audio
    assert f"audio lost while recording: {dropped} blocks dropped (the program fell behind), " in status, status
    assert "overflow" not in status and "faster than real time" not in status, status


def test_a_lossless_recording_says_no_loss_however_much_the_left_out_microphone_lost(qtbot, monkeypatch,
                                                                                       tmp_path):
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    first = LossyMic("Clip-on mic", s.force_now)
    second = LossyMic("USB headset", s.force_now, rates=(48000,), dropped=40, overflows=3, lost_s=0.4)
    *_, status, audio = record_with_a_second_microphone_at_another_rate(s, first, second)
    assert (audio["dropped_blocks"], audio["overflows"], audio["lost_s"]) == (0, 0, 0.0), audio
    assert "audio lost" not in status, status
