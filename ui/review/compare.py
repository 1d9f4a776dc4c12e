"""Compare two sessions side by side, and a trainee's progress across sessions."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import (QGridLayout, QLabel, QSizePolicy, QStyle, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ui.library import SCORE_HEADING, cycles_shown, describe_target, is_hvla, nfc, score_heading, session_stats
from ui.library.stats import all_cycles, dates_shown, score_shown
from ui.review.data import (DEFAULT_ALPHA, ReviewSession, count_cycles, describe_calibration, distinct_names,
                            screen_changes)
from ui.review.movement import COMPUTING, MovementWorker, movement_envelope, movement_marks, movement_span
from ui.review.target_runs import TargetAxis, joined, target_changes, target_runs
from ui.review.trace import (OFF_SCALE_COLOR, POP_COLOR, POP_OUTLINE_COLOR, event_marks, gap_region, minmax_envelope,
                             screen_region, screen_stretches)
from ui.time_axis import time_axis

OVERVIEW_BINS = 3000        # points across each plot (a min/max envelope of the whole recording)
WARNING_STYLE = "color: #a40;"      # as the Session tab shows a session's warnings

STAT_ROWS = [(SCORE_HEADING, "score_pct", "{:.0f}"), ("cycles", "n_cycles", "{:d}"),
             ("frequency CV (%)", "freq_cv_pct", "{:.1f}"), ("amplitude CV (%)", "amplitude_cv_pct", "{:.1f}"),
             ("thrusts", "n_thrusts", "{:d}"), ("thrust peak mean (N)", "peak_mean_n", "{:.1f}"),
             ("thrust peak SD (N)", "peak_sd_n", "{:.1f}"), ("time to peak mean (ms)", "ttp_mean_ms", "{:.1f}"),
             ("time to peak SD (ms)", "ttp_sd_ms", "{:.1f}")]


def _fmt(v, spec: str) -> str:
    return "–" if v is None else spec.format(v)


def _stat_headings(targets) -> list[str]:
    return [score_heading(targets)] + [r[0] for r in STAT_ROWS[1:]]


def review_stats(rs: ReviewSession) -> dict:
    s = rs.summary or {}
    from analysis.scheme import GradingScheme
    scheme = GradingScheme(s.get("r1_n"), s.get("r2_n"), alpha=s.get("alpha") or 0.5)
    return session_stats(rs.events, rs.meta.target, scheme, rs.meta.extra.get("target_detail"))


class CompareView(QWidget):
    """Two recordings' force traces side by side (same force scale) and their key numbers. A
    recording made with a hand-worn IMU alone shows the hand's movement (mm) instead, as the
    Session tab does, with its IMU cycles and thrusts marked on it; that movement is computed on
    a thread of its own (seconds for an hour) and drawn when ready, the rest shown meanwhile."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plots = [pg.PlotWidget(axisItems=time_axis()), pg.PlotWidget(axisItems=time_axis())]
        self.titles = [QLabel(), QLabel()]
        # under each title, how many warnings its session keeps (stopped early, samples lost, the
        # sound cut short: the Session tab's, the report's), their words on hover; hidden if none
        self.warnings = [QLabel(), QLabel()]
        self.plots[1].setYLink(self.plots[0])
        # titles in one row and plots in the next: a title wrapped on more lines than the other's
        # pushed its plot down and made it shorter, the two force scales side by side no longer level
        row = QGridLayout()
        for i, (t, p) in enumerate(zip(self.titles, self.plots)):
            # (wrapped: a long title, "no force recorded (IMU only); computing…", made its plot the wider)
            t.setWordWrap(True)
            t.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            row.addWidget(t, 0, i)
            w = self.warnings[i]
            w.setStyleSheet(WARNING_STYLE)
            w.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            w.hide()
            row.addWidget(w, 1, i)
            row.addWidget(p, 2, i)
            p.setLabel("bottom", "time", "s")
            p.setLabel("left", "force", "N")
            p.getAxis("left").enableAutoSIPrefix(False)       # newtons or mm, as in the tables
            row.setColumnStretch(i, 1)                        # the two plots as wide
        self.table = QTableWidget(len(STAT_ROWS), 2)
        self.table.setVerticalHeaderLabels([r[0] for r in STAT_ROWS])
        lay = QVBoxLayout(self)
        lay.addLayout(row, 3)
        lay.addWidget(self.table, 2)
        self.stats: list[dict] = []
        self.names: list[str] = []                # the two columns' whole names (their tooltips)
        self.sessions: list[ReviewSession] = []   # the two shown
        self.trainees: list[str | None] = []     # ... their trainees, as their titles name them
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._elide_headers())
        self.movement = MovementWorker()          # a worn IMU alone's movement, off the window's thread
        self.timer = QTimer(self)                 # ... taken when computed
        self.timer.setInterval(33)
        self.timer.timeout.connect(self._movement_done)

    def set_sessions(self, a: ReviewSession, b: ReviewSession, trainees: tuple[str, str] | None = None) -> None:
        """``a`` on the left, ``b`` on the right; ``trainees``: their trainees as the library
        spells them (:func:`ui.library.spellings`: "fatima " among "Fatima"'s sessions is
        "Fatima"), else as each was typed."""
        self.stats = []
        self.sessions = [a, b]
        self.trainees = list(trainees) if trainees is not None else [a.meta.trainee, b.meta.trainee]
        self.movement.forget()                            # (those shown before's)
        self.names = names = distinct_names([a.path, b.path])   # two folders named "s1" are told apart
        for i, rs in enumerate((a, b)):
            if rs.imu_only and rs.movement is None:
                self.movement.start(rs)
            self._draw(i)
            self._show_warnings(i)
            st = review_stats(rs)
            st["cycles_shown"] = count_cycles(rs.events, st["n_cycles"])    # ("16 (IMU)" with an IMU alone)
            self.stats.append(st)
        if self.movement.busy:
            self.timer.start()
        self._scales()
        self.table.setVerticalHeaderLabels(_stat_headings([a.meta.target, b.meta.target]))
        self.table.setHorizontalHeaderLabels(names)
        self._elide_headers()
        for r, (_, key, spec) in enumerate(STAT_ROWS):
            for c, st in enumerate(self.stats):
                text = (st["cycles_shown"] if key == "n_cycles" else
                        score_shown(st[key], self.sessions[c].meta.target, st["n_thrusts"], all_cycles(st))
                        if key == "score_pct" else _fmt(st.get(key), spec))
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _draw(self, i: int) -> None:
        """Side ``i``'s plot and title: the force, or with a worn IMU alone the hand's movement
        (once computed), its gaps shaded, its events marked and the stretches the trainer's screen
        graded with other settings hatched."""
        rs, p = self.sessions[i], self.plots[i]
        p.clear()
        # the whole recording in view again: a recording without force compared before fixed the
        # time range to its own length, and a longer one compared next was cut there
        p.enableAutoRange(axis="x")
        f = rs.inp.force
        imu_only = rs.imu_only
        p.setLabel("left", *(("hand movement", "mm") if imu_only else ("force", "N")))
        if imu_only and rs.movement is not None:
            # as the Session tab draws it, broken at the IMU's gaps
            p.plot(*movement_envelope(rs, OVERVIEW_BINS), pen=pg.mkPen((60, 60, 60), width=1))
        elif f is not None:
            y = rs.scale.drawn(f.values) if rs.scale is not None else f.values   # (a 1e30 N sample at the edge)
            # broken at a signal gap, which is shaded (no line of force across it)
            p.plot(*minmax_envelope(f.t_s, y, OVERVIEW_BINS, rs.force_gaps), pen=pg.mkPen((60, 60, 60), width=1))
            if rs.scale is not None and len(rs.scale.off):
                p.addItem(pg.ScatterPlotItem(
                    [{"pos": (float(f.t_s[k]), float(y[k])), "symbol": "t1" if f.values[k] > rs.scale.hi_n else "t"}
                     for k in rs.scale.off], size=12, pen=pg.mkPen("k", width=1), brush=pg.mkBrush(OFF_SCALE_COLOR)))
        for g0, g1 in rs.gaps:                  # (hatched, "no data" on each, as the trainer draws them)
            p.addItem(gap_region(g0, g1))
        # where the trainer's screen graded with other settings, hatched as in the Session tab
        changes = screen_changes(rs.raw_meta, rs.meta)
        for a, b, text in screen_stretches(changes, rs.inp.duration_s) if changes else ():
            p.addItem(screen_region(a, b, text))
        # (with an IMU alone, its cycles in the ungraded colour above the movement, its thrusts on
        # it, as the Session tab marks them: at 0 mm until the movement is in)
        marks = movement_marks(rs) if imu_only else event_marks(rs.events)
        for symbol, color, xs, ys in marks:
            p.plot(xs, ys, pen=None, symbol=symbol, symbolSize=6 if symbol == "o" else 10,
                   symbolBrush=color, symbolPen=None)
        # the pops heard, on the force at their moment, as the Session tab and the report mark them
        pops = rs.of_type("cavitation")
        if pops and not imu_only and f is not None and len(f.t_s):
            y_pop = np.interp([float(e["t"]) for e in pops], f.t_s, rs.scale.drawn(f.values) if rs.scale else f.values)
            tied = [e.get("thrust") is not None for e in pops]
            p.addItem(pg.ScatterPlotItem(
                [{"pos": (float(e["t"]), float(v)), "symbol": "star",
                  "brush": pg.mkBrush(*POP_COLOR) if t else pg.mkBrush(None),
                  "pen": pg.mkPen("k", width=1) if t else pg.mkPen(POP_OUTLINE_COLOR, width=2)}
                 for e, v, t in zip(pops, y_pop, tied)], size=12))
        # R1 and R2 the cycles were graded against, as the Session tab and the report draw them:
        # two trainees graded with other calibrations scored apart on like traces, with no sign why
        cal = calibration_of(rs)
        for name, v in zip(("R1", "R2"), cal[:2] if cal else ()):
            p.addItem(pg.InfiniteLine(v, angle=0, pen=pg.mkPen((0, 140, 0), width=1), label=name,
                                      labelOpts={"position": 0.01, "color": (0, 140, 0), "anchors": [(0, 0), (0, 0)]}))
        m = rs.meta
        alone = ""
        if f is None or not len(f.t_s):              # (an empty plot said nothing of why)
            alone = " — no force recorded" + (" (IMU only)" if rs.inp.imu is not None else
                                              " (sound only)" if rs.inp.audio_path is not None else "")
            if imu_only and rs.movement is None:
                alone += f"; {COMPUTING}"
            end = (rs.summary or {}).get("duration_s")
            if end:                                  # the whole recording, not a second around a mark
                p.setXRange(0.0, float(end), padding=0.02)
        graded = "" if cal is None else "; " + describe_calibration(
            cal[0], cal[1], None if cal[2] == DEFAULT_ALPHA else cal[2])
        # (the day; the time too where both are of one day, its seconds where of one minute)
        when = dates_shown([rs.meta.created for rs in self.sessions], day_alone=True)[i] or "date unknown"
        self.titles[i].setText(f"{self.names[i]} — {' '.join(nfc(self.trainees[i]).split()) or 'no trainee'}, {when}, "
                               f"{'target ' + describe_target(m.target, m.extra.get('target_detail')) if m.target else 'no target'}"
                               f"{graded}{alone}")

    def _show_warnings(self, i: int) -> None:
        """Side ``i``'s warnings (:attr:`ReviewSession.shown_warnings`, as the Session tab shows
        them) counted under its title, each on its own line in the tooltip."""
        ws, label = self.sessions[i].shown_warnings, self.warnings[i]
        label.setText(f"{len(ws)} warning{'' if len(ws) == 1 else 's'}" if ws else "")
        label.setToolTip("\n".join(f"warning: {w}" for w in ws))
        label.setVisible(bool(ws))

    def _movement_done(self) -> None:
        """Timer: a worn IMU alone's movement computed is drawn, with its marks, on its side."""
        for rs, movement in self.movement.done():
            rs.movement = movement
            for i, shown in enumerate(self.sessions):
                if shown is rs:
                    self._draw(i)
            self._scales()
        if not self.movement.busy:
            self.timer.stop()

    def close_view(self) -> None:
        """Stop drawing; a movement being computed is not waited for."""
        self.timer.stop()
        self.movement.close()

    def _elide_headers(self) -> None:
        """Each column's heading cut in the middle with "…" to its width, the whole name in its
        tooltip: the heading was clipped at both ends with no sign of it ("-o'brien-2026-10")."""
        header = self.table.horizontalHeader()
        fm = QFontMetrics(header.font())
        margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 2
        for c, name in enumerate(self.names):
            item = self.table.horizontalHeaderItem(c)
            if item is None:
                continue
            shown = fm.elidedText(name, Qt.TextElideMode.ElideMiddle, max(1, header.sectionSize(c) - margin))
            if item.text() != shown:
                item.setText(shown)
            item.setToolTip(name)

    def _scales(self) -> None:
        """Both plots on one scale that holds both recordings when they show the same (force, or
        the hand's movement; the right plot follows the left's range, which on its own fits the
        left recording only and cut a stronger right one); force beside movement, each its own."""
        same = self.sessions[0].imu_only == self.sessions[1].imu_only
        self.plots[1].setYLink(self.plots[0] if same else None)
        for side in ([[0, 1]] if same else [[0], [1]]):
            spans = [s for s in (_span(self.sessions[i]) for i in side) if s is not None]
            p = self.plots[side[0]]
            if spans:
                lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
                p.setYRange(lo, hi if hi > lo else lo + 1.0, padding=0.05)
            else:
                p.enableAutoRange(axis="y")


def calibration_of(rs: ReviewSession) -> tuple[float, float, float] | None:
    """``(r1_n, r2_n, alpha)`` the force's cycles of ``rs`` were graded with (a re-analysis's
    too), or None: none, or no force to grade (a worn IMU alone)."""
    s = rs.summary or {}
    if rs.imu_only or s.get("r1_n") is None or s.get("r2_n") is None:
        return None
    return float(s["r1_n"]), float(s["r2_n"]), float(s.get("alpha") or DEFAULT_ALPHA)


def _span(rs: ReviewSession) -> tuple[float, float] | None:
    """What a plot of ``rs`` spans: its force (not a sample far off the scale) and its marks; with
    a worn IMU alone its movement and the row of cycles above it (None while not computed)."""
    if rs.imu_only:
        return movement_span(rs)
    lo, hi = [], []
    if rs.scale is not None:                  # (not a sample far off the scale)
        lo.append(rs.scale.lo_n)
        hi.append(rs.scale.hi_n)
    marks = [e.get("crest_n") for e in rs.of_type("cycle")] + [e.get("peak_n") for e in rs.of_type("thrust")]
    marks = [float(m) for m in marks if m is not None]
    cal = calibration_of(rs)
    if cal and (rs.scale is not None or marks):         # (R1 and R2 in view, as in the Session tab)
        marks += list(cal[:2])
    if marks:
        lo.append(min(marks))
        hi.append(max(marks))
    return (min(lo), max(hi)) if lo else None


# what each line is called in its plot's key (the keys read "ttp mean ms", "freq cv pct")
SERIES_NAMES = {"on_target_pct": "on target", "thrust_score_pct": "V: % of thrusts on target",
                "freq_cv_pct": "frequency", "amplitude_cv_pct": "amplitude",
                "peak_mean_n": "mean", "peak_sd_n": "SD", "ttp_mean_ms": "mean", "ttp_sd_ms": "SD"}
# a V/HVLA session's score (no cycles: no % on target) is its own series, drawn as triangles
THRUST_SCORE = "thrust_score_pct"
_SYMBOLS = {THRUST_SCORE: "t1"}
PROGRESS_PLOTS = [("% on target", ["on_target_pct", THRUST_SCORE]),
                  ("consistency: CV (%)", ["freq_cv_pct", "amplitude_cv_pct"]),
                  ("thrust peak (N)", ["peak_mean_n", "peak_sd_n"]), ("time to peak (ms)", ["ttp_mean_ms", "ttp_sd_ms"])]
_COLORS = [(40, 100, 200), (220, 120, 30)]
DATE_GAP_PX = 12             # at least this much room between two dates under a Progress plot


class ProgressView(QWidget):
    """One trainee across sessions (library rows, oldest first): score, consistency, thrusts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.glw = pg.GraphicsLayoutWidget()
        self.table = QTableWidget(0, 0)
        self.table.setWordWrap(False)               # a date on one line
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.glw, 3)
        lay.addWidget(self.table, 2)
        self.rows: list[dict] = []
        self.trainee: str | None = None           # whose progress is shown
        self.series: dict[str, list] = {}
        self.dates: list[str] = []                # under the plots, one a session

    def set_rows(self, trainee: str, rows: list[dict], note: str = "") -> None:
        """``rows`` (library rows, oldest first) as ``trainee``'s progress; ``note`` follows the
        title (copies of a recording counted once)."""
        self.trainee, self.rows = trainee, rows
        self.title.setText(f"progress of {trainee or 'sessions without a trainee'}: {len(rows)} "
                           f"session{'' if len(rows) == 1 else 's'}{f' ({note})' if note else ''}")
        self.glw.clear()
        x = list(range(1, len(rows) + 1))
        # the day, with the time where two sessions share a day (both read "2026-12-02" alike),
        # and its seconds where two share a minute ("–": none recorded)
        self.dates = [d or "–" for d in dates_shown([r["created"] for r in rows], day_alone=True)]
        whens = [d or "–" for d in dates_shown([r["created"] for r in rows])]     # (the table's)
        self.series = {}
        # each run of sessions of one target named under the dates, and its lines broken where
        # the target changes: week 4's new, harder target read as a fall back on week 3's
        runs = target_runs([r.get("target") for r in rows])
        for k, (title, keys) in enumerate(PROGRESS_PLOTS):
            p = self.glw.addPlot(row=k // 2, col=k % 2, title=title, axisItems={"bottom": TargetAxis("bottom")})
            # the key in a row of its own above the plot (over the data it hid the first point)
            # (in the place of the top axis, which is not shown)
            p.layout.removeItem(p.getAxis("top"))
            p.legend = pg.LegendItem(offset=None, colCount=len(keys))
            p.legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            p.layout.addItem(p.legend, 1, 1)
            p.layout.setAlignment(p.legend, Qt.AlignmentFlag.AlignLeft)
            p.vb.sigResized.connect(lambda vb, p=p: self._fit_dates(p))
            self._fit_dates(p)
            if "on_target_pct" in keys:              # the whole scale: 100 % every time is not 99.6-100.4
                p.setYRange(0.0, 100.0)
            shown, sessions = [], set()
            for key, color in zip(keys, _COLORS):
                ys = [(r.get("score_pct") if is_hvla(r.get("target")) else None) if key == THRUST_SCORE
                      else r.get(key) for r in rows]
                self.series[key] = ys
                pts = [(xi, y) for xi, y in zip(x, ys) if y is not None]
                shown += [b for _, b in pts]
                sessions.update(a for a, _ in pts)
                if pts:
                    p.plot([a for a, _ in pts], [b for _, b in pts], pen=pg.mkPen(color, width=1),
                           connect=joined([a for a, _ in pts], runs),
                           symbol=_SYMBOLS.get(key, "o"), symbolBrush=color, name=SERIES_NAMES[key])
            p.getAxis("bottom").set_runs(runs)
            target_changes(p, runs)
            if not shown:                             # (an empty frame said nothing of why)
                p.setTitle(f"{title}: none in these sessions")
            if "on_target_pct" not in keys and shown and (min(shown) == max(shown) or len(sessions) == 1):
                # one value (a single thrust session): from 0, not 401.6-402.4 N around it, as if
                # it were measured to a tenth of a newton; so too the values of one session (its
                # CVs of 14.5 and 14.6 % spanned 14.52-14.62, looking far apart)
                p.setYRange(0.0, max(1.2 * max(shown), 1.0))
        cols = ["date", "technique", "target"] + _stat_headings([r["target"] for r in rows])
        self.table.setColumnCount(len(cols))
        self.table.setHorizontalHeaderLabels(cols)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            # (cycles as the report's overview counts them: a hand-worn IMU alone's "16 (IMU)", not 0)
            vals = [whens[i], r["technique"], r["target"] or "–"] + [
                cycles_shown(r.get(key), r.get("n_imu_cycles")) if key == "n_cycles" else
                score_shown(r.get(key), r.get("target"), r.get("n_thrusts"), all_cycles(r)) if key == "score_pct" else
                _fmt(r.get(key), spec)
                for _, key, spec in STAT_ROWS]
            for j, v in enumerate(vals):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()        # whole headings ("score (% on target)"), not cut

    def _fit_dates(self, p: pg.PlotItem) -> None:
        """A tick under every session and as many dates as fit at the plot's width, spread evenly
        from the first session's to the last one's, at least DATE_GAP_PX apart (30 dates all
        labelled ran into one smear; a few chosen regardless of the width touched, and the first
        and last ran past the plot's edges and were dropped). The x range leaves room for half a
        date beyond the first and last sessions. Called again whenever the plot is resized."""
        n, width = len(self.dates), p.vb.width()
        axis = p.getAxis("bottom")
        if not n or width <= 0:
            p.setXRange(0.5, max(n, 1) + 0.5, padding=0)
            axis.setTicks([[(i + 1, d) for i, d in enumerate(self.dates)]])
            return
        fm = QFontMetricsF(axis.style["tickFont"] or axis.font())
        label = max(fm.horizontalAdvance(d) for d in self.dates) + DATE_GAP_PX
        half = label / 2
        # sessions 1..n in a range [1 - a, n + a]: half a step either side, more when half a date
        # would not fit there (a date running past the edge is not drawn)
        a = 0.5 if width <= 2 * half else max(0.5, half * (n - 1) / (width - 2 * half))
        p.setXRange(1 - a, n + a, padding=0)
        step = math.ceil(label * (n - 1 + 2 * a) / width)       # sessions per date label
        k = (n - 1) // step + 1                                   # how many dates fit
        labelled = {1 + j * (n - 1) // (k - 1) for j in range(k)} if k > 1 else {1}
        dates = list(enumerate(self.dates, 1))
        axis.setTicks([[(i, d) for i, d in dates if i in labelled], [(i, "") for i, d in dates if i not in labelled]])
