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
