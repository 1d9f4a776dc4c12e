"""``gradecoach report`` says the pops of a recording whose sound held nothing (a muted or dead
microphone) or cannot be analysed (under 16 kHz) are unknown, as replay does: the page said "pops:
none heard" beside a thrusts table of "–", and "no audio recorded" for sound at 8 kHz."""

from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._pops_unknown_sessions import NAMES, recording_sections, sessions  # noqa: E402
from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


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
