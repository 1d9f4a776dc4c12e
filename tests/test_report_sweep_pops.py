"""The report's force plot marks the pops heard, as the review's does: the page said "3 (2 with
a thrust)" and listed a pop outside any thrust beside a plot with no pop on it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.review.conftest import make_session  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _stars(monkeypatch, item) -> list[tuple[float, float, bool]]:
    """``(t_s, force_n, filled)`` of every star on ``item``'s force figure."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt

    from ui import report
    from ui.report import figures
    drawn = []
    real = figures._png

    def png(plot_item, width=1000):
        drawn.extend(plot_item.items)
        return real(plot_item, width)
    monkeypatch.setattr(figures, "_png", png)
    report.force_figure(item)
    out = []
    for it in drawn:
        if isinstance(it, pg.ScatterPlotItem):
            for pt in it.points():
                if pt.symbol() == "star":
                    out.append((pt.pos().x(), pt.pos().y(), pt.brush().style() != Qt.BrushStyle.NoBrush))
    return sorted(out)


def test_force_plot_marks_each_pop_filled_with_a_thrust_outlined_without(monkeypatch, tmp_path):
    from ui.report import load_item
    folder = make_session(tmp_path / "pops", trainee="Pía", kinds=("V",), target="V", audio=True)
    item = load_item(folder)
    pops = sorted((e["t"], e.get("thrust") is not None) for e in item.events if e["type"] == "cavitation")
    assert len(pops) == 3 and sum(tied for _, tied in pops) == 2       # (one on its own at 1 s)
    stars = _stars(monkeypatch, item)
    assert [(round(t, 3), filled) for t, _, filled in stars] == [(round(t, 3), tied) for t, tied in pops]
    f = item.inp.force
    import numpy as np
    for t, y, _ in stars:                       # on the force trace, at the pop's moment
        assert y == pytest.approx(float(np.interp(t, f.t_s, f.values)), abs=1e-6)


def test_no_stars_without_the_sound(monkeypatch, tmp_path):
    from ui.report import load_item
    folder = make_session(tmp_path / "pops", kinds=("V",), target="V", audio=True)
    (folder / "audio.wav").unlink()             # (the stored pops are left out, as the page says)
    assert _stars(monkeypatch, load_item(folder)) == []
