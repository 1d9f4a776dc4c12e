"""A recording with a signal gap says in its report how much of its duration had no data: the
facts read "duration 10.0 s" for a recording 6 s of which was a sensor unplugged."""

from __future__ import annotations

import re

from ui.cli import main

from .conftest import make_session
from ._gap_session import GAP, REASON, _gap_session


def _facts(tmp_path, folder) -> dict[str, str]:
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    return dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", out.read_text(encoding="utf-8")))


def test_the_report_says_how_long_a_recording_had_no_data(tmp_path):
    facts = _facts(tmp_path, _gap_session(tmp_path / "gap"))
    assert facts["duration"] == "10.0 s"
    # worded as replay's table and the review word it ("signal gaps 1, 5.1 s without data" before)
    assert facts["gaps"] == f"1 ({REASON}: 1), {GAP[1] - GAP[0]:.1f} s without data"


def test_a_recording_without_gaps_names_none(tmp_path):
    assert "gaps" not in _facts(tmp_path, make_session(tmp_path / "whole", cycles=3))
