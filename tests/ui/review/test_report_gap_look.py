"""A signal gap looks the same in the report's force plot as in the trainer and the review:
hatched grey and labelled "no data" (the trainer's ``GapRegion``), where the report shaded it
faint orange without a word."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage

import ui.report as report
from ui.report import figures
from ui.trainer.plots import GAP_HATCH, GAP_TEXT

from ._gap_session import GAP, _gap_session

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_report_hatches_a_gap_and_says_no_data(tmp_path, monkeypatch):
    item = report.load_item(_gap_session(tmp_path / "gap"))
    seen = {}
    export = figures._png

    def watch(plot_item, width=1000):
        out = export(plot_item, width)
        vb = plot_item.vb
        y0 = vb.viewRange()[1][0]
        # where the gap's middle lies in the picture (it is exported at its own size)
        seen["x_px"] = [vb.mapViewToScene(QPointF(t, y0)).x() for t in GAP]
        seen["said"] = [(it.mapToView(it.boundingRect().center()).x(), it.textItem.toPlainText())
                        for it in vb.allChildren() if isinstance(it, pg.TextItem) and it.isVisible()]
        return out

    monkeypatch.setattr(figures, "_png", watch)
    png = report.force_figure(item)
    path = tmp_path / "report_gap.png"
    path.write_bytes(base64.b64decode(png))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "report_gap.png")          # to look at
    said = [x for x, text in seen["said"] if text == GAP_TEXT]
    assert len(said) == 1 and GAP[0] < said[0] < GAP[1], seen["said"]
    img = QImage(str(path))
    a, b = (int(round(x)) for x in seen["x_px"])
    colours = {QColor(img.pixel(x, y)).name() for x in range(a + 5, b - 5) for y in range(60, img.height() - 80, 3)}
    hatch = QColor(GAP_HATCH).name()
    assert hatch in colours, sorted(colours)[:20]
    # no orange tint: the grey hatch over white, the grid and the text, nothing redder than it is green
    reddish = [c for c in colours if QColor(c).red() - QColor(c).blue() > 12]
    assert not reddish, reddish[:10]
    assert np.isfinite(a) and b - a > 50
