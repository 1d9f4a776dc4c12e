"""Progress: a plot with one value (a trainee's single thrust session among mobilisations)
spans from 0 up past it, not 401.6-402.4 N around it as if measured to a tenth of a newton.
Plots with values that differ keep fitting them."""

from __future__ import annotations

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_single_value_is_plotted_from_zero(qtbot, tmp_path):
    for i, kinds in enumerate((("III",), ("V",), ("IV",))):
        make_session(tmp_path / f"s{i}", trainee="Anna", kinds=kinds, target="V" if kinds == ("V",) else "III",
                     created=f"2026-0{i + 1}-10T10:00:00", seed=i, cycles=4)
    win = shown_review(qtbot, tmp_path)
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 3)
    win.show_progress("Anna")
    pv = win.progress_view
    for k in range(4):                                           # (auto-ranged once laid out)
        pv.glw.getItem(k // 2, k % 2).vb.updateAutoRange()
    peak = next(v for v in pv.series["peak_mean_n"] if v is not None)
    assert [v is not None for v in pv.series["peak_mean_n"]] == [False, True, False]
    lo, hi = pv.glw.getItem(1, 0).vb.viewRange()[1]              # thrust peak (N)
    assert lo <= 0.0 and hi >= peak and hi - lo > 0.5 * peak
    lo, hi = pv.glw.getItem(0, 1).vb.viewRange()[1]              # consistency: two sessions' CVs
    cvs = [v for k in ("freq_cv_pct", "amplitude_cv_pct") for v in pv.series[k] if v is not None]
    assert lo <= min(cvs) and hi >= max(cvs) and lo > 0.0       # (fitted, not from 0)
