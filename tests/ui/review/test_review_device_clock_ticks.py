"""The review's time axes on a recording timed by a device's clock (its first sample at
9,000,000 s): their ticks read "9000005", as the event list's times do; they read "9e+06",
"9.00001e+06" (pyqtgraph's %g from 10,000 on), a time nobody could place."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtGui import QImage, QPainter

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _drawn_ticks(plot) -> list[str]:
    """The tick labels ``plot``'s bottom axis draws."""
    ax = plot.getAxis("bottom")
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        _, _, texts = ax.generateDrawSpecs(p)
    finally:
        p.end()
    return [t[2] for t in texts]


def test_ticks_of_a_device_clocks_recording_read_as_its_times(qtbot, tmp_path):
    folder = make_session(tmp_path / "uptime", kinds=("III",), target="III", events=False)
    fp = folder / "force.csv"
    rows = np.loadtxt(fp, delimiter=",", skiprows=1)
    rows[:, 0] += 9_000_000.0
    with open(fp, "w") as fh:
        fh.write("t_s,force_n\n")
        np.savetxt(fh, rows, fmt=("%.6f", "%.4f"), delimiter=",")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    view = win.session_view
    first, last = rows[0, 0], rows[-1, 0]
    for plot in (view.detail, view.overview):
        ticks = _drawn_ticks(plot)
        assert len(ticks) >= 2, ticks
        assert all(re.fullmatch(r"\d+(\.\d+)?", t) for t in ticks), ticks
        assert all(first - 2 <= float(t) <= last + 2 for t in ticks), (ticks, first, last)
