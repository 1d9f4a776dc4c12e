"""A session recorded with a hand-worn IMU alone opens in the review's Session tab on the hand's
movement in mm, as the trainer draws it, with its thrust marked on it; there is no force to grade
again. It opened on an empty "force (N)" plot spanning -0.5…0.5 N, the thrust at 0 N, and a
Re-analyse box offering R1/R2 0.0 N. A session with force still shows its force."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _sessions(tmp_path, capsys) -> tuple[Path, Path, Path]:
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    return root, imu, force


def _left_label(plot) -> str:
    return plot.getAxis("left").labelText + " (" + plot.getAxis("left").labelUnits + ")"


def test_an_imu_only_session_shows_the_hands_movement_in_mm(qtbot, tmp_path, capsys):
    root, imu, force = _sessions(tmp_path, capsys)
    win = shown_review(qtbot, root)
    view = win.session_view

    win.open_session(imu)
    assert _left_label(view.detail) == "hand movement (mm)"
    qtbot.waitUntil(lambda: view.rs.movement is not None)       # (computed while the session is shown)
    t, y = view.curve.getData()
    ok = np.isfinite(y)
    assert ok.sum() > 1000                                   # the whole recording, not an empty plot
    assert t[ok][0] - view.playhead.start_s < 1.0 and view.playhead.duration_s - t[ok][-1] < 1.0
    assert 1.0 < np.ptp(y[ok]) < 30.0                        # a hand's few mm, not newtons, not 0
    _, oy = view.over_curve.getData()
    assert np.ptp(oy[np.isfinite(oy)]) == pytest.approx(np.ptp(y[ok]), rel=0.05)
    # the thrust marked at the movement at its peak, where the curve is drawn
    th = view.rs.of_type("thrust")[0]
    (mx, my), = [tuple(p.pos()) for p in view.thrust_marks.points()]
    assert mx == pytest.approx(th["t_peak"])
    assert my == pytest.approx(np.interp(th["t_peak"], t[ok], y[ok]), abs=0.05)
    assert abs(my) > 0.5                                     # (it sat at 0 N)
    # no force to grade again: the box says so and takes no calibration
    assert not view.cal.isEnabled() and "no force" in view.cal.title()
    assert not view.reanalyse_btn.isEnabled()
    view.detail.setXRange(th["t_peak"] - 2.0, th["t_peak"] + 2.0, padding=0)
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_plot.png"))

    win.open_session(force)
    assert _left_label(view.detail) == "force (N)"
    _, y = view.curve.getData()
    assert np.nanmax(y) > 50.0                               # the thrust's newtons
    assert view.cal.isEnabled() and view.cal.title() == "Re-analyse" and view.reanalyse_btn.isEnabled()
