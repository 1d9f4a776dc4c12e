"""The report says what the library, the review and Compare say: a V session in which no thrust
was done scores "no thrust" (it read "–", as a session whose thrusts cannot be judged), and two
sessions recorded in the same minute are told apart by their seconds in the overview and under
the score chart's bars (both read "2026-12-02 13:21")."""

from __future__ import annotations

import re

import pytest

from tests.conftest import gc

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_no_thrust_and_the_same_minute(tmp_path):
    root = tmp_path / "class"
    make_session(root / "a1", trainee="Anna", created="2026-12-02T13:21:05", target="V", kinds=("V",), seed=1)
    make_session(root / "a2", trainee="Anna", created="2026-12-02T13:21:48", target="V", kinds=("II",), seed=2)
    out = tmp_path / "r.html"
    r = gc("report", "--class", root, "-o", out)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    overview = page[page.index("<h2>Overview</h2>"):]
    overview = overview[:overview.index("</table>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", overview)[1:]]
    assert [row[3] for row in rows] == ["2026-12-02 13:21:05", "2026-12-02 13:21:48"]
    assert rows[1][5] == "no thrust"


def test_the_score_charts_labels_tell_them_apart(tmp_path, qapp):
    from PySide6.QtGui import QFont

    from ui.report import load_item, score_who
    root = tmp_path / "class"
    make_session(root / "a1", trainee="Anna", created="2026-12-02T13:21:05", seed=1)
    make_session(root / "a2", trainee="Anna", created="2026-12-02T13:21:48", seed=2)
    who = score_who([load_item(root / "a1"), load_item(root / "a2")], QFont())
    assert who == [["Anna", "2026-12-02 13:21:05"], ["Anna", "2026-12-02 13:21:48"]]
