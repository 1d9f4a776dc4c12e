"""Comparing a session recorded with a hand-worn IMU alone opens it without computing the hand's
movement from its whole recording (seconds for an hour), which the compare view does not draw;
it still says the session has no force."""

from __future__ import annotations

import pytest

import ui.review.data as data
import ui.review.session_view as session_view
import ui.review.trace as trace

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_comparing_an_imu_only_session_does_not_compute_its_movement(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    computed = []
    real = trace.imu_movement
    for mod in (data, session_view):                 # (wherever it is computed)
        monkeypatch.setattr(mod, "imu_movement", lambda imu: computed.append(imu) or real(imu))

    win.compare(force, imu)
    assert win.tabs.currentWidget() is win.compare_view
    assert "no force recorded (IMU only)" in win.compare_view.titles[1].text()
    assert win.compare_view.stats[1]["n_thrusts"] == 1
    assert computed == []
    # the Session tab still draws it
    win.open_session(imu)
    qtbot.waitUntil(lambda: win.session_view.rs.movement is not None)
    assert len(computed) == 1 and len(win.session_view.rs.movement[0]) > 1000
