"""A session recorded with a hand-worn IMU alone is opened on a worker thread: the hand's
movement is computed from the whole recording (seconds for an hour), and the window answers
meanwhile. It was computed on the window's thread, which froze for about 7 s on an hour at
500 Hz. A session asked for while another is opening is the one shown."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer

import ui.review.data as data

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
WAIT_S = 5.0          # how long the movement waits for the window to answer (only reached when it cannot)


def _movement_waiting_for(answered: threading.Event, threads: list):
    """``imu_movement`` that, before computing, waits for the window to have answered the user."""
    real = data.imu_movement

    def movement(imu):
        threads.append(threading.current_thread())
        answered.wait(WAIT_S)
        return real(imu)
    return movement


def test_the_window_answers_while_an_imu_only_session_opens(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, _, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    answered, threads = threading.Event(), []
    monkeypatch.setattr(data, "imu_movement", _movement_waiting_for(answered, threads))
    seen = {}

    def user_types() -> None:               # the user types in the library's filter while it opens
        seen["status"] = win.statusBar().currentMessage()
        seen["shown"] = win.session_view.rs
        qtbot.keyClicks(win.filter, "nobody")
        answered.set()
    QTimer.singleShot(0, user_types)

    rs = win.open_session(imu)
    # the typing was taken while the session was opening, before its movement was in
    assert answered.is_set() and seen["shown"] is None and seen["status"] == "opening imu…"
    assert win.proxy.rowCount() == 0                            # (no trainee "nobody")
    assert threads and threads[0] is not threading.main_thread()
    # and the session opened on the hand's movement, with its thrust on it
    view = win.session_view
    assert view.rs is rs and rs.path == imu
    assert view.detail.getAxis("left").labelText == "hand movement"
    t, y = view.curve.getData()
    assert np.isfinite(y).sum() > 1000 and 1.0 < np.nanmax(y) - np.nanmin(y) < 30.0
    (mx, _), = [tuple(p.pos()) for p in view.thrust_marks.points()]
    assert mx == pytest.approx(rs.of_type("thrust")[0]["t_peak"])
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_opening.png"))


def test_a_session_asked_for_while_another_opens_is_the_one_shown(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    answered, threads = threading.Event(), []
    monkeypatch.setattr(data, "imu_movement", _movement_waiting_for(answered, threads))
    later = {}

    def user_opens_the_other() -> None:     # a double-click on the force session while the IMU's opens
        answered.set()
        later["rs"] = win.open_session(force)
    QTimer.singleShot(0, user_opens_the_other)

    assert win.open_session(imu) is None                        # (overtaken)
    assert later["rs"] is not None and win.session_view.rs is later["rs"]
    assert win.session_view.rs.path == force
    assert win.session_view.detail.getAxis("left").labelText == "force"
    assert win.statusBar().currentMessage().startswith("force:")


def test_a_window_closed_while_a_session_opens_closes(qtbot, tmp_path, capsys, monkeypatch):
    root, imu, _, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    answered, threads = threading.Event(), []
    monkeypatch.setattr(data, "imu_movement", _movement_waiting_for(answered, threads))

    def user_closes() -> None:
        win.close()
        answered.set()
    QTimer.singleShot(0, user_closes)

    assert win.open_session(imu) is None
    assert not win.isVisible() and win.session_view.rs is None
