"""The trainer's thrust panel plots: the newest thrust's curve in its corridors, with its pops
(:class:`ThrustPlot`), and the movement diagram of a worn IMU (:class:`MovementPlot`). Each
``update_*`` draws from arrays handed to it; none reads a device."""
from __future__ import annotations

import textwrap

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from analysis.events import CavitationEvent, CycleEvent, ThrustEvent
from ui.trainer.palette import ALERT, TRACE, grade_colour, rgba
from ui.trainer.plots import CORRIDOR_ROOM, CORRIDOR_SHADES, GivesWay, SparseAxis, in_newtons

THRUST_BEFORE_S, THRUST_AFTER_S = 0.3, 0.6    # thrust panel window around onset

MOVEMENT_MM = (-5.0, 5.0)   # the HVLA tab's axis for a worn IMU before its first thrust
FORCE_N = (0.0, 700.0)      # its force axis before any thrust or corridor (the emulator's thrusts fit)
THRUST_ROOM = 1.05


def nice_ceil(x: float) -> float:
    """``x`` rounded up to a tenth of its power of ten (132 → 140, 1061 → 1100): a round axis top."""
    if x <= 0:
        return 0.0
    step = 10.0 ** np.floor(np.log10(x)) / 10.0
    return float(step * np.ceil(x / step - 1e-9))


THRUST_NOTE = "no HVLA thrust yet"
PEAK_MARK_PX = 9            # the newest thrust's peak: a dot this wide on its curve, in its colour
# the newest thrust's pops: an upright tick this tall over its curve at each pop's moment (its
# pops 3-20 ms apart are 1.5-10 px apart on the tab's 900 ms, where triangles would run together)
POP_TICK_PX = 14
POP_TICK_GAP_PX = 3         # between the curve and a tick's foot


class ThrustPlot(GivesWay, pg.PlotWidget):
    """Thrusts overlaid at onset on their target corridors: the newest bold, older ones faint,
    the newest's peak marked (a dot at its time to peak and peak force, a dotted line down to
    the time axis) where the panel's "peak" and "time to peak" are read, and its pops (a tick
    over its curve at each one's moment: before or after the peak, and how spread, at a
    glance). Until the first, it says so in the plot (an empty plot said nothing of why).

    With :meth:`show_movement` it draws the hand's movement in mm instead (a worn IMU read
    without a force sensor), with no force corridors."""

    MAX_SHOWN = 5

    def __init__(self) -> None:
        super().__init__(background="w", axisItems={"left": SparseAxis("left")})
        pi = self.getPlotItem()
        pi.getAxis("left").set_title("force", "N")
        pi.setLabel("bottom", "time from onset", units="ms")
        in_newtons(self)
        pi.setMenuEnabled(False)
        pi.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.corridors = [pi.plot(fillLevel=0, brush=pg.mkBrush(*rgba(colour, alpha)), pen=pg.mkPen(None))
                          for colour, alpha in CORRIDOR_SHADES.values()]     # (preload, peak)
        self.curves = [pi.plot(pen=pg.mkPen(TRACE, width=1)) for _ in range(self.MAX_SHOWN)]
        # the newest thrust's peak: a line at its time to peak under a dot at its peak, over the curves
        self.peak_line = pg.InfiniteLine(angle=90, movable=False)
        self.peak_mark = pg.ScatterPlotItem(symbol="o", size=PEAK_MARK_PX)
        for item in (self.peak_line, self.peak_mark):
            item.setZValue(10)
            item.hide()
            pi.addItem(item, ignoreBounds=True)
        self.peak_at: tuple[float, float] | None = None      # (ms from onset, N or mm) of the mark
        # (the symbol's bar alone, 3 px wide at this size: an outline would widen it to 5)
        self.pop_ticks = pg.ScatterPlotItem(symbol="|", size=POP_TICK_PX, pen=pg.mkPen(None),
                                            brush=pg.mkBrush(ALERT))
        self.pop_ticks.setZValue(11)
        self.pop_ticks.hide()
        pi.addItem(self.pop_ticks, ignoreBounds=True)
        self.pops_at: list[tuple[float, float]] = []     # (ms from onset, N or mm on the curve) of each tick
        self._ticks_placed: tuple | None = None          # what the ticks were last placed for
        self.setXRange(-1000 * THRUST_BEFORE_S, 1000 * THRUST_AFTER_S, padding=0)
        self._corridor_top = 0.0        # the corridors' top (N), 0 without any
        self._force_span: tuple[float, float] | None = None    # lowest and highest force of the thrusts shown
        self._y_force = FORCE_N             # the force axis, kept while movement is drawn
        self._drawn: tuple | None = None    # what update_thrusts last drew: ids, and the objects (held:
        self._drawn_refs: tuple = ()        # their ids stay theirs)
        self.setYRange(*self._y_force, padding=0)
        self.movement = False           # drawing the hand's movement (mm) instead of force
        self.note = pg.TextItem(THRUST_NOTE, color=TRACE, anchor=(0.5, 0.5))
        f = self.note.textItem.font()
        f.setPixelSize(15)
        self.note.setFont(f)
        pi.addItem(self.note, ignoreBounds=True)
        pi.getViewBox().sigRangeChanged.connect(self._place_note)
        self._place_note()

    def _place_note(self, *_) -> None:
        """The note in the middle of the plot, whatever its axes."""
        (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
        self.note.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def show_movement(self, on: bool) -> None:
        """Draw the hand's movement into the tissue (mm, from a worn IMU) instead of force."""
        if on == self.movement:
            return
        self.movement = on
        self.getPlotItem().getAxis("left").set_title("hand movement" if on else "force", "mm" if on else "N")
        for item in self.corridors:                  # forces have no place on a plot of millimetres
            item.setVisible(not on)
        if on:                                       # a hand's few millimetres, until a thrust sets it
            self.setYRange(*MOVEMENT_MM, padding=0)
        else:
            self.setYRange(*self._y_force, padding=0)

    def set_corridors(self, preload: tuple[float, float] | None, peak: tuple[float, float] | None,
                      ttp_ms: tuple[float, float] = (60.0, 250.0)) -> None:
        """Preload corridor before the onset; peak corridor over the published times to peak
        (60–250 ms, docs/analysis.md)."""
        spans = ((-1000 * THRUST_BEFORE_S, 0.0), ttp_ms)
        self._corridor_top = max([c[1] for c in (preload, peak) if c is not None], default=0.0)
        self._fit_force()
        for item, c, (x0, x1) in zip(self.corridors, (preload, peak), spans):
            if c is None:
                item.setData([], [])
            else:
                item.setData([x0, x1], [c[1], c[1]])
                item.setFillLevel(c[0])

    def update_thrusts(self, traces: list[tuple[ThrustEvent, np.ndarray, np.ndarray]],
                       pops: list[CavitationEvent] = ()) -> None:
        """Draw ``traces`` (thrust, times, force or movement), the last the newest, and the
        newest's ``pops`` (those tied to it; others are not drawn)."""
        traces = traces[-self.MAX_SHOWN:]
        drawn = (self.movement, [tuple(map(id, tr)) + (tr[0].letup,) for tr in traces], [id(p) for p in pops])
        if drawn == self._drawn:
            # the same thrusts, curves and pops as the frame before (asked each frame; a finished
            # thrust's curve is kept): only the ticks may need placing again (the axes moved)
            self._mark_pops(traces[-1] if traces else None, pops)
            return
        self._drawn, self._drawn_refs = drawn, (traces, list(pops))
        if self.note.isVisible() != (not traces):
            self.note.setVisible(not traces)
        for i, item in enumerate(self.curves):
            k = i - (self.MAX_SHOWN - len(traces))
            if k < 0:
                item.setData([], [])
                continue
            ev, t, y = traces[k]
            newest = k == len(traces) - 1
            colour = ALERT if ev.letup else grade_colour("V")
            item.setPen(pg.mkPen(colour if newest else rgba(colour, 70), width=1,
                                 style=Qt.PenStyle.SolidLine))
            item.setData(1000.0 * (t - ev.t_onset), y)
            if newest:
                self._mark_peak(ev, 1000.0 * (t - ev.t_onset), y, colour)
        if not traces:
            self._mark_peak(None)
        newest = traces[-1] if traces else None
        ys = [y[np.isfinite(y)] for _, _, y in traces]
        ys = [y for y in ys if len(y)]
        low = min((float(y.min()) for y in ys), default=None)
        high = max((float(y.max()) for y in ys), default=None)
        if self.movement:
            if ys:                      # whole millimetres around the movements: the axis stays put
                self.setYRange(min(0.0, np.floor(low * 1.05)), max(1.0, np.ceil(high * 1.05)), padding=0)
            self._mark_pops(newest, pops)
            return
        self._force_span = (low, high) if ys else None
        self._fit_force()
        self._mark_pops(newest, pops)

    def _mark_peak(self, ev: ThrustEvent | None, x_ms: np.ndarray = None, y: np.ndarray = None,
                   colour: str = TRACE) -> None:
        """The mark at ``ev``'s peak: at its time to peak and its peak force, or, for a thrust
        with no force (a worn IMU's), at its curve's value then; none without a thrust, or with
        no time to peak or no value there."""
        at = None
        if ev is not None and np.isfinite(ev.time_to_peak_ms):
            ttp = float(ev.time_to_peak_ms)
            if not self.movement and np.isfinite(ev.peak_n):
                at = (ttp, float(ev.peak_n))
            else:
                ok = np.isfinite(x_ms) & np.isfinite(y)
                if ok.any() and x_ms[ok][0] <= ttp <= x_ms[ok][-1]:
                    at = (ttp, float(np.interp(ttp, x_ms[ok], y[ok])))
        self.peak_at = at
        if at is None:
            self.peak_mark.hide()
            self.peak_line.hide()
            return
        self.peak_mark.setData([at[0]], [at[1]], brush=pg.mkBrush(colour), pen=pg.mkPen("w", width=1))
        self.peak_line.setPen(pg.mkPen(rgba(colour, 160), width=1, style=Qt.PenStyle.DotLine))
        self.peak_line.setPos(at[0])
        self.peak_mark.show()
        self.peak_line.show()

    def _mark_pops(self, newest: tuple | None, pops: list[CavitationEvent]) -> None:
        """A tick over the newest thrust's curve at the moment of each of its ``pops`` (ms from
        onset), its foot :data:`POP_TICK_GAP_PX` over the curve's value then; none for a pop off
        the curve drawn."""
        at: list[tuple[float, float]] = []
        if newest is not None:
            ev, t, y = newest
            x_ms = 1000.0 * (np.asarray(t, dtype=float) - ev.t_onset)
            ok = np.isfinite(x_ms) & np.isfinite(y)
            if ok.any():
                xs, ys = x_ms[ok], np.asarray(y, dtype=float)[ok]
                for p in sorted((p for p in pops if p.thrust == ev.index), key=lambda p: p.t):
                    x = 1000.0 * (p.t - ev.t_onset)
                    if xs[0] <= x <= xs[-1]:
                        at.append((x, float(np.interp(x, xs, ys))))
        self.pops_at = at
        if not at:
            self.pop_ticks.hide()
            return
        vb = self.getPlotItem().getViewBox()
        (_, _), (y0, y1) = vb.viewRange()
        h = vb.height()
        placed = (tuple(at), y0, y1, h)
        if placed == self._ticks_placed and self.pop_ticks.isVisible():
            return                                     # (drawn so already: each frame asks again)
        self._ticks_placed = placed
        per_px = (y1 - y0) / h if h > 0 else 0.0     # (the plot's units a pixel up)
        lift = (POP_TICK_GAP_PX + POP_TICK_PX / 2) * per_px
        top = y1 - POP_TICK_PX / 2 * per_px            # (kept inside the plot over a curve at its top)
        self.pop_ticks.setData([x for x, _ in at], [min(v + lift, top) for _, v in at])
        self.pop_ticks.show()

    def _fit_force(self) -> None:
        """The force axis from 0 (or the lowest force shown) to the thrusts shown or the corridors,
        whichever reach higher, rounded up (a 1010 N side-posture thrust and a 120 N cervical one
        both fill the plot); 0-700 N before either."""
        top = CORRIDOR_ROOM * self._corridor_top
        bottom = 0.0
        if self._force_span is not None:
            low, high = self._force_span
            top = max(top, THRUST_ROOM * high)
            bottom = min(0.0, low * THRUST_ROOM)
        if top <= 0:
            rng = FORCE_N
        else:
            rng = (-nice_ceil(-bottom), nice_ceil(top))
        if rng != self._y_force:
            self._y_force = rng
            if not self.movement:
                self.setYRange(*rng, padding=0)


MOVEMENT_NOTE = ("Needs a worn IMU with the force sensor:\nforce against the hand's movement,\n"
                 "drawn from the first cycle with both")


class MovementPlot(GivesWay, pg.PlotWidget):
    """Maitland's movement diagram: force against displacement for the last few cycles. Until a
    cycle has both (a force sensor and a worn IMU) it says what it needs, in the plot."""

    def __init__(self) -> None:
        super().__init__(background="w")
        pi = self.getPlotItem()
        pi.setLabel("left", "force", units="N")
        pi.setLabel("bottom", "displacement", units="mm")
        in_newtons(self)
        pi.setMenuEnabled(False)
        pi.hideButtons()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.curves = [pi.plot(pen=pg.mkPen(TRACE, width=1)) for _ in range(3)]
        self.note = pg.TextItem(MOVEMENT_NOTE, color=TRACE, anchor=(0.5, 0.5))
        f = self.note.textItem.font()
        f.setPixelSize(15)
        self.note.setFont(f)
        pi.addItem(self.note, ignoreBounds=True)
        self._waiting(True)

    def say_off(self, why: str | None) -> None:
        """The note says the IMU's analysis is off and ``why`` (its units wrong: no loop is coming),
        or (None) what the diagram needs."""
        text = MOVEMENT_NOTE if not why else "IMU analysis off: no movement to draw\n" + textwrap.fill(why, 40)
        if self.note.textItem.toPlainText() != text:
            self.note.setText(text)

    def _waiting(self, on: bool) -> None:
        """The note in the middle of an empty plot (on), or the loops at their own scale."""
        self.waiting = on
        self.note.setVisible(on)
        for side in ("left", "bottom"):             # (no numbers on a scale with nothing on it)
            self.getPlotItem().getAxis(side).setStyle(showValues=not on)
        vb = self.getPlotItem().getViewBox()
        if on:
            vb.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0)
            self.note.setPos(0.5, 0.5)
        else:
            vb.enableAutoRange()

    def update_loops(self, cycles: list[CycleEvent]) -> int:
        loops = [c for c in cycles if c.loop][-len(self.curves):]
        for i, item in enumerate(self.curves):
            if i < len(loops):
                pts = np.asarray(loops[i].loop, dtype=float)
                alpha = 255 if i == len(loops) - 1 else 80
                item.setPen(pg.mkPen(rgba(grade_colour(loops[i].grade), alpha), width=1))
                item.setData(pts[:, 0], pts[:, 1])
            else:
                item.setData([], [])
        if bool(loops) == self.waiting:
            self._waiting(not loops)
        return len(loops)
