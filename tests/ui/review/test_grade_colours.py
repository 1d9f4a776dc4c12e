"""The review and the report colour grades as the trainer does (its Okabe–Ito palette): IV was
red beside II's green there, the pair colour-blind readers confuse, and unlike the trainer's."""

from __future__ import annotations

import base64

import pytest
from PySide6.QtGui import QImage

from ui.trainer.palette import grade_colour, rgba

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _trainers(grade):
    return rgba(grade_colour(grade), 255)[:3]


def _colours(png_b64: str) -> set[tuple[int, int, int]]:
    img = QImage.fromData(base64.b64decode(png_b64), "PNG")
    out = set()
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            c = img.pixelColor(x, y)
            out.add((c.red(), c.green(), c.blue()))
    return out


def test_report_histogram_bars_in_the_trainers_colours(qtbot):
    from ui.report import histogram_figure
    seen = _colours(histogram_figure({"II": 3, "IV": 5, "IV+": 2}, "grades"))
    assert _trainers("II") in seen and _trainers("IV") in seen
    assert (215, 50, 50) not in seen and (60, 170, 90) not in seen        # (the old red and green)


def test_review_marks_cycles_and_thrusts_in_the_trainers_colours(qtbot, tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("II", "IV", "V"), target="IV")
    win = shown_review(qtbot, tmp_path)
    rs = win.open_session(folder)
    view = win.session_view
    grades = {e.get("grade") for e in rs.of_type("cycle")}
    assert {"II", "IV"} <= grades
    by_grade = {}
    for e, brush in zip(rs.of_type("cycle"), view.cycle_marks.data["brush"]):
        c = brush.color()
        by_grade.setdefault(e.get("grade"), set()).add((c.red(), c.green(), c.blue()))
    for g, cs in by_grade.items():
        assert cs == {_trainers(g)}, g
    thrust = view.thrust_marks.data["brush"][0].color()
    assert (thrust.red(), thrust.green(), thrust.blue()) == _trainers("V")
