"""The trainer's plots: the scrolling force plot and the audio strip under it (the thrust
panel's are in ``ui.trainer.thrust_plots``). Each ``update_*`` draws from arrays handed to it;
none reads a device."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics

from analysis.events import CavitationEvent, CycleEvent, ThrustEvent
from ui.review.trace import with_gaps
from ui.trainer.palette import ALERT, GRADE_COLOURS, GRADE_OUTLINES, LOUD_SOUND, OKABE_ITO, TRACE, grade_colour, rgba

GRADES = ("I", "II", "III", "IV", "V", None)
SETTLING_TEXT = "IMU settling: movement approximate"
SETTLING_COLOUR = "#9a9a9a"
POP_APART_PX = 16          # pops closer than this share one marker (14 px and its pen), their count beside it
POP_COUNT_GAP_PX = 9        # from a marker's middle to its count
POP_ROW_PX = 22             # the row of pop markers along the top of the force plot (14 px and their pen)
# what the force plot says with nothing of its window to draw (a recording of sound alone):
# it showed bare axes, the pops along their top
NO_DATA = {False: "no force data", True: "no movement data"}
CYCLE_PX = 2                # a finished cycle's line, in its grade's colour on a 1 px outline each side ...
STROKES_APART_PX = 12       # ... while a half cycle spans this much of the plot; fast cycles get a 1 px line
LABEL_AT = 0.02             # the R1/R2 labels' place along the plot's width (a share of it)
LABEL_GAP_PX = 10           # between them and the target's label
LABEL_ROOM_PX = 10          # room above a plot (and right of it) for the tick labels at its edge
LABEL_Z = 20                # the R1/R2/target labels are drawn over the force's lines ...
LABEL_FILL_ALPHA = 200      # ... on a backdrop of white at this opacity
FORCE_STEP_N = 50.0         # the force axis' top is a whole number of these (it stays put)
# an HVLA target's corridors, each its own colour (neither the 0–R1 sky blue nor the R1–R2
# orange): the preload held in blue, the peak in the green of a grade's target zone; the same
# on the force plot and the HVLA tab's plot
CORRIDOR_ROOM = 1.15        # room above the corridors' top, and above the highest thrust (as a share)
CORRIDOR_SHADES = {"preload": (OKABE_ITO["blue"], 60), "peak": (OKABE_ITO["bluish_green"], 70)}


def in_newtons(plot: pg.PlotWidget) -> None:
    """Every axis in its own unit: force in N wherever it goes (pyqtgraph's automatic prefix
    turned the axis into kN above 1000 N, while the panels and the other plots say N); and room
    around the plot for the half of a tick label that passes its top or bottom edge."""
    for name in ("left", "bottom", "right", "top"):
        plot.getPlotItem().getAxis(name).enableAutoSIPrefix(False)
    plot.getPlotItem().layout.setContentsMargins(1, LABEL_ROOM_PX, LABEL_ROOM_PX, 1)


class SparseAxis(pg.AxisItem):
    """A value axis whose labels never overlap on a short plot (the HVLA plot of a small
    screen): at most one label per ``LABEL_LINES`` of text, at a wider whole step; and whose
    title, when longer than the axis is high, is its unit alone ("(mm)"): "hand movement (mm)"
    ran past both ends of a short plot, which cut its unit off."""

    LABEL_LINES = 1.6
    title = ""                 # the quantity's name, said when there is room for it

    def set_title(self, name: str, units: str) -> None:
        self.title = name
        self.setLabel(name, units=units)
        self._fit_title()

    def _fit_title(self) -> None:
        if self.label is None or not self.title:
            return
        full = f"{self.title} ({self.labelUnits})"
        pad = 2 * self.label.document().documentMargin()
        room = self.size().height() + 2 * LABEL_ROOM_PX      # (beside the axis, up to the plot's edges)
        said = self.title if QFontMetrics(self.label.font()).horizontalAdvance(full) + pad <= room else ""
        if said != self.labelText:
            self.labelText = said
            self._updateLabel()

    def resizeEvent(self, ev=None):  # noqa: N802 (pyqtgraph)
        self._fit_title()
        super().resizeEvent(ev)

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph)
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or maxVal <= minVal:
            return levels
        font = self.style.get("tickFont") or self.font()
        fits = max(1, int(size // (self.LABEL_LINES * QFontMetrics(font).height())))
        def count(step: float) -> int:
            return int(np.floor(maxVal / step) - np.ceil(minVal / step)) + 1

        major = levels[0][0]
        if count(major) <= fits:
            return levels
        if fits == 1:                        # room for one: the scale's top, not its 0
            return [(10.0 * (maxVal - minVal) + major, np.floor(maxVal / major) * major)]
        while count(major) > fits:
            major *= 2.5 if str(major).lstrip("0.").startswith("2") else 2
        return [(major, 0)]


class SecondsAgoAxis(pg.AxisItem):
    """A time axis whose view runs from ``-window`` to 0 (now), labelled in seconds before now:
    5 for the moment 5 s ago, so the numbers agree with the axis' title."""

    def tickStrings(self, values, scale, spacing):  # noqa: D102 (pyqtgraph's)
        return super().tickStrings([0.0 - v for v in values], scale, spacing)


def _band(plot: pg.PlotItem, colour: str, alpha: int) -> pg.LinearRegionItem:
    b = pg.LinearRegionItem(orientation="horizontal", movable=False, brush=pg.mkBrush(*rgba(colour, alpha)),
                            pen=pg.mkPen(None))
    b.setZValue(-10)
    plot.addItem(b)
    b.hide()
    return b


GAP_TEXT = "no data"          # said on a gap: the sensor away, or samples dropped
GAP_HATCH = "#606060"        # a gap's hatching, grey (no grading band is), on white that dims the bands under it
GAP_FILL_ALPHA = 170
GAP_Z = -4                   # over the bands (-10) and the settling shade (-5), under the lines
GAP_LABEL_PAD_PX = 3         # its label's room above the plot's bottom


def gap_label() -> pg.TextItem:
    """The "no data" said on a gap, as the force plot says it."""
    label = pg.TextItem(GAP_TEXT, color=TRACE, fill=pg.mkBrush(255, 255, 255, LABEL_FILL_ALPHA))
    f = label.textItem.font()
    f.setPixelSize(13)
    label.setFont(f)
    label.setZValue(LABEL_Z)
    return label


def place_gap_label(label: pg.TextItem, a: float, b: float, x_range: tuple[float, float],
                    y_range: tuple[float, float], size_px: tuple[float, float]) -> None:
    """``label`` at the foot of the gap from ``a`` to ``b`` (s) in a view of ``x_range`` ×
    ``y_range`` drawn on ``size_px`` (width, height) pixels: across the part of it in view if
    it fits there, else upright; hidden when none of it is in view, or too little to hold it
    upright (a gap just begun at the plot's edge: the edge cut its letters)."""
    (x0, x1), (bottom, top), (w_px, h_px) = x_range, y_range, size_px
    a, b = max(a, x0), min(b, x1)                  # (the part of it in view)
    box = label.textItem.boundingRect()
    wide_px = (b - a) * w_px / (x1 - x0) if x1 > x0 else 0.0
    letters_px = box.height() - 2 * label.textItem.document().documentMargin()   # (its line, upright)
    if w_px <= 0 or h_px <= 0 or b < a or x1 <= x0 or wide_px < letters_px:
        label.hide()
        return
    across = wide_px >= box.width() + 4
    label.setAngle(0 if across else 90)
    label.setAnchor((0.5, 1) if across else (0, 0.5))
    label.setPos((a + b) / 2, bottom + GAP_LABEL_PAD_PX * (top - bottom) / h_px)
    label.show()


class GapRegion(pg.LinearRegionItem):
    """A time with no data: hatched grey over white (a pale vermillion fill read as the orange
    R1-R2 band). ``labelled``: it says "no data" at its foot itself, wherever its view is
    panned or zoomed to (the trainer's force plot places its labels as it scrolls)."""

    def __init__(self, region: tuple[float, float] = (0.0, 1.0), labelled: bool = False) -> None:
        super().__init__(region, movable=False, pen=pg.mkPen(None))
        self.setZValue(GAP_Z)
        self._fill = QBrush(QColor(255, 255, 255, GAP_FILL_ALPHA))
        self._hatch = QBrush(QColor(GAP_HATCH), Qt.BrushStyle.BDiagPattern)
        self.label: pg.TextItem | None = None
        if labelled:
            self.label = gap_label()
            self.label.setParentItem(self)
            self.sigRegionChanged.connect(self._place_label)

    def viewTransformChanged(self) -> None:  # noqa: N802 (pyqtgraph's: the view panned, zoomed or resized)
        super().viewTransformChanged()
        self._place_label()

    def _place_label(self) -> None:
        vb = self.getViewBox()
        if self.label is None or not isinstance(vb, pg.ViewBox):    # (not in a plot's view box yet)
            return
        x_range, y_range = vb.viewRange()
        place_gap_label(self.label, *self.getRegion(), x_range, y_range, (vb.width(), vb.height()))

    def paint(self, p, *args) -> None:  # noqa: D102 (pyqtgraph's)
        rect = p.transform().mapRect(self.boundingRect())      # (the hatching in pixels, not seconds)
        p.save()
        p.resetTransform()
        p.setPen(pg.mkPen(None))
        p.fillRect(rect, self._fill)
        p.fillRect(rect, self._hatch)
        p.restore()


class GivesWay:
    """A plot that lets the analysis finish a feed in progress before it paints: ``give_way``
    (set by the window, :meth:`ui.trainer.engine.Engine.give_way`) waits for it a few
    milliseconds at most. The acquisition thread shares the interpreter with the window's, and
    a feed the painting took it from waited up to the interpreter's switch interval (5 ms) each
    time it let it go inside numpy or scipy."""

    give_way = None

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt)
        if self.give_way is not None:
            self.give_way()
        super().paintEvent(e)


class ForcePlot(GivesWay, pg.PlotWidget):
    """Last ``window_s`` seconds of force: R1/R2 and target zone (or an HVLA target's preload
    and peak corridors, labelled with their ranges) as bands, finished cycles in
    their grade's colour, cavitation pops as markers (filled at a thrust, outlined outside any; close ones as one with
    their count), gaps hatched grey and labelled "no data".

    The time axis counts seconds back from now (0 at the right edge): the data scrolls, the
    axes stay put, so a frame repaints no axis (axis painting is most of a frame's cost).

    With :meth:`show_movement` it draws the hand's movement in mm instead (a worn IMU read
    without a force sensor), its cycles in the ungraded colour, and no force bands."""

    def __init__(self, window_s: float = 10.0) -> None:
        super().__init__(background="w", axisItems={"bottom": SecondsAgoAxis("bottom")})
        self.window_s = window_s
        self._bands: tuple = (None, None, None, {})
        self.held = (False, False)  # the target zone, the R1/R2 bands held back (hold_back)
        self.movement = False       # drawing the hand's movement (mm) instead of force
        pi = self.getPlotItem()
        pi.setLabel("left", "force", units="N")
        pi.setLabel("bottom", "seconds before now")
        in_newtons(self)
        pi.setMenuEnabled(False)
        pi.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)      # keys belong to the window's shortcuts
        self.band_r1 = _band(pi, OKABE_ITO["sky_blue"], 35)       # 0..R1: short of resistance
        self.band_r2 = _band(pi, OKABE_ITO["orange"], 30)         # R1..R2: into resistance
        self.band_target = _band(pi, OKABE_ITO["bluish_green"], 70)
        self.corridor_bands = {name: _band(pi, colour, alpha) for name, (colour, alpha) in CORRIDOR_SHADES.items()}
        self.lines = {}
        for name in ("R1", "R2", "target", *CORRIDOR_SHADES):
            ln = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen(None), label=name,
                                 labelOpts={"position": LABEL_AT, "color": TRACE, "anchors": [(0, 1), (0, 1)],
                                            "fill": pg.mkBrush(255, 255, 255, LABEL_FILL_ALPHA)})
            # (over the force, on a pale backdrop: a trace passing through "R1" hid the letters)
            ln.setZValue(LABEL_Z)
            ln.hide()
            pi.addItem(ln)
            self.lines[name] = ln
        # "target" is said right of "R1"/"R2": its line is often at R1 (I, II) or close to one
        pi.getViewBox().sigResized.connect(self._place_labels)
        pi.getViewBox().sigYRangeChanged.connect(self._place_labels)      # (R1 and R2 closer or apart)
        pi.disableAutoRange()
        pi.getViewBox().setRange(xRange=(-window_s, 0.0), yRange=(0.0, 50.0), padding=0)   # before any data
        self.trace = pi.plot(pen=pg.mkPen(TRACE, width=1))
        self.cycle_items = {g: pi.plot(connect="finite") for g in GRADES}
        self.thin_cycles: bool | None = None      # fast cycles drawn with a 1 px line (set_cycle_pens)
        self.set_cycle_pens(False)
        for item in (self.trace, *self.cycle_items.values()):
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
        for item in self.cycle_items.values():
            # a wide line costs per segment: one lowest-and-highest pair per pixel column (drawn the
            # same) instead of pyqtgraph's five samples a pixel keeps a 60 s window's frame in time
            item.opts["autoDownsampleFactor"] = 1.0
        # a worn IMU's movement while its filters settle: drawn faintly under a shaded span that
        # says so, and before any is known a note saying what the plot waits for
        self.unsettled = pi.plot(pen=pg.mkPen(rgba(TRACE, 110), width=1, style=Qt.PenStyle.DashLine),
                                 connect="finite")
        self.settle_items: list[pg.LinearRegionItem] = []
        self.settle_label = pg.TextItem(SETTLING_TEXT, color=TRACE, anchor=(0, 0))
        f = self.settle_label.textItem.font()
        f.setPixelSize(15)
        self.settle_label.setFont(f)
        self.settle_label.hide()
        pi.addItem(self.settle_label)
        self.note = pg.TextItem("", color=TRACE, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 210))
        f = self.note.textItem.font()
        f.setPixelSize(22)
        self.note.setFont(f)
        self.note.hide()
        pi.addItem(self.note)
        self._pop_brush, self._no_brush = pg.mkBrush(ALERT), pg.mkBrush(None)
        self.pops = pg.ScatterPlotItem(symbol="t", size=14, brush=self._pop_brush, pen=pg.mkPen(ALERT, width=2))
        pi.addItem(self.pops)
        self.pop_counts: list[pg.TextItem] = []      # "4" beside a marker standing for four pops
        self.gap_items: list[GapRegion] = []
        self.gap_labels: list[pg.TextItem] = []     # "no data" on each
        self._y_top = 50.0
        self.t_now = 0.0
        self.drawn: dict = {}       # what the last frame drew (tests and benchmarks read it)
        self.paint_hooks: list = []  # f() after each paint (the benchmark's sample-to-screen clock)

    def set_bands(self, r1: float | None, r2: float | None, zone: tuple[float, float] | None,
                  corridors: dict | None = None) -> None:
        """Shade 0–R1, R1–R2 and the target ``zone`` (N); ``corridors``: an HVLA target's
        ``{"preload": (low, high), "peak": (low, high)}`` in N (a corridor None or missing: not
        shaded), each labelled with its range ("peak 400–650 N"), the force axis reaching above
        the peak corridor before any thrust does. None of them on a plot of movement."""
        corridors = {n: c for n, c in (corridors or {}).items() if c is not None}
        self._bands = (r1, r2, zone, corridors)
        if self.movement:                     # forces have no place on a plot of millimetres
            r1 = r2 = zone = None
            corridors = {}
        # (the same while bands are held back)
        self._y_top = max(50.0, 1.15 * (r2 or 0.0),
                          CORRIDOR_ROOM * max((c[1] for c in corridors.values()), default=0.0))
        if self.held[0]:
            zone = None
        if self.held[1]:
            r1 = r2 = None
        for b, rng in ((self.band_r1, (0.0, r1) if r1 else None), (self.band_r2, (r1, r2) if r1 else None),
                       (self.band_target, zone)):
            if rng is None:
                b.hide()
            else:
                b.setRegion(rng)
                b.show()
        for name, pos in (("R1", r1), ("R2", r2), ("target", zone[1] if zone else None)):
            self.lines[name].setVisible(pos is not None)
            if pos is not None:
                self.lines[name].setPos(pos)
        # a thrust's corridors are never held back: its verdict is said under every schedule
        for name, band in self.corridor_bands.items():
            c, line = corridors.get(name), self.lines[name]
            band.setVisible(c is not None)
            line.setVisible(c is not None)
            if c is not None:
                band.setRegion(c)
                line.label.setFormat(f"{name} {c[0]:g}–{c[1]:g} N")    # (as the target picker words it)
                line.setPos(c[1])
        if not self.drawn:                    # (no frame yet: the axis shows the corridors already)
            self.getPlotItem().getViewBox().setYRange(0.0, FORCE_STEP_N * float(np.ceil(self._y_top / FORCE_STEP_N)),
                                                      padding=0)
        self._place_labels()

    def hold_back(self, target: bool, bands: bool) -> None:
        """Hide the target zone (``target``) and the R1/R2 bands (``bands``) with their labels
        while a feedback schedule holds the grade back: a crest drawn over them showed whether it
        was on target (or its grade); shown again when they are no longer held back."""
        if (target, bands) != self.held:
            self.held = (target, bands)
            self.set_bands(*self._bands)

    def _follow_schedule(self) -> None:
        """Hold back what the window's feedback schedule holds back now (its latest view)."""
        view = getattr(getattr(self.window(), "schedule", None), "shown", None)
        self.hold_back(view is not None and not view.target, view is not None and not view.bands)

    def _place_labels(self, *_) -> None:
        """The label "target" (or the corridors') right of "R1"/"R2"; and "R2" right of "R1" when
        their lines are closer than a label is high (R1 20 N, R2 50 N under a 1000 N thrust: "R2"
        was drawn over "R1")."""
        vb = self.getPlotItem().getViewBox()
        width, height = vb.width(), vb.height()
        if width <= 0:
            return
        labels = {n: self.lines[n].label for n in self.lines}
        step = (max(labels[n].boundingRect().width() for n in ("R1", "R2")) + LABEL_GAP_PX) / width
        r1, r2, _, _ = self._bands
        y0, y1 = vb.viewRange()[1]
        close = (bool(r1 and r2) and not self.movement and y1 > y0
                 and (r2 - r1) * height / (y1 - y0) < labels["R2"].boundingRect().height())
        beside = (2 if close else 1) if r1 and not self.movement and not self.held[1] else 0   # (else at the left)
        for name, slot in (("R2", 1 if close else 0), *((n, beside) for n in ("target", *CORRIDOR_SHADES))):
            at = min(0.5, LABEL_AT + slot * step)
            if labels[name].orthoPos != at:
                labels[name].setPosition(at)

    def show_movement(self, on: bool) -> None:
        """Draw the hand's movement into the tissue (mm, from a worn IMU) instead of force."""
        if on == self.movement:
            return
        self.movement = on
        self.getPlotItem().setLabel("left", "hand movement" if on else "force", units="mm" if on else "N")
        self.set_bands(*self._bands)

    def set_cycle_pens(self, thin: bool) -> None:
        """Finished cycles' lines: 2 px on an outline, or 1 px alone when a cycle's up and down
        strokes are so close that the outlined lines would merge into a filled bar."""
        if thin == self.thin_cycles:
            return
        self.thin_cycles = thin
        for g, item in self.cycle_items.items():
            item.setPen(pg.mkPen(grade_colour(g), width=1 if thin else CYCLE_PX))
            item.setShadowPen(None if thin else pg.mkPen(GRADE_OUTLINES[g], width=CYCLE_PX + 2))

    def update_plot(self, t: np.ndarray, y: np.ndarray, t_now: float, cycles: list[CycleEvent],
                    pops: list[CavitationEvent], gaps: list, thrusts: list[ThrustEvent] = (),
                    ungraded: list[tuple[float, float]] = (), settling: list[tuple[float, float]] = (),
                    note: str = "") -> None:
        """Draw one frame; ``cycles`` and ``thrusts`` are those to colour (a thrust spans its onset
        to its return to half amplitude, or its peak plus the rise time when that is unknown);
        ``ungraded`` are other cycles' ``(t_start, t_end)``, drawn as ungraded ones (an IMU's);
        ``settling`` are ``(t_from, t_to)`` spans whose samples are not yet trustworthy (an IMU's
        filters settling), drawn faintly and shaded; ``note`` is said in the middle of the plot."""
        t0 = t_now - self.window_s
        self.t_now = t_now
        self._follow_schedule()
        settling = [(a, b) for a, b in settling if b >= t0]
        gaps = [g for g in gaps if g.t_end >= t0]
        self._draw_trace(t, y, t_now, settling, gaps)
        spans = [(c.grade, c.t_start, c.t_end) for c in cycles] + [(None, a, b) for a, b in ungraded]
        spans += [("V", e.t_onset, e.t_onset + (e.duration_ms or 2 * e.time_to_peak_ms) / 1000.0) for e in thrusts]
        cycling = [tb - ta for grade, ta, tb in spans if grade != "V" and tb >= t0]
        if cycling:                          # (a thrust is one stroke up: drawn as slow ones)
            px_per_s = self.getPlotItem().getViewBox().width() / self.window_s
            self.set_cycle_pens(float(np.median(cycling)) / 2 * px_per_s < STROKES_APART_PX)
        shown = {}
        # (a cycle's line, as the trace, stops at a gap it spans: it was drawn straight across)
        tc, yc = with_gaps(t, y, np.array([(g.t_start, g.t_end) for g in gaps])) if gaps and len(t) > 1 else (t, y)
        for g, item in self.cycle_items.items():
            xs, ys = [], []
            for grade, ta, tb in spans:
                if grade == g and tb >= t0:
                    a, b = np.searchsorted(tc, (ta, tb))
                    b = min(b + 1, len(tc))
                    if b > a:               # one segment per cycle, NaN between them
                        xs += [tc[a:b] - t_now, [np.nan]]
                        ys += [yc[a:b], [np.nan]]
            if xs:
                item.setData(np.concatenate(xs), np.concatenate(ys))
                shown[g] = sum(len(x) - 1 for x in xs[::2])
            elif item.xData is not None and len(item.xData):
                item.setData([], [])
        # whole steps (50 N, or 1 mm of movement): the axis stays put
        step, low_step, least = (1.0, 1.0, 1.0) if self.movement else (FORCE_STEP_N, 10.0, self._y_top)
        top = max(least, float(y.max()) * 1.05 if len(y) else 0.0)
        top = step * np.ceil(top / step)
        shown_pops = [p for p in pops if p.t >= t0]
        marks = self._pop_marks(shown_pops)
        pt = [(p.t - t_now, top * 0.97) for p, _ in marks]          # along the top, at their moments
        if pt or len(self.pops.data):
            # a pop of a thrust is filled; one outside any thrust (during mobilisation, a partner's
            # knuckles, or a sound in the room taken for a pop) is only outlined
            self.pops.setData(pos=pt, brush=[self._pop_brush if p.thrust is not None else self._no_brush
                                             for p, _ in marks])
        self._count_pops(marks, top * 0.97)
        low = float(y.min()) * (1.05 if self.movement else 1.0) if len(y) else 0.0
        bottom = min(0.0, low_step * np.floor(low / low_step))
        self.getPlotItem().getViewBox().setRange(xRange=(-self.window_s, 0.0), yRange=(bottom, top), padding=0)
        self._draw_gaps(gaps, top, bottom)
        said = note or ("" if len(t) else NO_DATA[self.movement])     # (nothing to draw: says so)
        if said:
            self.note.setText(said)
            self.note.setPos(-self.window_s / 2, (bottom + top) / 2)
        self.note.setVisible(bool(said))
        # (its label goes under the row of pops, which it was drawn over, and clear of the trace)
        self._draw_settling(settling, top, bottom, bool(pt), t, y)
        self.drawn = {"t_now": t_now, "n": len(t), "grades": shown, "pops": len(shown_pops),
                      "pop_marks": [n for _, n in marks],
                      "pops_outside": sum(p.thrust is None for p in shown_pops),
                      "t_last": float(t[-1]) if len(t) else None, "note": note,
                      "settling": [(a - t_now, b - t_now) for a, b in settling]}

    def _pop_marks(self, pops: list) -> list[tuple]:
        """One marker for pops whose markers would overlap (a thrust's pops 13-25 ms apart are
        1-2 px apart on a 10 s plot): ``(first pop, how many)`` for each, in time order; the
        pops of a thrust and those outside any are never counted together."""
        px_per_s = self.getPlotItem().getViewBox().width() / self.window_s
        marks: list[list] = []
        for p in sorted(pops, key=lambda p: p.t):
            if marks and (marks[-1][0].thrust is None) == (p.thrust is None) \
                    and (p.t - marks[-1][0].t) * px_per_s < POP_APART_PX:
                marks[-1][1] += 1
            else:
                marks.append([p, 1])
        return [(p, n) for p, n in marks]

    def _count_pops(self, marks: list[tuple], y: float) -> None:
        """The count beside each marker standing for more than one pop."""
        vb = self.getPlotItem().getViewBox()
        s_per_px = self.window_s / vb.width() if vb.width() > 0 else 0.0
        counted = [(p, n) for p, n in marks if n > 1]
        while len(self.pop_counts) < len(counted):
            item = pg.TextItem("", color=ALERT, anchor=(0, 0.5))
            f = item.textItem.font()
            f.setPixelSize(14)
            f.setBold(True)
            item.setFont(f)
            item.setZValue(LABEL_Z)
            self.getPlotItem().addItem(item, ignoreBounds=True)
            self.pop_counts.append(item)
        for i, item in enumerate(self.pop_counts):
            if i < len(counted):
                p, n = counted[i]
                if item.textItem.toPlainText() != str(n):
                    item.setText(str(n))
                x = p.t - self.t_now
                right = x + (POP_COUNT_GAP_PX + item.textItem.boundingRect().width()) * s_per_px <= 0.0
                item.setAnchor((0, 0.5) if right else (1, 0.5))    # (left of a marker at the plot's right edge)
                item.setPos(x + (1 if right else -1) * POP_COUNT_GAP_PX * s_per_px, y)
                item.show()
            elif item.isVisible():
                item.hide()

    def _draw_trace(self, t: np.ndarray, y: np.ndarray, t_now: float, settling: list, gaps: list = ()) -> None:
        """The trace, broken at each of ``gaps`` (a NaN between its two sides, as the review
        draws them: no line across a time without data), and its samples in ``settling`` spans
        apart in the faint pen (the sample at each border in both, so the line is unbroken)."""
        if gaps and len(t) > 1:
            t, y = with_gaps(t, y, np.array([(g.t_start, g.t_end) for g in gaps], dtype=np.float64))
        inside = np.zeros(len(t) if settling else 0, bool)      # (a force plot: none, and no work)
        for a, b in settling:
            i, j = np.searchsorted(t, (a, b))
            inside[i:j] = True
        if not inside.any():
            self.trace.setData(t - t_now, y, connect="finite" if gaps else "auto")
            if self.unsettled.xData is not None and len(self.unsettled.xData):
                self.unsettled.setData([], [])
            return
        dt = np.diff(t)
        joined = dt < 4.0 * np.median(dt) if len(dt) else np.zeros(0, bool)    # (not across a dropout)
        faint = inside.copy()
        faint[:-1] |= inside[1:] & joined
        faint[1:] |= inside[:-1] & joined
        self.trace.setData(t - t_now, np.where(inside, np.nan, y), connect="finite")
        self.unsettled.setData(t - t_now, np.where(faint, y, np.nan), connect="finite")

    def _draw_settling(self, spans: list, top: float, bottom: float, pops: bool, t: np.ndarray,
                       y: np.ndarray) -> None:
        """Shade ``spans``; the newest's label inside it when it fits (else sticking out on its
        left, where the run's data begins), along the top (under the row of pops when ``pops``
        are drawn there), or lower where the trace ``t``, ``y`` passes under it there: a thrust
        made while the IMU settled reached into the label, which hid its peak."""
        while len(self.settle_items) < len(spans):
            r = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(*rgba(SETTLING_COLOUR, 45)), pen=pg.mkPen(None))
            r.setZValue(-5)
            self.getPlotItem().addItem(r)
            self.settle_items.append(r)
        for i, r in enumerate(self.settle_items):
            if i < len(spans):
                r.setRegion((spans[i][0] - self.t_now, spans[i][1] - self.t_now))
                r.show()
            else:
                r.hide()
        self.settle_label.setVisible(bool(spans))
        if not spans:
            return
        vb = self.getPlotItem().getViewBox()
        w_px, h_px = vb.width(), vb.height()
        box = self.settle_label.textItem.boundingRect()
        if w_px <= 0 or h_px <= 0 or top <= bottom:
            self.settle_label.setAnchor((0, 0))
            self.settle_label.setPos(max(spans[-1][0] - self.t_now, -self.window_s), top)
            return
        sx, sy = self.window_s / w_px, (top - bottom) / h_px          # view units a pixel
        width, height = box.width() * sx, box.height() * sy
        a = max(spans[-1][0] - self.t_now, -self.window_s)
        b = min(spans[-1][1] - self.t_now, 0.0)
        left = a if b - a >= width else max(b - width, -self.window_s)
        left = min(left, -width) if width <= self.window_s else -self.window_s
        # the heights the trace passes through under the label (each segment's span of heights)
        k0, k1 = np.searchsorted(t, (left + self.t_now, left + width + self.t_now))
        k0, k1 = max(k0 - 1, 0), min(k1 + 1, len(t))
        ys = y[k0:k1]
        lo, hi = np.fmin(ys[:-1], ys[1:]), np.fmax(ys[:-1], ys[1:])
        keep = np.isfinite(lo) & np.isfinite(hi)
        lo, hi = lo[keep], hi[keep]
        if self.note.isVisible():        # (and the note in the middle, when one is said)
            nb, at = self.note.textItem.boundingRect(), self.note.pos()
            half_w, half_h = nb.width() * sx / 2, nb.height() * sy / 2
            if at.x() - half_w < left + width and at.x() + half_w > left:
                lo, hi = np.append(lo, at.y() - half_h), np.append(hi, at.y() + half_h)
        highest = top - (POP_ROW_PX * sy if pops and h_px > POP_ROW_PX else 0.0)
        pad = 2 * sy

        def crossed(at: np.ndarray) -> np.ndarray:   # segments under the label, its top at each ``at``
            return np.count_nonzero((hi >= at[:, None] - height - pad) & (lo <= at[:, None] + pad), axis=1)
        at = highest
        if crossed(np.array([at]))[0]:         # else at the bottom, or under the trace, or where least is hidden
            under = np.unique(lo - pad)[::-1]
            tops = np.concatenate([[highest, bottom + height], under[(bottom + height < under) & (under < highest)]])
            n = crossed(tops)
            free = np.flatnonzero(n == 0)
            at = float(tops[free[0]] if free.size else tops[np.argmin(n)])
        right = left + width >= b - 1e-9           # (said from its right end: the plot's edge stays put)
        self.settle_label.setAnchor((1, 0) if right else (0, 0))
        self.settle_label.setPos(left + width if right else left, at)

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().paintEvent(e)
        for hook in self.paint_hooks:
            hook()

    def _draw_gaps(self, gaps: list, top: float, bottom: float) -> None:
        """Each gap hatched grey, "no data" at its foot: across it if it fits, else upright."""
        pi = self.getPlotItem()
        while len(self.gap_items) < len(gaps):
            r = GapRegion()
            pi.addItem(r)
            label = gap_label()
            pi.addItem(label, ignoreBounds=True)
            self.gap_items.append(r)
            self.gap_labels.append(label)
        vb = pi.getViewBox()
        w_px, h_px = vb.width(), vb.height()
        for i, (r, label) in enumerate(zip(self.gap_items, self.gap_labels)):
            if i >= len(gaps):
                r.hide()
                label.hide()
                continue
            a, b = gaps[i].t_start - self.t_now, gaps[i].t_end - self.t_now
            r.setRegion((a, b))
            r.show()
            place_gap_label(label, a, b, (-self.window_s, 0.0), (bottom, top), (w_px, h_px))

    def colour_at(self, t_s: float) -> str | None:
        """The colour a finished cycle is drawn in at time ``t_s`` (None: plain trace)."""
        for g, item in self.cycle_items.items():
            x, y = item.getOriginalDataset()
            if x is None or not len(x):
                continue
            breaks = np.flatnonzero(np.isnan(x))
            for seg in np.split(x, breaks):
                seg = seg[np.isfinite(seg)]
                if len(seg) and seg[0] <= t_s - self.t_now <= seg[-1]:
                    return GRADE_COLOURS[g]
        return None


AUDIO_STRIP_PX = 80         # the audio strip's height, its labels 0, 50 and 100 % within it
AUDIO_LABEL_ROOM_PX = 7


def loud_steps(spans, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Edges and levels of a step (``stepMode="center"``) at ``high`` in each stretch of
    ``spans`` (``(start, end)`` s, in order, apart) and at ``low`` between them: filled down to
    ``low``, it tints the stretches alone."""
    edges = np.array([v for span in spans for v in span], dtype=np.float64)
    return edges, np.tile([high, low], len(spans))[:-1]


class AudioStrip(GivesWay, pg.PlotWidget):
    """The microphone's decimated envelope under the force plot (hidden until audio arrives), in
    per cent of the input's full scale; the full-rate audio goes to the pop detector, never to
    the screen."""

    def __init__(self, force_plot: ForcePlot) -> None:
        super().__init__(background="w")
        pi = self.getPlotItem()
        pi.setLabel("left", "audio", units="%")
        in_newtons(self)
        pi.layout.setContentsMargins(1, AUDIO_LABEL_ROOM_PX, LABEL_ROOM_PX, AUDIO_LABEL_ROOM_PX)
        pi.getAxis("left").setTicks([[(0.0, "0"), (0.5, "50"), (1.0, "100")], []])   # % of full scale
        pi.hideAxis("bottom")
        pi.setMenuEnabled(False)
        pi.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setXLink(force_plot)
        self.setYRange(0, 1, padding=0)
        self.setFixedHeight(AUDIO_STRIP_PX)
        self.curve = pi.plot(pen=pg.mkPen(OKABE_ITO["blue"], width=1))
        self.curve.setClipToView(True)
        self.curve.setDownsampling(auto=True, method="peak")
        # sound that hides pops (a voice, music) in view, tinted under the envelope: a thrust
        # there says "no pop heard (loud sound)", and this shows where the talk was
        self.loud = pg.PlotCurveItem(fillLevel=0.0, brush=pg.mkBrush(*LOUD_SOUND), pen=pg.mkPen(None))
        self.loud.setZValue(-5)
        pi.addItem(self.loud)
        self.loud.hide()
        self.hide()

    def clear_envelope(self) -> None:
        """Nothing heard (another source): the strip hides until sound comes again. (Not
        ``clear``: a PlotWidget's own, which would take the curve away.)"""
        self.curve.setData([], [])
        self.loud.hide()
        self.hide()

    def update_envelope(self, t: np.ndarray, env: np.ndarray, t_now: float, loud=()) -> None:
        """The envelope (``t`` s, ``env``) up to ``t_now``, and the stretches of sound that hides
        pops among ``loud`` (``(start, end)`` s, in order, apart) that reach into it."""
        if len(t) and not self.isVisible():
            self.show()
        self.curve.setData(t - t_now, env)
        t0 = float(t[0]) if len(t) else t_now
        shown = [(a - t_now, min(b, t_now) - t_now) for a, b in loud if b > t0 and a < t_now]
        if shown:
            self.loud.setData(*loud_steps(shown, 0.0, 1.0), stepMode="center")
        self.loud.setVisible(bool(shown))
