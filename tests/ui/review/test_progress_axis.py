"""Progress: the values of a trainee's one session (its frequency and amplitude CVs, 14.6 and
14.5 %) are plotted from 0, not on an axis spanning 14.52-14.62 that set them far apart."""

from __future__ import annotations

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_one_sessions_values_are_plotted_from_zero(qtbot, tmp_path):
    make_session(tmp_path / "s0", trainee="Anna", kinds=("III",), target="III", cycles=8)
    win = shown_review(qtbot, tmp_path)
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 1)
    win.show_progress("Anna")
    pv = win.progress_view
    for k in range(4):                                           # (auto-ranged once laid out)
        pv.glw.getItem(k // 2, k % 2).vb.updateAutoRange()
    cvs = [v for k in ("freq_cv_pct", "amplitude_cv_pct") for v in pv.series[k] if v is not None]
    assert len(cvs) == 2 and cvs[0] != cvs[1]
    lo, hi = pv.glw.getItem(0, 1).vb.viewRange()[1]              # consistency: CV (%)
    assert lo <= 0.0 and hi >= max(cvs) and hi - lo > max(cvs)
