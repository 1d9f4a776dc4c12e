"""A signal gap looks the same in the review window as in the trainer: hatched grey and labelled
'no data' (the trainer's own ``GapRegion``), where the review shaded it faint orange without a
word."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pytest

from ui.review.window import ReviewWindow
from ui.trainer.plots import GAP_TEXT, GapRegion

from ._gap_session import GAP, _gap_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _labels(plot) -> list[tuple[float, str]]:
    """The visible texts on ``plot`` and where (s) they stand."""
    out = []
    for item in plot.getPlotItem().vb.allChildren():
        if isinstance(item, pg.TextItem) and item.isVisible():
            out.append((item.mapToView(item.boundingRect().center()).x(), item.textItem.toPlainText()))
    return out


def test_the_review_hatches_a_gap_and_says_no_data(qtbot, tmp_path):
    folder = _gap_session(tmp_path / "gap")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    v = win.session_view
    win.open_session(folder)
    v.detail.setXRange(0.0, 10.0, padding=0)
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_gap.png"))      # to look at
    for plot in (v.overview, v.detail):
        regions = [r for r in plot.getPlotItem().items if isinstance(r, pg.LinearRegionItem) and not r.movable]
        assert regions and all(isinstance(r, GapRegion) for r in regions), regions
    said = [x for x, text in _labels(v.detail) if text == GAP_TEXT]
    assert len(said) == 1 and GAP[0] < said[0] < GAP[1], _labels(v.detail)
