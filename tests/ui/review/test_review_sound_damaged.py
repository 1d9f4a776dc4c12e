"""A session whose sound file was damaged in the middle after the recording (bytes overwritten:
a disk or a copy's error): the review's sound plot stopped at the damage, though replay reads on
past it and its pops after it are found. Now the plot runs on past it, the damaged stretch a
break in the line, the pop after it drawn at its time."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_sound_of_a_session_damaged_in_the_middle_is_drawn_on_past_the_damage(qtbot, tmp_path):
    root = tmp_path / "class"
    folder = make_session(root / "ana", kinds=("III", "V"), target="V", audio=True)
    x, sr = sf.read(str(folder / "audio.wav"), dtype="float32")
    sf.write(str(folder / "audio.flac"), x, sr)
    (folder / "audio.wav").unlink()
    meta = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    meta["streams"]["audio"]["file"] = "audio.flac"
    (folder / "session.json").write_text(json.dumps(meta), encoding="utf-8")
    raw = bytearray((folder / "audio.flac").read_bytes())
    i = int(0.4 * len(raw))
    raw[i:i + 2000] = np.random.default_rng(3).integers(0, 256, 2000, dtype=np.uint8).tobytes()
    (folder / "audio.flac").write_bytes(bytes(raw))
    length_s = len(x) / sr
    pop_s = 1.5 + np.argmax(np.abs(x[int(1.5 * sr):])) / sr        # (the thrust's pops' loudest)

    win = shown_review(qtbot, root)
    win.open_session(folder)
    view = win.session_view
    qtbot.waitUntil(lambda: view._audio_job is None, timeout=10000)
    view.detail.setXRange(0.0, length_s, padding=0)      # (zoomed out: the envelope is drawn)
    qtbot.wait(50)
    t, v = view.audio_curve.getData()
    gap = np.flatnonzero(np.isnan(v))
    assert len(gap) == 2                                 # (one bin: its low and high)
    t_gap = float(t[gap[0]])
    assert 0.3 * length_s < t_gap < 0.6 * length_s and t[-1] > length_s - 0.05
    after = t > t_gap
    assert pop_s > t_gap and abs(float(t[after][np.nanargmax(np.abs(v[after]))]) - pop_s) < 0.02
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_sound_damaged.png"))
    win.close()
