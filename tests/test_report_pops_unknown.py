"""``gradecoach report`` says the pops of a recording whose sound held nothing (a muted or dead
microphone) or cannot be analysed (under 16 kHz) are unknown, as replay does: the page said "pops:
none heard" beside a thrusts table of "–", and "no audio recorded" for sound at 8 kHz."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from firmware_bridge.replay import load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402
from tests.ui.review.test_report import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

def sessions(tmp_path) -> dict[str, Path]:
    """One simulated thrust (``simulate --thrust --audio 48000``, three pops with it) recorded as
    session folders under ``tmp_path/root``: with its sound (``heard``), with quiet noise and no
    pop (``quiet``), with silence (``mute``: a muted microphone), with its sound at 8 kHz
    (``lofi``) and without sound (``nomic``)."""
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp_path / "t.csv")]) == 0
    inp = load_input(tmp_path / "t.csv", tmp_path / "t.flac")
    a, sr = sf.read(str(tmp_path / "t.flac"), dtype="float32")
    noise = (0.002 * np.random.default_rng(3).standard_normal(a.shape)).astype(np.float32)
    out = {}
    for name, sound, rate in (("heard", a, sr), ("quiet", noise, sr), ("mute", np.zeros_like(a), sr),
                              ("lofi", a[::6], sr // 6), ("nomic", None, None)):
        folder = tmp_path / "root" / name
        w = SessionWriter(folder, SessionMeta(trainee=name, target="V", r1_n=40.0, r2_n=120.0))
        w.append_force(inp.force.t_s, inp.force.values)
        if sound is not None:
            w.append_audio(np.arange(len(sound)) / rate, sound, rate)
        w.close(inp.force.rate_hz)
        out[name] = folder
    return out


NAMES = ("heard", "quiet", "mute", "lofi", "nomic")


def recording_sections(page: Path) -> dict[str, str]:
    """The page's section of each recording of :data:`NAMES`, reported in that order."""
    return dict(zip(NAMES, page.read_text(encoding="utf-8").split('<section class="recording"')[1:]))


def _fact(section: str, label: str) -> str:
    return re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", section).group(1)


def test_report_says_unknown_pops_as_replay_does(tmp_path):
    s = sessions(tmp_path)
    page = tmp_path / "r.html"
    assert main(["report", *(str(s[n]) for n in NAMES), "-o", str(page)]) == 0
    sections = recording_sections(page)
    said = {n: (_fact(sec, "pops"), [r["pops"] for r in Page(sec).table("thrusts")]) for n, sec in sections.items()}
    assert said == {"heard": ("3 (3 with a thrust)", ["3"]),
                    "quiet": ("none heard", ["0"]),
                    "mute": ("unknown: no usable sound", ["–"]),          # (it said "none heard")
                    "lofi": ("unknown: recorded, cannot be analysed", ["–"]),   # ("no audio recorded")
                    "nomic": ("no audio recorded", ["–"])}
    assert "silent throughout" in sections["mute"] and "unknown, not none" in sections["mute"]
