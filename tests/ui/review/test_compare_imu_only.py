"""Compare: a session recorded with a hand-worn IMU alone beside one with force. Its plot said
nothing of why it was empty, and spanned only a second around its thrust's mark."""

from __future__ import annotations

import json
import shutil

import pytest

from ui.cli import main
from ui.review.compare import CompareView
from ui.review.data import open_review

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_imu_only_session_is_named_as_such_and_shown_whole(qtbot, tmp_path, capsys):
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--grade", "V", "--r1", "40", "--r2", "120", "--rate", "1000", "--imu", "200",
                 "--seed", "5", "-o", str(sim)]) == 0
    capsys.readouterr()
    imu = tmp_path / "imu"
    imu.mkdir()
    shutil.copy(sim.with_name("x.imu.csv"), imu / "imu.csv")
    (imu / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-01T10:00:00", "trainee": "Noah", "technique": "HVLA",
        "target": "V", "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 200.0}}}))
    force = make_session(tmp_path / "force", kinds=("V",), target="V", seed=2)
    cv = CompareView()
    qtbot.addWidget(cv)
    cv.resize(1200, 800)
    cv.show()
    qtbot.waitExposed(cv)
    a, b = open_review(force), open_review(imu)
    cv.set_sessions(a, b)
    qtbot.wait(20)
    assert "no force recorded (IMU only)" in cv.titles[1].text()
    assert "no force" not in cv.titles[0].text()
    duration = b.summary["duration_s"]
    x0, x1 = cv.plots[1].getViewBox().viewRange()[0]
    assert x0 <= 0.0 and x1 >= duration, (x0, x1, duration)


def test_a_session_without_a_target_is_titled_no_target(qtbot, tmp_path):
    """Its title read "target – — no force recorded" for an IMU session without one: two dashes
    in a row, the first for a target that was never set."""
    a = make_session(tmp_path / "a", kinds=("III",), target=None, seed=1)
    b = make_session(tmp_path / "b", kinds=("III",), target="III", seed=2)
    cv = CompareView()
    qtbot.addWidget(cv)
    cv.set_sessions(open_review(a), open_review(b))
    assert ", no target" in cv.titles[0].text() and "–" not in cv.titles[0].text()
    assert ", target III" in cv.titles[1].text()
