"""A recording's figures in the report: its force (or, recorded with a hand-worn IMU alone, the
hand's movement), its grades and its thrusts aligned at onset; and how any figure is drawn.

Figures are drawn offscreen with pyqtgraph and embedded as base64 PNG (``ImageExporter``),
so the page can be mailed or filed on its own.
"""

from __future__ import annotations

import base64
import functools
import os
from pathlib import Path
from typing import Callable

import numpy as np

from ui.cli import interrupts_held
from ui.report.recordings import ReportItem
from ui.review.data import screen_changes
from ui.review.trace import (COMMENT_LABEL_FILL, COMMENT_LEVELS, COMMENT_STEP, LETUP_COLOR, OFF_SCALE_COLOR, POP_COLOR,
                             POP_OUTLINE_COLOR, THRUST_COLOR, comment_label, event_marks, gap_region, grade_color,
                             minmax_envelope, screen_region, screen_stretches)
from ui.table import in_grade_order


def _figure(draw: Callable[..., str]) -> Callable[..., str]:
    """A figure is drawn whole, from its widget to the widget's deletion, before a Ctrl-C is
    acted on: one raised inside Qt's rendering (which calls back into Python) crashed the
    process with a segmentation fault, or was swallowed and the report went on."""
    @functools.wraps(draw)
    def held(*args, **kwargs) -> str:
        with interrupts_held():
            return draw(*args, **kwargs)
    return held


def _qt():
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from ui.trainer.app import PLOT_OPTIONS
    pg.setConfigOptions(**PLOT_OPTIONS)         # (black on white, as the trainer and the review draw)
    if QApplication.instance() is None:
        # the figures are drawn offscreen whatever the machine: a display named in DISPLAY but
        # gone (an SSH session's) or unusable aborted the whole report
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    return pg, app


_DASH, _DOT = "dash", "dot"
# the grid's opacity over black lines: the light grey the figures had when drawn grey on white
GRID_ALPHA = 0.12


def _pen_style(name: str):
    from PySide6.QtCore import Qt
    return Qt.PenStyle.DashLine if name == "dash" else Qt.PenStyle.DotLine


def _settle(plot_item) -> None:
    """Lay a figure out again once its axes know how much room their numbers take.

    An axis measures its tick labels only when it paints them, and widens itself afterwards;
    a figure exported before that (offscreen, never shown) had its axis titles drawn over
    the numbers.
    """
    from PySide6.QtGui import QPainter, QPicture
    from PySide6.QtWidgets import QApplication
    plot_item.scene().prepareForPaint()         # the ranges take the data: the numbers to measure
    for ax in (a["item"] for a in plot_item.axes.values()):
        if not ax.isVisible():
            continue
        picture = QPicture()                    # measured on what the axis paints on itself
        painter = QPainter(picture)
        try:
            if ax.style["tickFont"]:
                painter.setFont(ax.style["tickFont"])
            ax.generateDrawSpecs(painter)
        finally:
            painter.end()
    QApplication.processEvents()                # the layout takes the new sizes


def _png(plot_item, width: int = 1000) -> str:
    """Render a PlotItem offscreen; returns base64 PNG text."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from pyqtgraph.exporters import ImageExporter
    _settle(plot_item)
    ex = ImageExporter(plot_item)
    ex.parameters()["width"] = width
    img = ex.export(toBytes=True)
    buf = QByteArray()
    qb = QBuffer(buf)
    qb.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(qb, "PNG")
    qb.close()
    return base64.b64encode(bytes(buf.data())).decode("ascii")


def _dispose(gw) -> None:
    """Delete a figure's widget now (not at interpreter exit, when Qt may already be gone)."""
    import shiboken6
    gw.close()
    shiboken6.delete(gw)


def _plot(title: str, xlabel: str, ylabel: str, w: int = 1000, h: int = 320, seconds: bool = False):
    """A figure's widget and plot; ``seconds``: its bottom axis is a recording's time, ticked as the
    tables print it (9000020 on a device's clock, not 9.00002e+06: :class:`ui.time_axis.TimeAxis`)."""
    pg, _ = _qt()
    gw = pg.GraphicsLayoutWidget()
    gw.setBackground("w")
    gw.resize(w, h)
    from ui.time_axis import time_axis
    p = gw.addPlot(title=title, axisItems=time_axis() if seconds else None)
    from PySide6.QtCore import QRectF
    gw.ci.setGeometry(QRectF(0, 0, w, h))     # lay out without showing the widget
    p.setLabel("bottom", xlabel)
    p.setLabel("left", ylabel)
    p.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    return gw, p


@_figure
def force_figure(item: ReportItem) -> str:
    """Whole recording: min/max envelope of the force, cycle crests by grade, thrust peaks,
    R1/R2 and comment marks, signal gaps hatched grey and labelled "no data", and hatched, as the
    review marks them, the stretches the trainer's screen graded with other settings than the
    recording's own."""
    pg, _ = _qt()
    gw, p = _plot(f"{item.label}: force", "time (s)", "force (N)", seconds=True)
    if item.scale is not None:
        f, y = item.inp.force, item.force_drawn()
        # broken at a signal gap, which is hatched (no line of force across it)
        p.plot(*minmax_envelope(f.t_s, y, 2000, item.gaps("force")), pen=pg.mkPen((60, 60, 60), width=1))
        _off_scale_marks(p, item, y)
    _gaps(p, item)
    m = item.inp.meta
    changes = screen_changes(m.extra, m) if m is not None else []
    for a, b, text in screen_stretches(changes, item.inp.duration_s) if changes else ():
        p.addItem(screen_region(a, b, text))
    s = item.summary
    for key in ("r1_n", "r2_n"):
        if s.get(key) is not None:
            p.addItem(pg.InfiniteLine(s[key], angle=0, pen=pg.mkPen((0, 120, 0), style=_pen_style(_DASH)),
                                      label=key[:2].upper(), labelOpts={"position": 0.01, "color": (0, 120, 0),
                                                                       "anchors": [(0, 0), (0, 0)]}))
    for symbol, color, xs, ys in event_marks(item.events):
        p.plot(xs, ys, pen=None, symbol=symbol, symbolSize=6 if symbol == "o" else 10,
               symbolBrush=color, symbolPen=None)
    _pop_marks(p, item)
    _comment_lines(p, item)
    out = _png(p)
    _dispose(gw)
    return out


def _gaps(p, item: ReportItem) -> None:
    """Each signal gap of the recording hatched grey with "no data" at its foot, as the trainer and
    the review draw it (:func:`ui.review.trace.gap_region`; it was shaded faint orange, unlabelled)."""
    for a, b in item.gaps():
        p.addItem(gap_region(a, b))


def _comment_lines(p, item: ReportItem) -> None:
    """A dotted line at each comment, labelled with its text cut as the review cuts it, each a
    step lower than the one before (dotted lines with no word were not told for comments)."""
    pg, _ = _qt()
    order = sorted(range(len(item.comments)), key=lambda k: float(item.comments[k].get("t_s", 0.0)))
    for rank, k in enumerate(order):
        c = item.comments[k]
        p.addItem(pg.InfiniteLine(float(c.get("t_s", 0.0)), angle=90,
                                  pen=pg.mkPen((30, 90, 200), style=_pen_style(_DOT)),
                                  label=comment_label(str(c.get("text", ""))),
                                  labelOpts={"position": 0.95 - COMMENT_STEP * (rank % COMMENT_LEVELS),
                                             "color": (30, 90, 200), "fill": COMMENT_LABEL_FILL,
                                             "anchors": [(0, 0.5), (0, 0.5)]}))


@_figure
def movement_figure(item: ReportItem) -> str | None:
    """A recording made with a hand-worn IMU alone: the hand's movement into the tissue (mm) as
    the review's Session tab draws it, its IMU cycles in a row above it, its thrusts on it and,
    over each thrust, the hand's movement as its "hand moved" figure is measured (from the hold
    before it, :func:`ui.review.movement.thrust_curves`) with a dot at its peak, so the rise from
    its onset to the dot is the thrusts table's figure (the band-limited trace alone rose under
    half of it, its triangles at 2–3 mm beside "hand moved 4.3 mm"); gaps hatched and comments
    marked (the page had no plot of it at all). None when no movement can be measured."""
    from ui.review.data import ReviewSession
    from ui.review.movement import measure_movement, thrust_onsets, movement_envelope, movement_marks, thrust_overlays
    rs = ReviewSession(Path(item.name), item.inp, {}, item.events, item.source)
    rs.movement = measure_movement(item.inp.imu, thrust_onsets(rs))      # (as the review's worker measures it)
    if not len(rs.movement[0]):
        return None
    pg, _ = _qt()
    gw, p = _plot(f"{item.label}: hand movement (IMU)", "time (s)", "hand movement (mm)", seconds=True)
    p.plot(*movement_envelope(rs, 2000), pen=pg.mkPen((60, 60, 60), width=1))
    _gaps(p, item)
    for symbol, color, xs, ys in movement_marks(rs):
        p.plot(xs, ys, pen=None, symbol=symbol, symbolSize=6 if symbol == "o" else 10,
               symbolBrush=color, symbolPen=None)
    overlays = thrust_overlays(rs)
    if overlays:                                  # (one item, the thrusts' curves apart, as the review's)
        nan = np.array([np.nan])
        p.plot(np.concatenate([a for _, t, _ in overlays for a in (t, nan)]),
               np.concatenate([a for _, _, d in overlays for a in (d, nan)]),
               pen=pg.mkPen(grade_color("V"), width=2), connect="finite")
        p.plot([float(e["t_peak"]) for e, _, _ in overlays],
               [float(np.interp(e["t_peak"], t, d)) for e, t, d in overlays],
               pen=None, symbol="o", symbolSize=8, symbolBrush=grade_color("V"), symbolPen=None)
    _comment_lines(p, item)
    out = _png(p)
    _dispose(gw)
    return out


def _pop_marks(p, item: ReportItem) -> None:
    """The pops heard, stars on the force at their moment as the review draws them: filled for a
    pop of a thrust, outlined for one outside any (the page counted them beside a plot without
    them). None when the sound is not there to have been listened to."""
    pg, _ = _qt()
    pops = [e for e in item.events if e.get("type") == "cavitation"] if item.has_audio else []
    if not pops or item.scale is None:
        return
    f = item.inp.force
    on_trace = np.interp([float(e["t"]) for e in pops], f.t_s, item.force_drawn())
    p.addItem(pg.ScatterPlotItem(
        [{"pos": (float(e["t"]), float(v)), "symbol": "star",
          "brush": pg.mkBrush(*POP_COLOR) if e.get("thrust") is not None else pg.mkBrush(None),
          "pen": pg.mkPen("k", width=1) if e.get("thrust") is not None else pg.mkPen(POP_OUTLINE_COLOR, width=2)}
         for e, v in zip(pops, on_trace)], size=12))


@_figure
def histogram_figure(hist: dict[str, int], title: str) -> str:
    pg, _ = _qt()
    gw, p = _plot(title, "grade", "cycles", 600, 300)
    labels = [k for k, _ in in_grade_order(hist)]          # (I, II, III--, III-, III, …, not as strings sort)
    x = np.arange(len(labels), dtype=float)
    brushes = [pg.mkBrush(grade_color(k.rstrip("+-") if k != "ungraded" else None)) for k in labels]
    p.addItem(pg.BarGraphItem(x=x, height=[hist[k] for k in labels], width=0.7, brushes=brushes))
    p.getAxis("bottom").setTicks([list(zip(x.tolist(), labels))])
    p.getAxis("bottom").enableAutoSIPrefix(False)
    p.setXRange(-0.75, max(len(labels), 3) - 0.25, padding=0)
    out = _png(p, 600)
    _dispose(gw)
    return out


def _off_scale_marks(p, item: ReportItem, y: np.ndarray, t0_s: float = 0.0, per_s: float = 1.0,
                     k: np.ndarray | None = None) -> None:
    """Triangles at the plot's edge where force samples are off the scale (as in the review);
    ``k`` limits them to a window of samples, drawn at ``per_s * (t - t0_s)``."""
    pg, _ = _qt()
    off = item.scale.off
    if k is not None:
        off = off[k[off]]
    if len(off):
        t = item.inp.force.t_s[off]
        p.addItem(pg.ScatterPlotItem([{"pos": (float(per_s * (tt - t0_s)), float(y[i])),
                                       "symbol": "t1" if item.inp.force.values[i] > item.scale.hi_n else "t"}
                                      for tt, i in zip(t, off)], size=12, pen=pg.mkPen("k", width=1),
                                     brush=pg.mkBrush(OFF_SCALE_COLOR)))


@_figure
def thrust_figure(item: ReportItem) -> str:
    """Every thrust's force from 0.5 s before onset to 0.5 s after, aligned at onset, and each
    thrust's pops, stars on its curve at their moments (as the force plot draws them): when
    they came against the force, which the table gives for the first pop only."""
    pg, _ = _qt()
    gw, p = _plot(f"{item.label}: thrusts aligned at onset", "time from onset (ms)", "force (N)", 800, 320)
    p.addLegend(offset=(-10, 10))                # the colours' key (red was not explained)
    named = set()
    f = item.inp.force
    y = item.force_drawn() if item.scale is not None else None
    for e in (e for e in item.events if e.get("type") == "thrust"):
        if y is None:                            # (no force: an IMU's thrusts)
            break
        k = (f.t_s >= e["t_onset"] - 0.5) & (f.t_s <= e["t_onset"] + 0.5)
        name = "let up before onset" if e.get("letup") else "no let-up"
        p.plot(1000.0 * (f.t_s[k] - e["t_onset"]), y[k], name=None if name in named else name,
               pen=pg.mkPen(LETUP_COLOR if e.get("letup") else THRUST_COLOR, width=1))
        _off_scale_marks(p, item, y, e["t_onset"], 1000.0, k)
        named.add(name)
    thrust_of = {e.get("index"): e for e in item.events if e.get("type") == "thrust"}
    pops = [(thrust_of[c["thrust"]], c) for c in item.events
            if c.get("type") == "cavitation" and c.get("thrust") is not None and c["thrust"] in thrust_of] \
        if item.has_audio and y is not None else []
    if pops:
        x = np.array([1000.0 * (float(c["t"]) - e["t_onset"]) for e, c in pops])
        v = np.interp([float(c["t"]) for _, c in pops], f.t_s, y)
        p.plot(x, v, pen=None, symbol="star", symbolSize=12, symbolBrush=pg.mkBrush(*POP_COLOR),
               symbolPen=pg.mkPen("k", width=1), name="pop")
    out = _png(p, 800)
    _dispose(gw)
    return out
