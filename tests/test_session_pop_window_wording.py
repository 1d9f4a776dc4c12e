"""A session recorded with a pop window of 300 ms (``extra.pop_window_ms``) is analysed again by
``report`` and the review with that window, and the words saying why a thrust's pops are unknown
use it too: its microphone went mute 120 ms after the thrust's peak, inside 300 ms but outside
150, so its pops are "unknown: no usable sound" (they were "none heard", as with the default
window), unless ``--pop-window`` gives another window."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def muted(tmp_path_factory):
    """One simulated thrust with quiet noise for sound (no pop), the microphone muted (every
    sample 0) from 120 ms after the thrust's peak force to its end (over 1.5 s), recorded with a
    300 ms pop window."""
    tmp = tmp_path_factory.mktemp("muted")
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp / "t.csv")]) == 0
    inp = load_input(tmp / "t.csv", tmp / "t.flac")
    a, sr = sf.read(str(tmp / "t.flac"), dtype="float32")
    peak_s = float(inp.force.t_s[int(np.argmax(inp.force.values))])
    sound = (0.002 * np.random.default_rng(3).standard_normal(a.shape)).astype(np.float32)
    sound[int((peak_s + 0.12) * sr):] = 0.0
    assert len(sound) / sr - (peak_s + 0.12) > 1.5          # (long enough to be heard as silence)
    folder = tmp / "muted"
    w = SessionWriter(folder, SessionMeta(trainee="muted", target="V", r1_n=40.0, r2_n=120.0))
    w.append_force(inp.force.t_s, inp.force.values)
    w.append_audio(np.arange(len(sound)) / sr, sound, sr)
    w.close(inp.force.rate_hz)
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta.setdefault("extra", {})["pop_window_ms"] = 300.0
    mp.write_text(json.dumps(meta))
    assert not (folder / "events.jsonl").exists() or "summary" not in (folder / "events.jsonl").read_text()
    return folder


def _pops(page) -> tuple[str, list[str]]:
    text = page.read_text(encoding="utf-8")
    fact = re.search(r"<dt>pops</dt><dd>([^<]*)</dd>", text).group(1)
    return fact, [r["pops"] for r in Page(text).table("thrusts")]


def test_report_words_unknown_pops_with_the_stored_pop_window(muted, tmp_path):
    page = tmp_path / "r.html"
    assert main(["report", str(muted), "-o", str(page)]) == 0
    assert _pops(page) == ("unknown: no usable sound", ["–"])
    assert main(["report", str(muted), "--pop-window", "150", "-o", str(page)]) == 0
    assert _pops(page) == ("none heard", ["0"])            # (150 ms: the silence is out of reach)


def test_review_details_word_unknown_pops_with_the_stored_pop_window(muted):
    from ui.review.data import describe_session, open_review

    rs = open_review(muted)
    assert [t["pops"] for t in rs.summary["thrusts"]] == [None]
    assert ("pops", "unknown: no usable sound") in describe_session(rs)
