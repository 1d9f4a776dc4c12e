"""Review: a session recorded with a hand-worn IMU alone, open in the Session tab and in Compare,
has its hand's movement computed once (it was computed by each tab: seconds of work for an hour
of recording); a recording changed since is computed anew."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def computed(monkeypatch):
    """The recordings whose movement the review computes (their files), one per computation; the
    computation is the real one, and waits for the returned event first."""
    from ui.review import movement as movement_module
    real = movement_module.imu_movement
    files, go = [], threading.Event()

    def counted(imu):
        files.append(imu.path)
        go.wait(5.0)
        return real(imu)
    monkeypatch.setattr(movement_module, "imu_movement", counted)
    return files, go


def both_drawn(qtbot, win):
    """Wait until the Session tab and Compare's IMU side both have the movement; returns both."""
    view, cv = win.session_view, win.compare_view
    qtbot.waitUntil(lambda: view.rs.movement is not None and cv.sessions[1].movement is not None, timeout=10000)
    return view.rs.movement, cv.sessions[1].movement


def test_a_session_in_both_tabs_has_its_movement_computed_once(qtbot, tmp_path, capsys, computed):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    files, go = computed
    go.set()
    win = shown_review(qtbot, root)
    win.open_session(imu)
    qtbot.waitUntil(lambda: win.session_view.rs.movement is not None, timeout=10000)
    win.compare(force, imu)
    (t, d), (t2, d2) = both_drawn(qtbot, win)
    assert files == [imu / "imu.csv"]
    assert np.array_equal(t, t2) and np.array_equal(d, d2) and len(t) > 1000


def test_one_computation_serves_both_tabs_while_it_runs(qtbot, tmp_path, capsys, computed):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    files, go = computed
    win = shown_review(qtbot, root)
    win.compare(force, imu)                       # still computing when the Session tab shows it
    win.open_session(imu)
    assert win.session_view.rs.movement is None and not go.is_set()
    go.set()
    both_drawn(qtbot, win)
    assert len(files) == 1


def test_a_recording_changed_since_is_computed_anew(qtbot, tmp_path, capsys, computed):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    files, go = computed
    go.set()
    win = shown_review(qtbot, root)
    win.open_session(imu)
    qtbot.waitUntil(lambda: win.session_view.rs.movement is not None, timeout=10000)
    first = win.session_view.rs.movement
    csv = imu / "imu.csv"
    lines = csv.read_text().splitlines(keepends=True)
    csv.write_text("".join(lines[:len(lines) // 2]))      # (the recording cut to its first half)
    win.compare(force, imu)
    _, (t, _) = both_drawn(qtbot, win)
    assert len(files) == 2
    assert t[-1] < 0.6 * first[0][-1]
