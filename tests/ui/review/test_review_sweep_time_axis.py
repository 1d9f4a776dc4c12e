"""The Session tab's detail plot says its time axis is in seconds, as the report's and the
Compare tab's plots do (its numbers had no unit), and keeps seconds for a long recording."""

from __future__ import annotations

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_detail_plot_time_axis_is_labelled_in_seconds(qtbot, tmp_path):
    folder = make_session(tmp_path / "s1")
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    ax = win.session_view.detail.getAxis("bottom")
    assert ax.labelText == "time" and ax.labelUnits == "s"
    win.session_view.detail.setXRange(0.0, 3600.0, padding=0)   # (an hour in view: still seconds, not ks)
    qtbot.wait(50)
    assert "time (s)" in ax.labelString()
