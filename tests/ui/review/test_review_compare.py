"""Compare: two recordings side by side on one force scale."""

from __future__ import annotations

import numpy as np
import pytest

from ui.review.data import open_review
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("weak_first", [True, False])
def test_both_recordings_are_whole_on_the_shared_force_scale(qtbot, tmp_path, weak_first):
    """A grade I set (crests near 20 N) beside a grade IV set (crests near 80 N): whichever is
    on the left, neither trace is cut at the top or the bottom of the plots."""
    weak = make_session(tmp_path / "weak", kinds=("I",), target="I", seed=5)
    strong = make_session(tmp_path / "strong", kinds=("IV",), target="IV", seed=6)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.compare(*((weak, strong) if weak_first else (strong, weak)))
    cv = win.compare_view
    qtbot.wait(50)
    forces = [open_review(f).inp.force.values for f in (weak, strong)]
    hi = max(float(np.max(v)) for v in forces)
    lo = min(float(np.min(v)) for v in forces)
    for p in cv.plots:
        y0, y1 = p.getViewBox().viewRange()[1]
        assert y0 <= lo and y1 >= hi, (y0, y1, lo, hi)
    assert cv.plots[0].getViewBox().viewRange()[1] == pytest.approx(cv.plots[1].getViewBox().viewRange()[1])


def test_an_hour_long_recording_is_compared_in_seconds(qtbot, tmp_path):
    """The time axis read 'time (ks)' and 0.5, 1, 1.5 ... for an hour."""
    import json

    folder = tmp_path / "hour"
    folder.mkdir()
    t = np.arange(0.0, 3600.0, 0.1)
    with open(folder / "force.csv", "w") as fh:
        fh.write("t_s,force_n\n")
        np.savetxt(fh, np.column_stack([t, 50 + 30 * np.sin(2 * np.pi * 0.01 * t)]), fmt="%.3f", delimiter=",")
    (folder / "session.json").write_text(json.dumps({"trainee": "lena", "complete": True}))
    short = make_session(tmp_path / "short", kinds=("III",), target="III", seed=1)
    # (the two opened from outside the window's library, an empty folder: not read for its index
    # first, the hour's force analysed once, for the comparison)
    (tmp_path / "library").mkdir()
    win = ReviewWindow(tmp_path / "library")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.compare(folder, short)
    qtbot.wait(50)
    for p in win.compare_view.plots:
        label = p.getAxis("bottom").labelString()
        assert "time" in label and "(s)" in label and "ks" not in label, label
