"""A recording's signal gaps are worded alike by replay's table, the report and the review:
they read "gaps: 1 (disconnected: 1), 5.1 s without data", "signal gaps 1, 5.1 s without data"
and "signal gaps: 1"."""

from __future__ import annotations

import re

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from ._gap_session import _gap_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_replay_report_and_review_word_the_gaps_alike(tmp_path, capsys, qtbot):
    folder = _gap_session(tmp_path / "gap")
    assert main(["replay", str(folder), "--format", "table"]) == 0
    in_replay = re.search(r"^  gaps: (.*)$", capsys.readouterr().out, re.M).group(1)
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    in_report = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", out.read_text(encoding="utf-8")))["gaps"]
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(folder)
    in_review = win.session_view.details_dict()["gaps"]
    assert in_replay == in_report == in_review == "1 (disconnected: serial:/dev/ttyUSB0: connection lost: 1), " \
                                                  "6.0 s without data"
