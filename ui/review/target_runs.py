"""The targets under a Progress plot: each run of sessions recorded against one target named
under its dates, a dashed line where the target changes, and a series' line broken there, so a
new, harder target does not read as a fall back on the last one."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

NO_TARGET = "no target"
TARGET_TEXT_COLOR = (60, 60, 60)
TARGET_CHANGE_PEN = {"color": (150, 150, 150), "width": 1, "style": Qt.PenStyle.DashLine}
RUN_GAP_PX = 6               # room kept between two runs' names under the plot


def target_runs(targets: list[str | None]) -> list[tuple[int, int, str]]:
    """The runs of sessions (1 to n, as Progress numbers them along x) recorded against one
    target, in order: ``(first, last, target)``, "no target" for sessions without one."""
    runs: list[tuple[int, int, str]] = []
    for i, t in enumerate(targets, 1):
        t = t or NO_TARGET
        if runs and runs[-1][2] == t:
            runs[-1] = (runs[-1][0], i, t)
        else:
            runs.append((i, i, t))
    return runs


def joined(xs: list[int], runs: list[tuple[int, int, str]]) -> np.ndarray:
    """For a series' points at sessions ``xs`` (in order), whether each is joined to the next by
    its line: only within a run of sessions of one target (:func:`target_runs`), so II, II,
    III, III is two lines, not one falling from 100 % to 0 %, and no line crosses a change of
    target (two lines of one colour crossing, II's and III's, could not be told apart)."""
    run_of = {x: k for k, (first, last, _) in enumerate(runs) for x in range(first, last + 1)}
    k = [run_of.get(x) for x in xs]
    return np.array([a == b for a, b in zip(k, k[1:])] + [False], dtype=bool)


def target_changes(p: pg.PlotItem, runs: list[tuple[int, int, str]]) -> None:
    """A dashed vertical line between two runs of targets on plot ``p`` (not counted in its
    ranges: a CV's axis is not stretched to 0 by it)."""
    for first, _, _ in runs[1:]:
        p.addItem(pg.InfiniteLine(first - 0.5, angle=90, pen=pg.mkPen(**TARGET_CHANGE_PEN)), ignoreBounds=True)


class TargetAxis(pg.AxisItem):
    """A Progress plot's bottom axis: the dates its ticks are given, and under them each run of
    sessions' target ("target II" under the sessions recorded against II; "II" where that does
    not fit, cut with "…" where neither does). :attr:`drawn` holds the names as last drawn."""

    # (class defaults, replaced, never changed in place: AxisItem's __init__ lays the axis out)
    runs: list[tuple[int, int, str]] = []
    drawn: list[str] = []

    def set_runs(self, runs: list[tuple[int, int, str]]) -> None:
        self.runs = runs
        self._updateHeight()
        self.picture = None
        self.update()

    def _line_px(self) -> float:
        return QFontMetricsF(self.style["tickFont"] or self.font()).height() + 2

    def _updateHeight(self) -> None:
        super()._updateHeight()
        if self.runs and self.isVisible() and self.fixedHeight is None:
            h = self.maximumHeight() + self._line_px()
            self.setMaximumHeight(h)
            self.setMinimumHeight(h)

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
        self.drawn = []
        vb = self.linkedView()
        if not self.runs or vb is None:
            return
        fm = QFontMetricsF(self.style["tickFont"] or self.font())
        bounds = self.boundingRect()
        top = max((rect.bottom() for rect, _, _ in textSpecs),
                  default=self.style["tickLength"] + self.style["tickTextOffset"][1] + fm.height()) + 2
        p.setPen(pg.mkPen(TARGET_TEXT_COLOR))
        for first, last, target in self.runs:
            left, right = (self.mapFromItem(vb, vb.mapFromView(QPointF(x, 0.0))).x() for x in (first - 0.5, last + 0.5))
            left, right = max(left, bounds.left()), min(right, bounds.right())
            room = right - left - RUN_GAP_PX
            if room <= 0:
                continue
            text = next((t for t in (f"target {target}", target) if fm.horizontalAdvance(t) <= room),
                        fm.elidedText(target, Qt.TextElideMode.ElideRight, room))
            if not text:
                continue
            p.drawText(QRectF(left, top, right - left, fm.height()),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), text)
            self.drawn.append(text)
