"""A recording made with a hand-worn IMU alone keeps the calibration it was recorded with, but
nothing was graded with it (no force): the review's session details and the report say so after
it, in the same words ("R1 40 N, R2 120 N (not used: no force recorded)"); both showed it as if it
graded the session. The same mobilisation with force is graded with it: said as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.cli import main

from .conftest import mobilisation_sessions, shown_review
from ._screen_change_facts import facts

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
UNUSED = "(not used: no force recorded)"


def test_an_imu_only_sessions_calibration_is_said_to_be_unused(qtbot, tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view
    win.open_session(imu)
    qtbot.waitUntil(lambda: view.rs.movement is not None, timeout=10000)
    assert view.details_dict()["calibration"] == f"R1 40 N, R2 120 N {UNUSED}"
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_calibration.png"))
    win.open_session(both)
    assert view.details_dict()["calibration"] == "R1 40 N, R2 120 N"

    out = tmp_path / "class.html"
    assert main(["report", str(imu), str(both), "-o", str(out)]) == 0
    capsys.readouterr()
    cal = [dict(f)["calibration"] for f in facts(out.read_text(encoding="utf-8"))]
    assert cal == [f"R1 40.0 N, R2 120.0 N, alpha 0.5 {UNUSED}", "R1 40.0 N, R2 120.0 N, alpha 0.5"]
