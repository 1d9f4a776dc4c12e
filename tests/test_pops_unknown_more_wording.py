"""Why a session's pops are unknown, in the review's details and the report's "pops" line: "no
usable sound" only where a muted or dead microphone covers the thrusts; sound that ended before
them (or began after them) says "no sound around the thrusts" (both said "no usable sound",
with no warning on the page of sound cut to its first 2 s). A session without sound says the
same words in both, and one thrust is "the thrust", not "1 of 1 thrusts"."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
import soundfile as sf

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.cli import main  # noqa: E402
from ui.review.data import describe_pops_heard, describe_session, open_review  # noqa: E402

from tests.ui.review.conftest import make_session  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _pops_fact(page) -> str:
    return re.search(r"<dt>pops</dt><dd>([^<]*)</dd>", page.read_text(encoding="utf-8")).group(1)


def test_report_tells_sound_that_ended_before_the_thrusts_from_a_muted_microphone(tmp_path):
    csv = tmp_path / "early.csv"
    assert main(["simulate", "--thrust", "--sets", "3", "--audio", "16000", "--seed", "1", "-o", str(csv)]) == 0
    x, sr = sf.read(str(tmp_path / "early.flac"), dtype="float32")
    sf.write(str(tmp_path / "first2s.flac"), x[:2 * sr], sr)
    sf.write(str(tmp_path / "mute.flac"), np.zeros_like(x), sr)
    (tmp_path / "early.flac").unlink()          # (a CSV's own sound beside it is named: none here)
    got = {}
    for name in ("first2s", "mute", None):
        page = tmp_path / f"{name}.html"
        audio = ["--audio", str(tmp_path / f"{name}.flac")] if name else []
        assert main(["report", str(csv), *audio, "--r1", "40", "--r2", "120", "-o", str(page)]) == 0
        got[name] = _pops_fact(page)
    assert got == {"first2s": "unknown: no sound around the thrusts",    # (it said "no usable sound")
                   "mute": "unknown: no usable sound",
                   None: "no audio recorded"}


def test_review_says_the_same_of_a_session_whose_sound_ended_early_or_that_had_none(tmp_path):
    folder = make_session(tmp_path / "early", kinds=("V", "V"), target="V", audio=True, events=False)
    x, sr = sf.read(str(folder / "audio.wav"))
    sf.write(str(folder / "audio.wav"), x[:sr // 2], sr, subtype="PCM_16")     # half a second, before the thrusts
    rs = open_review(folder)
    assert [t["pops"] for t in rs.summary["thrusts"]] == [None, None]
    assert dict(describe_session(rs))["pops"] == "unknown: no sound around the thrusts"
    nomic = open_review(make_session(tmp_path / "nomic", kinds=("V",), target="V", audio=False, events=False))
    assert dict(describe_session(nomic))["pops"] == "no audio recorded"         # (it said "no sound recorded")


def test_one_thrust_is_worded_as_one():
    summary = {"audio": True, "spans_s": {"audio": [0.0, 10.0]},
               "thrusts": [{"t_peak": 9.95, "pops": None, "first_pop_ms_from_peak": None}]}
    pops = [{"t": 1.0, "thrust": None}]
    assert describe_pops_heard(summary, pops) == "1 (0 with a thrust); unknown at the thrust"   # (1 of 1 thrusts)
    assert describe_pops_heard(summary, []) == "unknown: no sound around the thrust"
    two = {**summary, "thrusts": [{"t_peak": 5.0, "pops": 0}, *summary["thrusts"]]}
    assert describe_pops_heard(two, []) == "none heard; unknown at 1 of 2 thrusts"
    both = {**summary, "thrusts": [{"t_peak": 5.0, "pops": None}, *summary["thrusts"]]}
    assert describe_pops_heard(both, [], dead=[(4.0, 6.0)]) == "unknown: no usable sound at 1 thrust, no sound around 1"
