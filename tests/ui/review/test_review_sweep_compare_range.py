"""Compare shows the whole of each recording whatever was compared before: after a recording
without force (a worn IMU's, 6.7 s), a 22 s force recording compared on the same side was cut
at 6.7 s, its second set out of view."""

from __future__ import annotations

import pytest

from .conftest import imu_and_force_sessions, make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_long_recording_after_an_imu_only_one_is_shown_whole(qtbot, tmp_path):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    long = make_session(root / "long", trainee="Dan", kinds=("III", "IV"))
    win = shown_review(qtbot, root)
    cv = win.compare_view
    win.compare(imu, force)
    qtbot.waitUntil(lambda: not cv.movement.busy, timeout=10000)
    win.compare(long, force)
    end = cv.sessions[0].inp.duration_s
    assert end > 20.0
    qtbot.wait(50)
    lo, hi = cv.plots[0].getPlotItem().vb.viewRange()[0]
    assert lo <= 0.5 and hi >= end
    crests = [e["t_crest"] for e in cv.sessions[0].of_type("cycle")]
    assert len(crests) == 16 and max(crests) < hi              # (the second set's cycles in view)
