"""Grades are listed in grade order (I, II, III--, III-, III, III+, III++, IV--, …, V) in the
review's "grades:" line and the report's histogram and sets table, not as their names sort as
strings (I, III+, III++, III-, III--, IV…)."""

from __future__ import annotations

import re

import pytest

from ui.cli import main

from .conftest import make_session, shown_review
from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ORDER = ["I", "II", "III--", "III-", "III", "III+", "III++", "IV--", "IV-", "IV", "IV+", "IV++", "V"]


def _in_order(names):
    return names == sorted(names, key=ORDER.index)


def _session(tmp_path):
    return make_session(tmp_path / "ana", kinds=("IV-", "III+", "III-", "II", "III"), target="III", seed=2)


def test_review_grades_line_in_grade_order(qtbot, tmp_path):
    folder = _session(tmp_path)
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    text = win.session_view.grades.text()
    names = re.findall(r"(\S+): \d+", text.removeprefix("grades: "))
    assert len(names) >= 4 and _in_order(names), text


def test_report_histogram_and_sets_in_grade_order(tmp_path, monkeypatch):
    import pyqtgraph as pg
    ticks = []
    real = pg.AxisItem.setTicks

    def record(self, t):
        ticks.append(t)
        return real(self, t)
    monkeypatch.setattr(pg.AxisItem, "setTicks", record)
    folder = _session(tmp_path)
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    labels = [name for t in ticks if t for _, name in t[0]]
    assert len(labels) >= 4 and _in_order(labels), labels
    for row in Page(out.read_text()).table("sets"):
        names = [g.split(":")[0] for g in row["grades"].split()]
        assert _in_order(names), row["grades"]
