"""A signal gap (a sensor unplugged for a few seconds) in the review window, the compare view
and the report: no line of force drawn across it, the gap shaded, and counted once."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

import ui.report as report
from ui.report import figures
from ui.review.window import ReviewWindow
from ._gap_session import GAP, RATE, REASON, _gap_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _lines_across(x, y, a=GAP[0] + 0.01, b=GAP[1] - 0.01) -> int:
    """How many line segments a curve through ``(x, y)`` (non-finite points breaking it) draws
    across ``[a, b]``."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    seg = ok[:-1] & ok[1:]
    return int(np.sum(seg & (x[:-1] < b) & (x[1:] > a)))


def _shaded(items) -> list[tuple[float, float]]:
    return [tuple(round(v, 2) for v in r.getRegion()) for r in items if isinstance(r, pg.LinearRegionItem)
            and not r.movable]


def test_the_review_draws_no_force_across_a_gap_and_shades_it(qtbot, tmp_path):
    """The session tab: the overview and the detail plot stop the force at the gap (they drew a
    ramp from 25 N down to 0 N across 6 s with no data), the gap is shaded in both, and the side
    panel says one signal gap, not three for its three marks."""
    folder = _gap_session(tmp_path / "gap")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    v = win.session_view
    win.open_session(folder)
    assert _lines_across(*v.curve.getData()) == 0
    assert _lines_across(*v.over_curve.getData()) == 0
    # both sides are still drawn, up to the gap and from it
    x, y = v.curve.getData()
    assert np.nanmax(x[x < GAP[0]]) == pytest.approx(GAP[0] - 1 / RATE)
    assert np.nanmin(x[x >= GAP[1]]) == pytest.approx(GAP[1])
    want = (round(GAP[0] - 1 / RATE, 2), GAP[1])
    assert _shaded(v.overview.getPlotItem().items) == [want]
    assert _shaded(v.detail.getPlotItem().items) == [want]
    # one gap, not three for its three marks; worded as the report and replay's table word it
    assert v.details_dict()["gaps"] == f"1 ({REASON}: 1), {GAP[1] - GAP[0]:.1f} s without data"


def test_the_next_session_opened_has_no_shading_of_the_one_before(qtbot, tmp_path):
    from .conftest import make_session
    gap = _gap_session(tmp_path / "gap")
    plain = make_session(tmp_path / "plain", cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    v = win.session_view
    win.open_session(gap)
    win.open_session(plain)
    assert _shaded(v.overview.getPlotItem().items) == [] and _shaded(v.detail.getPlotItem().items) == []
    assert "gaps" not in v.details_dict()
    assert not np.isnan(v.curve.getData()[1]).any()


def test_the_compare_view_draws_no_force_across_a_gap(qtbot, tmp_path):
    a = _gap_session(tmp_path / "a")
    b = _gap_session(tmp_path / "b", trainee="ben")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    win.compare(a, b)
    for p in win.compare_view.plots:
        curves = [c for c in p.getPlotItem().items if isinstance(c, pg.PlotDataItem) and c.opts["pen"] is not None]
        assert curves and all(_lines_across(*c.getData()) == 0 for c in curves)
        assert _shaded(p.getPlotItem().items) == [(round(GAP[0] - 1 / RATE, 2), GAP[1])]


def test_the_report_draws_no_force_across_a_gap(tmp_path, monkeypatch):
    item = report.load_item(_gap_session(tmp_path / "gap"))
    seen = {}
    export = figures._png

    def watch(plot_item, width=1000):
        if plot_item.titleLabel.text.endswith(": force"):
            seen["curves"] = [c.getData() for c in plot_item.items if isinstance(c, pg.PlotDataItem)
                              and c.opts["pen"] is not None]
            seen["shaded"] = _shaded(plot_item.items)
        return export(plot_item, width)

    monkeypatch.setattr(figures, "_png", watch)
    report.force_figure(item)
    assert seen["curves"] and all(_lines_across(*c) == 0 for c in seen["curves"])
    assert seen["shaded"] == [(round(GAP[0] - 1 / RATE, 2), GAP[1])]


def test_an_envelope_keeps_every_sample_on_its_side_of_a_gap():
    """The overview's min/max bins never mix the two sides: the highest force before the gap
    and the lowest after it are both drawn, each on its own side."""
    from ui.review.trace import gap_spans, minmax_envelope
    t = np.concatenate([np.arange(0.0, 2.0, 0.001), np.arange(8.0, 10.0, 0.001)])
    y = np.where(t < 2.0, 30.0, -5.0)
    y[1999] = 90.0                                      # a peak just before the gap
    spans = gap_spans([{"type": "gap", "t_start": 1.999, "t_end": 8.0, "stream": "force"}],
                      [{"t_start": 1.9992, "t_end": 8.0, "reason": "disconnected"}])
    assert spans.tolist() == [[1.999, 8.0]]
    x, v = minmax_envelope(t, y, 7, spans)
    assert _lines_across(x, v) == 0
    assert np.nanmax(v[x < 2.0]) == 90.0 and np.nanmin(v[x < 2.0]) == 30.0
    assert np.nanmin(v[x >= 8.0]) == -5.0 and np.nanmax(v[x >= 8.0]) == -5.0
