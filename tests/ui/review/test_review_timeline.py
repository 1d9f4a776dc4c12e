"""The review timeline of a recording whose clock does not start at zero."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _shifted_session(folder, by_s: float):
    """A session folder whose force.csv starts ``by_s`` seconds on (no events); and its rows."""
    folder = make_session(folder, kinds=("III",), target="III", events=False)
    fp = folder / "force.csv"
    rows = np.loadtxt(fp, delimiter=",", skiprows=1)
    rows[:, 0] += by_s
    with open(fp, "w") as fh:
        fh.write("t_s,force_n\n")
        np.savetxt(fh, rows, fmt=("%.6f", "%.4f"), delimiter=",")
    return folder, rows


def _opened(qtbot, root, folder):
    """The review's Session tab with ``folder`` open."""
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    return win.session_view


def test_a_recording_starting_at_1234_s_opens_on_its_data(qtbot, tmp_path):
    """force.csv from t = 1234.5 s (the format allows any start): the session opens on its first
    seconds, the slider spans the data. It opened on 0-20 s of nothing, with the data squeezed
    into the last 7 % of the overview and of the slider."""
    folder, rows = _shifted_session(tmp_path / "late", 1234.5)
    view = _opened(qtbot, tmp_path, folder)
    first, last = rows[0, 0], rows[-1, 0]
    assert view.playhead.start_s == pytest.approx(first) and view.playhead.pos_s == pytest.approx(first)
    x0, x1 = view.detail.viewRange()[0]
    assert x0 == pytest.approx(first) and x1 == pytest.approx(last)        # all of its 12 s
    o0, o1 = view.overview.viewRange()[0]
    assert first - 2.0 < o0 <= first and last <= o1 < last + 2.0
    view.slider.setValue(5000)
    assert view.playhead.pos_s == pytest.approx((first + last) / 2, abs=0.01)
    assert view.rs.of_type("cycle") and all(first <= e["t_crest"] <= last for e in view.rs.of_type("cycle"))


def _drawn_ticks(plot) -> list[str]:
    """The tick labels ``plot``'s bottom axis draws."""
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        _, _, texts = plot.getAxis("bottom").generateDrawSpecs(p)
    finally:
        p.end()
    return [t[2] for t in texts]


def test_ticks_of_a_device_clocks_recording_read_as_its_times(qtbot, tmp_path):
    """A recording timed by a device's clock (its first sample at 9,000,000 s): the time axes
    tick "9000005", as the event list's times read; they read "9e+06", "9.00001e+06" (pyqtgraph's
    %g from 10,000 on), a time nobody could place."""
    folder, rows = _shifted_session(tmp_path / "uptime", 9_000_000.0)
    view = _opened(qtbot, tmp_path, folder)
    first, last = rows[0, 0], rows[-1, 0]
    for plot in (view.detail, view.overview):
        ticks = _drawn_ticks(plot)
        assert len(ticks) >= 2, ticks
        assert all(re.fullmatch(r"\d+(\.\d+)?", t) for t in ticks), ticks
        assert all(first - 2 <= float(t) <= last + 2 for t in ticks), (ticks, first, last)
