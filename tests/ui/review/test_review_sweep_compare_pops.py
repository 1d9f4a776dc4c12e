"""Compare marks the pops heard on each force trace, as the Session tab and the report do: a
star at the pop's moment, filled for a pop of a thrust, outlined for one outside any."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _stars(plot) -> list[tuple[float, float, bool]]:
    out = []
    for it in plot.getPlotItem().items:
        if isinstance(it, pg.ScatterPlotItem):
            out += [(pt.pos().x(), pt.pos().y(), pt.brush().style() != Qt.BrushStyle.NoBrush)
                    for pt in it.points() if pt.symbol() == "star"]
    return sorted(out)


def test_compare_marks_each_sides_pops(qtbot, tmp_path):
    heard = make_session(tmp_path / "heard", trainee="Pía", kinds=("V",), target="V", audio=True)
    silent = make_session(tmp_path / "silent", trainee="Ben", kinds=("V",), target="V", seed=1)
    win = shown_review(qtbot, tmp_path)
    win.compare(silent, heard)
    cv = win.compare_view
    assert _stars(cv.plots[0]) == []
    rs = cv.sessions[1]
    pops = sorted((e["t"], e.get("thrust") is not None) for e in rs.of_type("cavitation"))
    assert len(pops) == 3
    stars = _stars(cv.plots[1])
    assert [(round(t, 3), filled) for t, _, filled in stars] == [(round(t, 3), tied) for t, tied in pops]
    f = rs.inp.force
    for t, y, _ in stars:                        # on the force trace
        assert y == pytest.approx(float(np.interp(t, f.t_s, f.values)), abs=1e-6)
