"""A session is read on a worker thread while the window answers; one recorded with a hand-worn
IMU alone is shown at once (its events, its thrust's movement in the event list) and its
hand's movement, computed from the whole recording on another thread (seconds for an hour), is
drawn when ready. It was computed on the window's thread, which froze for about 7 s on an hour
at 500 Hz. A session asked for while another is opening is the one shown."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer


from .conftest import held_movement, imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_an_imu_only_session_is_shown_while_its_movement_is_computed(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, _, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view
    go, threads = threading.Event(), []
    held_movement(go, threads, monkeypatch)
    seen = {}

    def while_it_opens() -> None:
        seen["status"] = win.statusBar().currentMessage()
    QTimer.singleShot(0, while_it_opens)

    rs = win.open_session(imu)
    assert seen == {"status": "opening imu…"}                  # (the window answered while reading it)
    # shown before its movement is in: the axis, the thrust in the list with how far the hand moved
    assert view.rs is rs and rs.movement is None and not go.is_set()
    assert view.detail.getAxis("left").labelText == "hand movement"
    assert view.status.text() == "computing the hand's movement…"
    th = rs.of_type("thrust")[0]
    assert [view.events_table.item(0, c).text() for c in (1, 3)] == ["thrust", f"{th['displacement_mm']:.1f}"]
    # the window answers the user meanwhile
    qtbot.keyClicks(win.filter, "nobody")
    assert win.proxy.rowCount() == 0                            # (no trainee "nobody")
    qtbot.waitUntil(lambda: len(threads) == 1)
    assert threads[0] is not threading.main_thread()
    go.set()
    qtbot.waitUntil(lambda: rs.movement is not None)
    # then the movement is drawn, the thrust marked on it
    t, y = view.curve.getData()
    ok = np.isfinite(y)
    assert ok.sum() > 1000 and 1.0 < np.ptp(y[ok]) < 30.0
    (mx, my), = [tuple(p.pos()) for p in view.thrust_marks.points()]
    assert mx == pytest.approx(th["t_peak"]) and my == pytest.approx(np.interp(mx, t[ok], y[ok]), abs=0.05)
    assert abs(my) > 0.5 and view.status.text() == ""
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_opening.png"))


def test_a_session_asked_for_while_another_opens_is_the_one_shown(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view
    go, threads = threading.Event(), []
    held_movement(go, threads, monkeypatch)
    later = {}

    def user_opens_the_other() -> None:     # a double-click on the force session while the IMU's opens
        later["rs"] = win.open_session(force)
    QTimer.singleShot(0, user_opens_the_other)

    assert win.open_session(imu) is None                        # (overtaken)
    assert later["rs"] is not None and view.rs is later["rs"] and view.rs.path == force
    assert win.statusBar().currentMessage().startswith("force:")

    # the IMU session shown, then the force one before the IMU's movement is in: the movement,
    # when it comes, is not drawn over the force
    win.open_session(imu)
    qtbot.waitUntil(lambda: len(threads) == 1)
    rs = win.open_session(force)
    go.set()
    qtbot.waitUntil(lambda: not view.movement.busy)
    qtbot.wait(100)                                             # (a few of the view's ticks)
    assert view.rs is rs and view.detail.getAxis("left").labelText == "force"
    _, y = view.curve.getData()
    assert np.nanmax(y) > 50.0
    assert view.events_table.horizontalHeaderItem(3).text() == "force (N)"


def test_a_window_closed_while_a_session_opens_closes(qtbot, tmp_path, capsys):
    root, imu, _, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    QTimer.singleShot(0, win.close)

    assert win.open_session(imu) is None
    assert not win.isVisible() and win.session_view.rs is None


def test_a_window_closed_while_the_movement_is_computed_closes_at_once(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, _, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    go, threads = threading.Event(), []
    held_movement(go, threads, monkeypatch)
    win.open_session(imu)
    qtbot.waitUntil(lambda: len(threads) == 1)
    win.close()                                                  # (did not wait for the movement)
    assert not go.is_set() and not win.isVisible()
    go.set()
