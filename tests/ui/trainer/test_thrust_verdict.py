"""The HVLA tab names a thrust's figures as the grade panel does."""

from __future__ import annotations

import pytest

from .conftest import REPO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_hvla_tab_names_the_rate_as_the_grade_panel_does(qtbot):
    """One figure, one name: the HVLA tab said "rate" and the grade panel "mean rate" for the
    thrust's amplitude over its time to peak."""
    win, eng = target_window(qtbot, "V")
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.5)
    t = eng.thrusts[-1]
    tab, grade = win.thrust_panel, win.grade_panel
    assert grade.names["consistency"].text() == tab.names["rate"].text() == "mean rate"
    assert tab.values["rate"].text() == grade.values["consistency"].text() == f"{t.rate_n_per_s / 1000:.1f} kN/s"
