"""``gradecoach report`` and the review: a thrust whose pops were listened for in sound that hides
most of them (a voice held the pop band's floor 12 dB or more over the room's quiet at its peak) is "0 (loud sound)" or "≥2 (loud sound)" in the page's thrusts table, ``pops_masked``
"yes" in the CSV, and "no pop heard (loud sound)" or "at least 2 pops, … (loud sound)" in the
review's event details: a plain 0 or "no pop" read as a thrust that gave none, a plain count as
all it gave. In quiet noise it stays 0, "no" and "no pop"."""

from __future__ import annotations

import csv
import os

import numpy as np
import pytest
import soundfile as sf

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.summary import MASKED  # noqa: E402
from firmware_bridge.audio_sim import _speech  # noqa: E402
from firmware_bridge.replay import load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402
from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402
from ui.review.data import open_review  # noqa: E402
from ui.review.session_view import thrust_pops_words  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def voice_over(sound: np.ndarray, rate: int, over_db: float, seed: int = 4) -> np.ndarray:
    """``sound`` with a simulated voice from 0.5 s on, its RMS ``over_db`` over the first half
    second's."""
    room = np.sqrt(np.mean(sound[:rate // 2] ** 2))
    v = _speech(np.random.default_rng(seed), float(rate), len(sound) / rate - 0.5)[:len(sound) - rate // 2]
    y = sound.astype(np.float64)
    y[rate // 2:rate // 2 + len(v)] += v / np.sqrt(np.mean(v ** 2)) * room * 10 ** (over_db / 20)
    return y.astype(np.float32)


def test_a_thrust_heard_in_talk_is_said_as_heard_in_loud_sound_in_the_report_and_the_review(tmp_path):
    """One simulated thrust with its three pops: in quiet noise without them (0, "no"), in talk
    20 dB over the room without them ("0 (loud sound)"), and with them under talk 10 dB over the
    room, where two of the three are heard ("≥2 (loud sound)": more may have been missed)."""
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp_path / "t.csv")]) == 0
    inp = load_input(tmp_path / "t.csv")
    pops, rate = sf.read(str(tmp_path / "t.flac"), dtype="float32")
    noise = (1e-3 * np.random.default_rng(4).standard_normal(len(pops))).astype(np.float32)
    folders = {}
    for name, sound in (("talk", voice_over(noise, rate, 20.0)), ("quiet", noise),
                        ("talk_pops", voice_over(pops, rate, 10.0))):
        folders[name] = folder = tmp_path / "root" / name
        w = SessionWriter(folder, SessionMeta(trainee=name, target="V", r1_n=40.0, r2_n=120.0))
        w.append_force(inp.force.t_s, inp.force.values)
        w.append_audio(np.arange(len(sound)) / rate, sound, rate)
        w.close(inp.force.rate_hz)
    page, table = tmp_path / "r.html", tmp_path / "events.csv"
    names = ("talk", "quiet", "talk_pops")
    assert main(["report", *(str(folders[n]) for n in names), "-o", str(page), "--csv", str(table)]) == 0
    with open(table, newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["type"] == "thrust"]
    assert {r["trainee"]: (r["pops"], r["pops_masked"]) for r in rows} == {
        "talk": ("0", "yes"), "quiet": ("0", "no"), "talk_pops": ("2", "yes")}
    sections = dict(zip(names, page.read_text(encoding="utf-8").split('<section class="recording"')[1:]))
    assert {n: [r["pops"] for r in Page(sections[n]).table("thrusts")] for n in names} == {
        "talk": ["0 (loud sound)"], "quiet": ["0"], "talk_pops": ["≥2 (loud sound)"]}
    said = {}
    for name in names:
        rs = open_review(folders[name])
        [thrust] = rs.of_type("thrust")
        said[name] = thrust_pops_words(rs, thrust)
    assert said["talk"] == MASKED and said["quiet"] == "no pop"
    assert said["talk_pops"].startswith("at least 2 pops, first heard ") and said["talk_pops"].endswith(" (loud sound)")
