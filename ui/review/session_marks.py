"""What the Session tab draws over the traces of the session shown: its cycles, thrusts and pops
marked (and, with a worn IMU alone, each thrust's movement as measured), the signal gaps, the
sound that hides pops, the stretches the trainer's screen graded with other settings, the
stretch a file cut short no longer holds, and the comments.

:class:`SessionMarks` is a mix-in of :class:`~ui.review.session_view.SessionView`, whose layout
(:mod:`ui.review.session_layout`) makes the plots and items it sets (``overview``, ``detail``,
``audio_plot``, ``cycle_marks``, ``thrust_marks``, ``pop_marks``, ...).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ui.review.data import cut_stretch_words
from ui.review.movement import marks_on_movement, thrust_overlays
from ui.review.trace import (COMMENT_LABEL_FILL, COMMENT_LEVELS, COMMENT_STEP, LOUD_TIP, comment_label, gap_region,
                             grade_color, loud_curve, screen_region)

# a stretch of the recording its force.csv (or imu.csv) no longer holds, cut short after it: a grey
# hatching under a line at the file's end (RGB), and the list's rows of the stored events in it
CUT_COLOR = (90, 90, 90)
CUT_LABEL_FILL = (255, 255, 255, 200)
NOT_HELD_COLOR = (140, 140, 140)


class SessionMarks:
    """The items drawn over the plots of :class:`~ui.review.session_view.SessionView` (a mix-in)."""

    def _place_marks(self) -> None:
        """Thrusts and pops on the trace drawn (the force, or the hand's movement), and every
        cycle crest and thrust peak in the overview."""
        rs = self.rs
        cyc, thr = self._cycles(), rs.of_type("thrust")
        imu_only = rs.imu_only
        pops, f = rs.of_type("cavitation"), rs.inp.force
        # with no force, the IMU's cycles are a row of dots in the ungraded colour (the trainer's
        # for them) along the top of the hand's movement, its thrusts and pops on it
        on_mm = marks_on_movement(rs, cyc, thr, pops) if imu_only else None
        cyc_t = np.array([e["t_crest"] for e in cyc], dtype=np.float64)
        cyc_y = on_mm[0] if imu_only else np.array([e["crest_n"] for e in cyc], dtype=np.float64)
        # (arrays and one brush per grade: an hour holds thousands of cycles, a dict and a brush
        # each took a quarter of a second on the window's thread)
        brushes = {g: pg.mkBrush(grade_color(g)) for g in {e.get("grade") for e in cyc} | {"V"}}
        cyc_b = [brushes[e.get("grade")] for e in cyc]
        self.cycle_marks.setData(x=cyc_t, y=cyc_y, data=cyc, brush=cyc_b)
        # (an IMU-only thrust has no force: marked at the hand's movement at its peak)
        thr_y = [e.get("peak_n") or 0.0 for e in thr] if not imu_only else on_mm[1]
        self.thrust_marks.setData([{"pos": (e["t_peak"], float(y)), "data": e,
                                    "brush": pg.mkBrush(grade_color("V"))} for e, y in zip(thr, thr_y)])
        self._draw_thrust_curves()
        # (on the trace as drawn: a pop beside a 1e30 N sample is not put up there)
        on_trace = on_mm[2] if imu_only else \
            np.interp([p["t"] for p in pops], f.t_s, rs.scale.drawn(f.values)) \
            if f is not None and len(f.t_s) and pops else np.zeros(len(pops))
        # a pop outside any thrust (mobilisation, knuckles, a sound taken for a pop) is only outlined
        self.pop_marks.setData([{"pos": (p["t"], float(v)), "data": p,
                                 "brush": self._pop_brush if p.get("thrust") is not None else self._no_brush,
                                 "pen": self._pop_pen if p.get("thrust") is not None else self._outline_pen}
                                for p, v in zip(pops, on_trace)])
        self.over_marks.setData(x=np.concatenate([cyc_t, [e["t_peak"] for e in thr]]),
                                y=np.concatenate([cyc_y, np.asarray(thr_y, dtype=np.float64)]),
                                brush=cyc_b + [brushes["V"]] * len(thr))

    def _draw_thrust_curves(self) -> None:
        """Draw, with a worn IMU alone, each thrust's movement as measured over the movement
        (:func:`thrust_overlays`), a dot on it at the thrust's peak; nothing with force or until
        it is computed."""
        overlays = thrust_overlays(self.rs)
        if not overlays:
            self.thrust_curves.setData([], [])
            self.thrust_curve_peaks.setData([], [])
            return
        nan = np.array([np.nan])
        self.thrust_curves.setData(np.concatenate([a for _, t, _ in overlays for a in (t, nan)]),
                                   np.concatenate([a for _, _, d in overlays for a in (d, nan)]))
        self.thrust_curve_peaks.setData([float(e["t_peak"]) for e, _, _ in overlays],
                                        [float(np.interp(e["t_peak"], t, d)) for e, t, d in overlays])

    def _show_gaps(self, spans) -> None:
        """Hatch the signal gaps (``(k, 2)`` spans) in the overview and the detail plot, "no data"
        on each, as the trainer draws them."""
        for plot, r in self.gap_items:
            plot.removeItem(r)
        self.gap_items = []
        for a, b in spans:
            for plot in (self.overview, self.detail):
                r = gap_region(a, b)
                plot.addItem(r)
                self.gap_items.append((plot, r))

    def _show_loud(self, spans) -> None:
        """Tint on the sound plot the stretches of sound that hides pops (``(start, end)`` s,
        :func:`loud_spans_of`): a thrust whose peak lies in one says "no pop heard (loud sound)"
        or "at least …", and this shows where and how long. A line under the plot, and the
        plot's tooltip, say what the grey is."""
        if self.loud_item is not None:
            self.audio_plot.removeItem(self.loud_item)
            self.loud_item = None
        if spans:
            self.loud_item = loud_curve(spans)
            self.audio_plot.addItem(self.loud_item, ignoreBounds=True)
        self.loud_label.setVisible(bool(spans))
        self.audio_plot.setToolTip(LOUD_TIP if spans else "")

    def _show_screen_changes(self, stretches) -> None:
        """Mark the stretches (``(t_start, t_end, label)``, :func:`screen_stretches`) during which
        the trainer's screen graded with other settings than the recording's own: hatched in the
        overview and the detail plot, the detail plot's with the settings in words at its start
        (and as its tooltip, for a stretch begun left of the part in view)."""
        for plot, r in self.screen_items:
            plot.removeItem(r)
        self.screen_items = []
        for a, b, text in stretches:
            for plot in (self.overview, self.detail):
                r = screen_region(a, b, text if plot is self.detail else None)
                plot.addItem(r)
                self.screen_items.append((plot, r))

    def _show_cut_short(self) -> None:
        """Mark in the overview and the detail plot the stretch of the recording each of its
        files cut short after it (:func:`ui.review.cut_files.cut_streams`) no longer holds: hatched
        grey from the file's end to the recording's, a line at the file's end, the detail plot's
        labelled "force.csv ends here"."""
        for plot, item in self.cut_items:
            plot.removeItem(item)
        self.cut_items = []
        for c in self._cuts:
            for plot in (self.overview, self.detail):
                r = pg.LinearRegionItem((c.end_s, c.recorded_s), movable=False, pen=pg.mkPen(None),
                                        brush=QBrush(QColor(*CUT_COLOR, 90), Qt.BrushStyle.Dense6Pattern))
                r.setZValue(-12)                     # under the trace and the marks
                r.setToolTip(cut_stretch_words(c))
                ln = pg.InfiniteLine(c.end_s, angle=90, pen=pg.mkPen(CUT_COLOR, width=2, style=Qt.PenStyle.DashLine),
                                     label=f"{c.file} ends here" if plot is self.detail else None,
                                     labelOpts={"position": 0.5, "color": CUT_COLOR, "fill": CUT_LABEL_FILL,
                                                "anchors": [(0, 0.5), (0, 0.5)]})
                ln.setToolTip(cut_stretch_words(c))
                for item in (r, ln):
                    plot.addItem(item)
                    self.cut_items.append((plot, item))

    def _show_comments(self) -> None:
        for ln in self.comment_lines:            # (from the plot's own list too, not its view alone)
            for plot in (self.overview, self.detail):
                if ln in plot.getPlotItem().items:
                    plot.removeItem(ln)
        self.comment_lines = []
        # comments close in time had their labels written over each other: each a step lower than
        # the one before it, in time order, back to the top after COMMENT_LEVELS
        rank = {id(c): k for k, c in enumerate(sorted(self.rs.comments, key=lambda c: float(c["t_s"])))}
        for c in self.rs.comments:
            text = c.get("text", "")
            whole = f"{float(c['t_s']):.2f} s" + (f", {c['author']}" if c.get("author") else "") + f": {text}"
            for plot in (self.overview, self.detail):
                ln = pg.InfiniteLine(float(c["t_s"]), angle=90, pen=pg.mkPen((30, 90, 200), width=1),
                                     label=comment_label(text) if plot is self.detail else None,
                                     labelOpts={"position": 0.95 - COMMENT_STEP * (rank[id(c)] % COMMENT_LEVELS),
                                                "color": (30, 90, 200), "fill": COMMENT_LABEL_FILL})
                ln.setToolTip(whole)             # (the label is cut: the whole comment on hovering)
                plot.addItem(ln)
                self.comment_lines.append(ln)
