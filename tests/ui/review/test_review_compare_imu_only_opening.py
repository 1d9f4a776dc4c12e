"""Compare: a session recorded with a hand-worn IMU alone shows the hand's movement (mm), as the
Session tab does, with its thrust marked on it; its plot was an empty force plot with no marks.
The movement is computed on a thread of its own (seconds for an hour): the comparison is shown at
once, saying it is being computed, the window answers meanwhile, and it is drawn when ready;
closing the window does not wait for it."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from ._imu_only_compare import curve_and_marks
from .conftest import held_movement, imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_compare_draws_an_imu_only_sessions_movement_computed_off_the_windows_thread(qtbot, tmp_path, capsys,
                                                                                    monkeypatch):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    cv = win.compare_view
    go, threads = threading.Event(), []
    held_movement(go, threads, monkeypatch)

    win.compare(force, imu)
    # shown before its movement is in, saying so
    assert win.tabs.currentWidget() is cv and not go.is_set()
    assert cv.titles[1].text().endswith("no force recorded (IMU only); computing the hand's movement…")
    assert cv.plots[1].getAxis("left").labelText == "hand movement"
    assert curve_and_marks(cv.plots[1])[0] is None
    qtbot.keyClicks(win.filter, "nobody")                       # the window answers meanwhile
    assert win.proxy.rowCount() == 0
    qtbot.waitUntil(lambda: len(threads) == 1)
    assert threads[0] is not threading.main_thread()
    go.set()

    rs = cv.sessions[1]
    qtbot.waitUntil(lambda: rs.movement is not None and curve_and_marks(cv.plots[1])[0] is not None)
    assert cv.titles[1].text().endswith("no force recorded (IMU only)")
    t, y = curve_and_marks(cv.plots[1])[0]
    ok = np.isfinite(y)
    assert ok.sum() > 1000 and 1.0 < np.ptp(y[ok]) < 30.0
    # its thrust on the movement at its peak, as the Session tab marks it
    th, = rs.of_type("thrust")
    (mx,), (my,) = curve_and_marks(cv.plots[1])[1]["t"].getData()
    assert mx == pytest.approx(th["t_peak"]) and abs(my) > 0.5
    assert my == pytest.approx(np.interp(mx, *rs.movement), abs=1e-6)
    # each plot on its own scale: the force in newtons beside the movement in mm
    lo1, hi1 = cv.plots[1].getViewBox().viewRange()[1]
    assert lo1 <= np.nanmin(y) and np.nanmax(y) <= hi1 < 50.0
    assert cv.plots[0].getViewBox().viewRange()[1][1] > 100.0
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_compare_imu_movement.png"))

    win.open_session(imu)                                   # the Session tab marks it at the same height
    qtbot.waitUntil(lambda: win.session_view.rs.movement is not None)
    qtbot.waitUntil(lambda: win.session_view.thrust_marks.points()[0].pos().y() != 0.0)
    assert tuple(win.session_view.thrust_marks.points()[0].pos()) == pytest.approx((mx, my), abs=1e-6)


def test_a_window_closed_while_compare_computes_the_movement_closes_at_once(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    go, threads = threading.Event(), []
    held_movement(go, threads, monkeypatch)
    win.compare(force, imu)
    qtbot.waitUntil(lambda: len(threads) == 1)
    win.close()                                                  # (did not wait for the movement)
    assert not go.is_set() and not win.isVisible()
    go.set()
