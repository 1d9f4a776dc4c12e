"""Compare: a mobilisation recorded with a hand-worn IMU alone beside the same one with force
shows the hand's movement (mm) with the IMU's cycles as a row of dots in the ungraded colour above
it, at their crests, where the Session tab puts them; its plot was an empty force plot with no
marks. The force beside it keeps its own scale, its cycles coloured by grade; both plots as wide."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ui.review.data import open_review
from ui.review.trace import grade_color

from .conftest import mobilisation_sessions, shown_review
from ._imu_only_compare import curve_and_marks

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_compare_marks_an_imu_only_sessions_cycles_on_its_movement(qtbot, tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    cv = win.compare_view
    win.compare(both, imu)
    qtbot.waitUntil(lambda: curve_and_marks(cv.plots[1])[0] is not None, timeout=10000)
    qtbot.wait(20)
    assert cv.plots[1].getAxis("left").labelText == "hand movement"
    assert cv.plots[0].getAxis("left").labelText == "force"
    (t, y), marks = curve_and_marks(cv.plots[1])
    cyc = open_review(imu, movement=False).of_type("imu_cycle")
    assert len(cyc) >= 12
    dots = marks["o"]
    xs, ys = dots.getData()
    assert list(xs) == pytest.approx([e["t_crest"] for e in cyc])
    assert dots.opts["symbolBrush"] == grade_color(None)            # (ungraded: no force to grade with)
    assert np.all(ys == ys[0]) and ys[0] > np.nanmax(y)              # a row above the movement
    lo, hi = cv.plots[1].getViewBox().viewRange()[1]
    assert lo <= np.nanmin(y) and ys[0] <= hi < 50.0                 # in view, on a scale of mm
    force_dots = [it for it in cv.plots[0].listDataItems() if it.opts["symbol"] == "o"]
    assert force_dots and all(it.opts["symbolBrush"] != grade_color(None) for it in force_dots)
    assert cv.plots[0].getViewBox().viewRange()[1][1] > 50.0           # newtons beside it
    assert abs(cv.plots[0].width() - cv.plots[1].width()) <= 2
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_compare_imu_cycles_movement.png"))

    win.open_session(imu)                                # the Session tab puts them at the same height
    view = win.session_view
    qtbot.waitUntil(lambda: view.rs.movement is not None and view.cycle_marks.getData()[1][0] != 0.0)
    sx, sy = view.cycle_marks.getData()
    assert list(sx) == pytest.approx(list(xs)) and list(sy) == pytest.approx(list(ys))
