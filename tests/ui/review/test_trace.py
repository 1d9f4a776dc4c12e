"""What the review draws of a recording's sound, from the audio file itself."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from ui.review.trace import audio_envelope, read_audio_window


def _stereo_with_a_pop_on_the_right(path):
    rate = 48000
    x = np.zeros((rate, 2), dtype=np.float32)
    x[:, 0] = 0.01 * np.sin(np.arange(rate) * 0.3)          # room noise on the left
    x[24000:24048, 1] = -0.6                                  # a pop heard on the right only
    x[24048:24096, 1] = 0.4
    sf.write(path, x, rate, subtype="FLOAT")
    return rate


def test_a_pop_heard_on_one_channel_of_a_stereo_recording_is_drawn_overview_and_zoomed(tmp_path):
    path = tmp_path / "audio.wav"
    _stereo_with_a_pop_on_the_right(path)
    t, v, rate = audio_envelope(path, t0_s=10.0)
    assert rate == 48000
    k = np.flatnonzero((t >= 10.499) & (t <= 10.501))
    assert v.min() == np.float32(-0.6) and v.max() == np.float32(0.4)
    assert len(k) and v[k].min() == np.float32(-0.6)
    t, x = read_audio_window(path, 10.49, 10.51, start_s=10.0)
    assert abs(t[0] - 10.49) < 1e-4 and len(x) == 960
    assert x.min() == np.float32(-0.6) and x.max() == np.float32(0.4)
    t, x = read_audio_window(path, 10.1, 10.2, start_s=10.0)   # only the left one sounds here
    assert abs(np.abs(x).max() - 0.01) < 1e-3


def test_a_recording_torn_part_way_is_drawn_and_zoomed_up_to_the_tear(tmp_path):
    """A FLAC cut off half way (a crash while recording): the overview reaches the tear (about
    5 s of 10, inside the first block read), a zoom before it shows the samples, one after it
    shows nothing, and neither raises."""
    rate = 48000
    x = (np.random.default_rng(1).standard_normal(10 * rate) * 0.01).astype(np.float32)
    x[2 * rate:2 * rate + 48] = 0.7
    full = tmp_path / "full.flac"
    sf.write(full, x, rate)
    torn = tmp_path / "audio.flac"
    data = full.read_bytes()
    torn.write_bytes(data[:len(data) // 2])
    t, v, _ = audio_envelope(torn)
    assert 4.0 < t.max() < 5.5 and abs(v.max() - 0.7) < 1e-3
    t, w = read_audio_window(torn, 1.95, 2.05)
    assert len(w) == 4800 and abs(w.max() - 0.7) < 1e-3
    t, w = read_audio_window(torn, 3.0, 7.0)                          # runs into the tear
    assert 1.0 * rate < len(w) < 2.5 * rate
    t, w = read_audio_window(torn, 8.0, 9.0)
    assert len(w) == 0


def test_playing_a_torn_recording_plays_up_to_the_tear_and_silence_after(tmp_path):
    from ui.review.player import AudioOut, Playhead

    rate = 48000
    x = (np.random.default_rng(1).standard_normal((10 * rate, 2)) * 0.01).astype(np.float32)
    x[2 * rate:2 * rate + 480, 1] = 0.8                             # heard on the right only
    full = tmp_path / "full.flac"
    sf.write(full, x, rate)
    torn = tmp_path / "audio.flac"
    data = full.read_bytes()
    torn.write_bytes(data[:len(data) // 2])
    ph = Playhead(10.0)
    out = AudioOut(torn, ph, ahead_s=1.0)
    ph.seek(1.99)
    out.prefetch()
    assert abs(out.render(48000).max() - 0.4) < 0.03                 # both channels mixed
    ph.seek(8.0)
    out.prefetch()                                                  # past the tear
    assert not out.render(4800).any()


def test_a_recording_damaged_in_the_middle_is_drawn_on_past_the_damage(tmp_path):
    """Bytes overwritten in a FLAC, and in a phone's .m4a: the overview is drawn up to the
    damage and on after it (as replay reads it), the skipped stretch a break in the line (a bin
    of NaN), every bin after it at its time: a FLAC's loud burst 8 s in is drawn at 8 s, the
    .m4a's loudest pop (the fixture's first, 3.17 s) at its time."""
    from tests._phone import phone_recording
    rate = 16000
    x = (np.random.default_rng(2).standard_normal(12 * rate) * 0.01).astype(np.float32)
    x[8 * rate:8 * rate + 32] = 0.7
    flac = tmp_path / "x.flac"
    sf.write(flac, x, rate)
    m4a = phone_recording(tmp_path / "x.m4a", noise_substitution=False)
    for path, share, burst_s, length_s in ((flac, 0.5, 8.0, 12.0), (m4a, 0.05, 3.1728, 31.8)):
        raw = bytearray(path.read_bytes())
        i = int(len(raw) * share)
        raw[i:i + 2000] = np.random.default_rng(3).integers(0, 256, 2000, dtype=np.uint8).tobytes()
        path.write_bytes(bytes(raw))
        t, v, _ = audio_envelope(path)
        gap = np.flatnonzero(np.isnan(v))
        assert len(gap) == 2                            # (one bin: its low and high)
        t_gap = t[gap[0]]
        assert 0.2 < t_gap < burst_s and np.all(np.diff(t) >= 0)
        assert t[-1] > length_s - 0.1
        assert abs(t[np.nanargmax(v)] - burst_s) < 0.02
