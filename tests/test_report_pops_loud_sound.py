"""``gradecoach report`` and the review: a thrust with no pop heard in sound that hides most pops (a
voice held the pop band's floor 10 dB or more over the room's quiet around its peak) is "0 (loud
sound)" in the page's thrusts table, ``pops_masked`` "yes" in the CSV and "no pop heard (loud
sound)" in the review's event details, not a plain 0 or "no pop", which read as a thrust that
gave none; in quiet noise it stays 0, "no" and "no pop"."""

from __future__ import annotations

import csv
import os

import numpy as np
import pytest

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
RATE = 16000


def test_a_thrust_without_a_pop_in_talk_is_0_in_loud_sound_in_the_report(tmp_path):
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "-o", str(tmp_path / "t.csv")]) == 0
    inp = load_input(tmp_path / "t.csv")
    n = int(inp.force.t_s[-1] * RATE) + RATE
    rng = np.random.default_rng(4)
    noise = 1e-3 * rng.standard_normal(n)
    voice = _speech(rng, float(RATE), n / RATE - 0.5)[:n - RATE // 2]
    talk = noise.copy()
    talk[RATE // 2:RATE // 2 + len(voice)] += voice / np.sqrt(np.mean(voice ** 2)) * 1e-2     # 20 dB over it
    folders = {}
    for name, sound in (("talk", talk), ("quiet", noise)):
        folders[name] = folder = tmp_path / "root" / name
        w = SessionWriter(folder, SessionMeta(trainee=name, target="V", r1_n=40.0, r2_n=120.0))
        w.append_force(inp.force.t_s, inp.force.values)
        w.append_audio(np.arange(n) / RATE, sound.astype(np.float32), RATE)
        w.close(inp.force.rate_hz)
    page, table = tmp_path / "r.html", tmp_path / "events.csv"
    assert main(["report", str(folders["talk"]), str(folders["quiet"]), "-o", str(page), "--csv", str(table)]) == 0
    with open(table, newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["type"] == "thrust"]
    assert {r["trainee"]: (r["pops"], r["pops_masked"]) for r in rows} == {"talk": ("0", "yes"), "quiet": ("0", "no")}
    talk_section, quiet_section = page.read_text(encoding="utf-8").split('<section class="recording"')[1:]
    assert [r["pops"] for r in Page(talk_section).table("thrusts")] == ["0 (loud sound)"]
    assert [r["pops"] for r in Page(quiet_section).table("thrusts")] == ["0"]
    for name, said in (("talk", MASKED), ("quiet", "no pop")):
        rs = open_review(folders[name])
        [thrust] = rs.of_type("thrust")
        assert thrust_pops_words(rs, thrust) == said
