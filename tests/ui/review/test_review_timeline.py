"""The review timeline of a recording whose clock does not start at zero."""

from __future__ import annotations

import numpy as np
import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_recording_starting_at_1234_s_opens_on_its_data(qtbot, tmp_path):
    """force.csv from t = 1234.5 s (the format allows any start): the session opens on its first
    seconds, the slider spans the data. It opened on 0-20 s of nothing, with the data squeezed
    into the last 7 % of the overview and of the slider."""
    folder = make_session(tmp_path / "late", kinds=("III",), target="III", events=False)
    fp = folder / "force.csv"
    rows = np.loadtxt(fp, delimiter=",", skiprows=1)
    rows[:, 0] += 1234.5
    with open(fp, "w") as fh:
        fh.write("t_s,force_n\n")
        np.savetxt(fh, rows, fmt=("%.6f", "%.4f"), delimiter=",")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    view = win.session_view
    first, last = rows[0, 0], rows[-1, 0]
    assert view.playhead.start_s == pytest.approx(first) and view.playhead.pos_s == pytest.approx(first)
    x0, x1 = view.detail.viewRange()[0]
    assert x0 == pytest.approx(first) and x1 == pytest.approx(last)        # all of its 12 s
    o0, o1 = view.overview.viewRange()[0]
    assert first - 2.0 < o0 <= first and last <= o1 < last + 2.0
    view.slider.setValue(5000)
    assert view.playhead.pos_s == pytest.approx((first + last) / 2, abs=0.01)
    assert view.rs.of_type("cycle") and all(first <= e["t_crest"] <= last for e in view.rs.of_type("cycle"))
