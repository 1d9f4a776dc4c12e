"""The sound track of the review window for recordings of any length."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from ui.review.trace import audio_envelope

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("channels", [1, 2])
def test_a_recording_that_is_not_a_whole_number_of_bins_is_drawn_to_its_end(tmp_path, channels):
    """48 kHz for 1 s and 7 samples: the last bin holds 7 samples (at 5 ms a bin is 240), and
    a click in it is drawn."""
    rate = 48000
    x = np.zeros((rate + 7, channels), dtype=np.float32)
    x[-3:, -1] = 0.5
    path = tmp_path / "audio.wav"
    sf.write(path, x, rate, subtype="FLOAT")
    t, v, sr = audio_envelope(path)
    assert sr == rate and v.ndim == 1 and len(t) == len(v) == 2 * 201
    assert v.max() == np.float32(0.5) and t[np.argmax(v)] == pytest.approx(1.0)


def test_a_sound_that_cannot_be_drawn_is_said_once_under_the_plots(qtbot, tmp_path):
    """The envelope is read on a worker thread; its failure (the file went since the session
    was opened) is one line, and the window's timer does not raise it again at every frame."""
    from ui.review.data import open_review
    from ui.review.session_view import SessionView

    from .conftest import make_session

    folder = make_session(tmp_path / "s", kinds=("V",), target="V", audio=True)
    view = SessionView(clock=lambda: 0.0)
    qtbot.addWidget(view)
    view.set_session(open_review(folder))
    qtbot.waitUntil(lambda: view._audio_job is None, timeout=5000)
    (folder / "audio.wav").unlink()
    view._audio_job = view._pool.submit(audio_envelope, folder / "audio.wav")
    qtbot.waitUntil(view._audio_job.done, timeout=5000)
    view.tick()
    said = view.audio_label.text()
    assert said.startswith("sound not drawn: ") and "audio.wav" in said and "\n" not in said
    assert view._audio_job is None
    view.tick()                                        # nothing left to raise
    view.close_session()
