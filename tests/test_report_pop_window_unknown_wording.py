"""``gradecoach report --pop-window MS`` says why a thrust's pops are unknown with the window
its analysis used: a thrust whose 300 ms window reaches into the silence of a muted microphone
(one that is found from some 210 ms after its peak) was "unknown: no sound around the thrust", worded with
the 150 ms window the report's wording assumed, beside a thrusts table that left them unknown
for that silence."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
import soundfile as sf

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from firmware_bridge.replay import load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402
from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _session(tmp_path):
    """One simulated thrust recorded with quiet noise for sound (no pop), the microphone muted
    (every sample 0) from 120 ms after the thrust's peak force to its end (over 3 s)."""
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp_path / "t.csv")]) == 0
    inp = load_input(tmp_path / "t.csv", tmp_path / "t.flac")
    a, sr = sf.read(str(tmp_path / "t.flac"), dtype="float32")
    peak_s = float(inp.force.t_s[int(np.argmax(inp.force.values))])
    sound = (0.002 * np.random.default_rng(3).standard_normal(a.shape)).astype(np.float32)
    sound[int((peak_s + 0.12) * sr):] = 0.0
    assert len(sound) / sr - (peak_s + 0.12) > 1.5          # (long enough to be heard as silence)
    folder = tmp_path / "root" / "muted"
    w = SessionWriter(folder, SessionMeta(trainee="muted", target="V", r1_n=40.0, r2_n=120.0))
    w.append_force(inp.force.t_s, inp.force.values)
    w.append_audio(np.arange(len(sound)) / sr, sound, sr)
    w.close(inp.force.rate_hz)
    return folder


def _pops(page) -> tuple[str, list[str]]:
    text = page.read_text(encoding="utf-8")
    fact = re.search(r"<dt>pops</dt><dd>([^<]*)</dd>", text).group(1)
    return fact, [r["pops"] for r in Page(text).table("thrusts")]


def test_report_words_unknown_pops_with_the_pop_window_given(tmp_path):
    folder = _session(tmp_path)
    page = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(page)]) == 0
    assert _pops(page) == ("none heard", ["0"])            # (150 ms: the silence is out of reach)
    assert main(["report", str(folder), "--pop-window", "300", "-o", str(page)]) == 0
    # (it said "unknown: no sound around the thrust", though sound lies all around it)
    assert _pops(page) == ("unknown: no usable sound", ["–"])
