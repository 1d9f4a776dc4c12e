"""The session tab of the review window: whole recording, timeline of events, playback,
event details, re-analysis and comments.

Drawing stays cheap for an hour-long recording: the overview shows a min/max envelope of a
few thousand points; the detail plot holds the full-rate force but draws only what is in
view (pyqtgraph ``clipToView`` + peak downsampling, x as float64); the audio track shows a
min/max envelope computed in a background thread, and full-rate samples only when zoomed in
to a few seconds.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSlider, QSplitter, QStyle, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from analysis.errors import InputError
from ui.review.data import (ReviewSession, add_comment, analyse_events, apply_reanalysis, check_calibration,
                            cut_stretch_words, cut_streams, describe, describe_session, not_in_file, not_in_file_row,
                            not_in_file_tip, not_in_file_words, save_analysis, screen_changes, screen_then,
                            thrust_target)
from ui.review.movement import (COMPUTING, Movement, MovementWorker, marks_on_movement, movement_envelope,
                                movement_trace, thrust_overlays)
from ui.review.player import SPEEDS, AudioOut, Playhead
from ui.review.trace import (COMMENT_LABEL_FILL, COMMENT_LEVELS, COMMENT_STEP, OFF_SCALE_COLOR,
                             POP_COLOR, POP_OUTLINE_COLOR, audio_envelope, comment_label, grade_color, minmax_envelope,
                             LOUD_TIP, LOUD_WORDS, gap_region, loud_curve, loud_spans_of, read_audio_window,
                             screen_region, screen_stretches, with_gaps)
from ui.table import describe_letup, in_grade_order
from ui.trainer.target import MISS_SEP, thrust_misses
from ui.time_axis import time_axis

OVERVIEW_BINS = 3000
DETAIL_WINDOW_S = 20.0
# a pop's or a thrust's rows, or the session's (with two screen changes and its feedback schedule), all in view
DETAILS_MAX_ROWS = 17
RAW_AUDIO_MAX_S = 8.0      # zoomed in closer than this, the audio track shows every sample
# the event list's last column: an event's force, or, with no force recorded (a hand-worn IMU
# alone), how far the hand moved in a thrust, as its details' "hand moved" row gives it
EVENT_COLUMNS = ["time (s)", "event", "grade", "force (N)"]
MOVED_HEADING = "hand moved (mm)"
# a stretch of the recording its force.csv (or imu.csv) no longer holds, cut short after it: a grey
# hatching under a line at the file's end (RGB), and the list's rows of the stored events in it
CUT_COLOR = (90, 90, 90)
CUT_LABEL_FILL = (255, 255, 255, 200)
NOT_HELD_COLOR = (140, 140, 140)
# more warnings than this (a long recording's dropouts, say) are folded to the first few and a
# button that shows them all: the plots stay in view
WARNINGS_FOLDED = 3


# where the grades shown come from, after them ("grades: III: 5  (from the stored events)")
GRADES_FROM = {"stored": "from the stored events", "analysis": "analysed again from the raw data",
               "re-analysis": "re-analysed"}


BEYOND_R2 = "beyond R2"     # after the grade of a cycle whose crest went beyond R2, in the event list


def _label(e: dict, aim=None) -> str:
    """The grade column's text: a cycle's grade; a thrust's "V", and a flagged let-up worded as
    its details word it ("V, let-up 29.0 N flagged"; it read "V let-up", like a grade's name).
    Against a V/HVLA target (``aim``, :func:`ui.review.data.thrust_target`) a thrust says its
    verdict as its details do ("V, on target"; "V, off: peak 702 N above 400–650 N"; an IMU's
    thrust, whose forces were not measured, "V" alone)."""
    if e["type"] == "cycle":
        # (a crest beyond R2 flagged beside its grade, as the trainer's red "beyond R2!": "III++"
        # alone read as any cycle near R2)
        return ((e.get("grade") or "ungraded") + (e.get("modifier") or "")
                + (f" {BEYOND_R2}" if e.get("grade") is not None and e.get("beyond_r2") else ""))
    if e["type"] == "thrust":
        misses = thrust_misses(e, aim) if aim is not None else None
        if misses is not None:
            return "V, " + ("off: " + MISS_SEP.join(misses) if misses else "on target")
        return "V" + (f", let-up {describe_letup(e.get('letup_n'), True, unit=' N')}" if e.get("letup") else "")
    if e["type"] == "imu_cycle":
        return "–"                  # (movement, no force: no grade; its details say why)
    return ""


def no_force_words(rs: ReviewSession) -> str:
    """What the Session tab says of a recording with neither force nor a worn IMU's data, as the
    report words it ("No force was recorded (sound only)."), and where its pops are marked."""
    pops = rs.of_type("cavitation")
    return ("No force was recorded" + (" (sound only)" if rs.inp.audio_path is not None else "") + "."
            + (" The pops heard are marked at 0 N." if pops else ""))


def _kind(e: dict) -> str:
    """The event list's name of an event's kind: "cycle", "thrust", "pop"."""
    return {"cavitation": "pop", "imu_cycle": "cycle"}.get(e["type"], e["type"])


def event_time(e: dict) -> float:
    return float(e.get("t_crest", e.get("t_peak", e.get("t", e.get("t_start", 0.0)))))


class SessionView(QWidget):
    """Shows one :class:`ReviewSession`. ``clock`` paces playback (injectable for tests)."""

    positionChanged = Signal(float)
    eventSelected = Signal(object)
    analysisSaved = Signal(object)          # the session's folder (Path), once its re-analysis is written
    # what the status bar should say of the event selected: that a file cut short no longer holds
    # it ("" takes that back once another event is selected)
    notice = Signal(str)

    def __init__(self, clock=time.monotonic, parent=None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.rs: ReviewSession | None = None
        self.playhead = Playhead(0.0, clock)
        self.audio: AudioOut | None = None
        self.selected: dict | None = None
        # a session folder's date as the library's table beside it gives it (None: not listed there)
        self.listed_date: Callable[[Path], str | None] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._audio_job: Future | None = None
        self._reanalysis: tuple[Future, ReviewSession, tuple] | None = None
        # the hand's movement of a session with a worn IMU alone, computed from its whole
        # recording (seconds for an hour) while the session is already shown; its own thread, so
        # a closed window does not wait for it
        self.movement = MovementWorker()
        self._audio_env = None
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(33)
        self.timer.timeout.connect(self.tick)

    # --- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #a40;")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.more_warnings = QPushButton()
        self.more_warnings.setFlat(True)
        self.more_warnings.setStyleSheet("color: #a40; text-align: left;")
        self.more_warnings.clicked.connect(self._toggle_warnings)
        self.more_warnings.hide()
        self._warnings_open = False
        self.overview = pg.PlotWidget(axisItems=time_axis())
        self.overview.setMaximumHeight(140)
        self.overview.setMouseEnabled(x=False, y=False)
        self.overview.hideButtons()
        self.detail = pg.PlotWidget(axisItems=time_axis())
        self.detail.setLabel("left", "force", "N")
        self.detail.getAxis("left").enableAutoSIPrefix(False)   # newtons, as in the tables (not "mN", "kN")
        # (its numbers' unit, as the report's and the Compare tab's plots say it)
        self.detail.setLabel("bottom", "time", "s")
        self.detail.setClipToView(True)
        self.detail.setDownsampling(auto=True, mode="peak")
        self.audio_plot = pg.PlotWidget(axisItems=time_axis())
        self.audio_plot.setMaximumHeight(120)
        self.audio_plot.setXLink(self.detail)
        self.audio_plot.setMouseEnabled(x=True, y=False)
        self.audio_plot.setDownsampling(auto=True, mode="peak")
        self.audio_plot.setClipToView(True)
        self.over_curve = self.overview.plot(pen=pg.mkPen((90, 90, 90), width=1))
        self.over_marks = pg.ScatterPlotItem(size=5, pen=None)
        self.overview.addItem(self.over_marks)
        self.region = pg.LinearRegionItem(movable=True, brush=(80, 120, 220, 40))
        self.overview.addItem(self.region)
        self.region.sigRegionChanged.connect(self._region_moved)
        self.curve = self.detail.plot(pen=pg.mkPen((50, 50, 50), width=1))
        # with a worn IMU alone, the hand's movement around each thrust as its "hand moved" figure
        # is measured, in the thrusts' colour over the band-limited trace (which rises under half
        # that figure from a thrust's onset to its peak): one item, the thrusts' curves apart
        self.thrust_curves = self.detail.plot(pen=pg.mkPen(grade_color("V"), width=2), connect="finite")
        # a dot on each at its thrust's time to peak: the curve rises from the onset to it by the figure
        self.thrust_curve_peaks = pg.ScatterPlotItem(size=8, pen=None, brush=pg.mkBrush(grade_color("V")))
        self.detail.addItem(self.thrust_curve_peaks)
        self.cycle_marks = pg.ScatterPlotItem(size=10, pen=pg.mkPen("k", width=1), hoverable=True)
        self.thrust_marks = pg.ScatterPlotItem(size=14, symbol="t", pen=pg.mkPen("k", width=1))
        # pops sit on the force trace at their moment, so where they fall in a thrust is seen
        self._pop_brush, self._no_brush = pg.mkBrush(*POP_COLOR), pg.mkBrush(None)
        self._pop_pen, self._outline_pen = pg.mkPen("k", width=1), pg.mkPen(POP_OUTLINE_COLOR, width=2)
        self.pop_marks = pg.ScatterPlotItem(size=12, symbol="star", pen=pg.mkPen("k", width=1),
                                            brush=self._pop_brush)
        for m in (self.cycle_marks, self.thrust_marks, self.pop_marks):
            self.detail.addItem(m)
            m.sigClicked.connect(self._mark_clicked)
        # force samples off the scale (a bus error's 1e30 N), drawn at the plot's edge: a triangle
        # pointing the way they went
        self.off_marks = pg.ScatterPlotItem(size=16, pen=pg.mkPen("k", width=1), brush=pg.mkBrush(OFF_SCALE_COLOR))
        self.over_off_marks = pg.ScatterPlotItem(size=12, pen=pg.mkPen("k", width=1), brush=pg.mkBrush(OFF_SCALE_COLOR))
        self.detail.addItem(self.off_marks)
        self.overview.addItem(self.over_off_marks)
        self.r_lines = [pg.InfiniteLine(angle=0, pen=pg.mkPen((0, 140, 0), width=1), label=name,
                                        labelOpts={"position": 0.01, "color": (0, 140, 0), "anchors": [(0, 0), (0, 0)]})
                        for name in ("R1", "R2")]
        for ln in self.r_lines:
            self.detail.addItem(ln)
        self.audio_curve = self.audio_plot.plot(pen=pg.mkPen((60, 90, 160), width=1), connect="finite")
        self.heads = []
        for plot in (self.overview, self.detail, self.audio_plot):
            ln = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen((220, 0, 0), width=1))
            ln.sigDragged.connect(lambda line: self.seek(line.value()))
            plot.addItem(ln)
            self.heads.append(ln)
        self.comment_lines: list = []
        self.gap_items: list = []           # the signal gaps shaded, in the overview and the detail plot
        # the stretches the trainer's screen graded with other settings, in the overview and the
        # detail plot: (plot, region)
        self.screen_items: list = []
        self.loud_item = None               # the stretches of sound that hides pops, on the sound plot
        # the stretch the session's files no longer hold (cut short after the recording), in the
        # overview and the detail plot: (plot, item)
        self.cut_items: list = []
        self._cuts: list = []
        self._said_not_held = False         # whether the event selected is one a file no longer holds
        self.detail.sigXRangeChanged.connect(self._detail_range_changed)

        self.play_btn = QPushButton("Play")
        self.play_btn.clicked.connect(self.toggle_play)
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(lambda i: self.set_speed(self.speed.itemData(i)))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 10000)
        self.slider.valueChanged.connect(self._slider_moved)
        self.pos_label = QLabel("0.00 s")
        self.audio_label = QLabel()
        self.loud_label = QLabel(LOUD_WORDS)
        self.loud_label.setStyleSheet("color: rgb(90, 90, 90)")
        self.loud_label.hide()
        # the slider on a row of its own, the plots' width: beside the buttons, in a narrow window
        # (800×480), it was squeezed to its handle
        transport = QHBoxLayout()
        for w in (self.play_btn, self.speed, self.pos_label):
            transport.addWidget(w)
        transport.addStretch(1)
        self.audio_label.setWordWrap(True)

        self.details = QTableWidget(0, 2)
        self.details.setHorizontalHeaderLabels(["", "value"])
        self.details.horizontalHeader().setStretchLastSection(True)
        self.details.verticalHeader().hide()
        # rows one line high, and the panel as tall as its rows (see _fill_details)
        row_px = self.details.fontMetrics().height() + 6
        self.details.verticalHeader().setDefaultSectionSize(row_px)
        self.events_table = QTableWidget(0, 4)
        self.events_table.verticalHeader().setDefaultSectionSize(row_px)
        self.events_table.setHorizontalHeaderLabels(EVENT_COLUMNS)
        self.events_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.events_table.verticalHeader().hide()
        # the four columns share the panel's width: no sideways scrolling to see an event's force
        # (each as wide as its figures, the grade taking the rest: a flagged let-up's words whole)
        self.events_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.events_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.events_table.cellClicked.connect(lambda r, c: self._row_clicked(r))
        self._listed: list[dict] = []

        # R1, R2 and α on one row, the buttons on the next, and the comment's author beside its
        # button: a row each held the window taller than an 800×480 screen
        cal = self.cal = QGroupBox("Re-analyse")
        form = QGridLayout(cal)
        self.r1 = QDoubleSpinBox(maximum=5000.0, decimals=1, suffix=" N")
        self.r2 = QDoubleSpinBox(maximum=5000.0, decimals=1, suffix=" N")
        self.alpha = QDoubleSpinBox(minimum=0.05, maximum=0.95, singleStep=0.05, decimals=2)
        for j, (name, box) in enumerate((("R1", self.r1), ("R2", self.r2), ("α", self.alpha))):
            form.addWidget(QLabel(name), 0, 2 * j)
            form.addWidget(box, 0, 2 * j + 1)
            form.setColumnStretch(2 * j + 1, 1)
        self.reanalyse_btn = QPushButton("Re-analyse")
        self.reanalyse_btn.clicked.connect(self.reanalyse)
        self.save_btn = QPushButton("Save analysis")
        self.save_btn.clicked.connect(self.save)
        self.save_btn.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reanalyse_btn)
        buttons.addWidget(self.save_btn)
        form.addLayout(buttons, 1, 0, 1, 6)
        # below the group, not in its form: a wrapped label in a form row is given one line's height
        self.grades = QLabel()
        self.grades.setWordWrap(True)

        com = QGroupBox("Comment at the playhead")
        cl = QGridLayout(com)
        self.comment_text = QLineEdit()
        self.comment_author = QLineEdit()
        self.comment_btn = QPushButton("Add comment")
        self.comment_btn.clicked.connect(self.add_comment)
        for field in (self.comment_text, self.comment_author):   # Enter adds it, as the button does
            field.returnPressed.connect(self.add_comment)
        cl.addWidget(QLabel("text"), 0, 0)
        cl.addWidget(self.comment_text, 0, 1, 1, 2)
        cl.addWidget(QLabel("by"), 1, 0)
        cl.addWidget(self.comment_author, 1, 1)
        cl.addWidget(self.comment_btn, 1, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)

        side = QWidget()
        # a calibration or a date on one line; the event list's columns beside its scroll bar
        side.setMinimumWidth(max(320, self._events_width()))
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        for w, stretch in ((self.details, 3), (self.events_table, 2), (cal, 0), (self.grades, 0), (com, 0),
                           (self.status, 0)):
            sl.addWidget(w, stretch)
        plots = QWidget()
        pl = QVBoxLayout(plots)
        pl.setContentsMargins(0, 0, 0, 0)
        # no force, no IMU (a recording of sound alone): said above its empty plots, as the report
        # and the Compare tab say it (a force axis around 0 N said nothing of why)
        self.no_force = QLabel()
        self.no_force.setWordWrap(True)
        self.no_force.hide()
        for w in (self.warning, self.no_force, self.overview, self.detail, self.audio_plot):
            pl.addWidget(w)
            if w is self.warning:
                pl.addWidget(self.more_warnings, 0, Qt.AlignmentFlag.AlignLeft)
        pl.addWidget(self.slider)
        pl.addLayout(transport)
        pl.addWidget(self.audio_label)
        pl.addWidget(self.loud_label)
        split = QSplitter()
        split.addWidget(plots)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        # no session yet: nothing to play, re-analyse or comment on (they raised AttributeErrors;
        # Play turned to Pause), no R1/R2 drawn at 0 N, and a hint where to start
        self.alpha.setValue(0.5)
        for ln in self.r_lines:
            ln.hide()
        self._session_controls(False)
        self.status.setText("Double-click a session in the library to open it.")

    def _events_width(self) -> int:
        """The width (px) the event list takes with its columns at their widest (a time of
        thousands of seconds, a flagged thrust's grade) and its scroll bar shown."""
        t, st = self.events_table, self.events_table.style()
        pad = 2 * (st.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, t) + 1) + int(t.showGrid())
        widest = ("8888.88", "thrust", _label({"type": "thrust", "letup": True, "letup_n": 88.8}), "8888.8")
        head, fm = t.horizontalHeader(), t.fontMetrics()
        hfm = head.fontMetrics()
        # the last heading at its widest: with no force recorded, the hand's movement's
        hints = [head.sectionSizeHint(j) for j in range(4)]
        hints[3] += max(0, hfm.horizontalAdvance(MOVED_HEADING) - hfm.horizontalAdvance(EVENT_COLUMNS[3]))
        cols = sum(max(h, fm.horizontalAdvance(w) + pad) for h, w in zip(hints, widest))
        return cols + st.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, t) + 2 * t.frameWidth()

    def _session_controls(self, on: bool) -> None:
        for w in (self.play_btn, self.speed, self.slider, self.r1, self.r2, self.alpha, self.reanalyse_btn,
                  self.comment_text, self.comment_author, self.comment_btn):
            w.setEnabled(on)

    # --- loading ------------------------------------------------------------------------------
    def set_session(self, rs: ReviewSession) -> None:
        self.stop()
        self._forget_reanalysis()
        self.status.clear()                 # what was said about the session shown before
        self._session_controls(True)
        self.rs = rs
        self._cuts = cut_streams(rs)
        self._said_not_held = False
        f = rs.inp.force
        # from the first sample of any stream: a recording whose clock starts at 1234.5 s opened
        # on 20 s of nothing, its data squeezed into the last pixels of the overview
        starts = [float(sd.t_s[0]) for sd in (f, rs.inp.imu) if sd is not None and len(sd.t_s)]
        if rs.inp.audio_path is not None:
            starts.append(float(rs.inp.audio_t0_s))
        t0 = min(starts, default=0.0)
        dur = rs.inp.duration_s          # to the end of the longest stream: sound may outlive torn force data
        # a file cut short after the recording: to where the recording ended, the stretch the file
        # no longer holds marked (its stored events there are listed: selected, they are shown there)
        dur = max([dur] + [c.recorded_s for c in self._cuts])
        self.playhead = Playhead(dur, self.clock, start_s=t0)
        off = []
        gaps = rs.force_gaps
        imu_only = rs.imu_only
        # no force recorded, a worn IMU's: the hand's movement is drawn, as the trainer draws it,
        # and there is nothing to grade again against R1 and R2
        if imu_only:
            self.detail.setLabel("left", "hand movement", "mm")
        else:
            self.detail.setLabel("left", "force", "N")
        no_force = not imu_only and (f is None or not len(f.t_s))
        self.cal.setTitle("Re-analyse: no force to grade" if imu_only or no_force else "Re-analyse")
        self.cal.setEnabled(not (imu_only or no_force))
        self.no_force.setText(no_force_words(rs) if no_force else "")
        self.no_force.setVisible(no_force)
        self.movement.forget()                      # (the session shown before's)
        for plot in (self.overview, self.detail):   # (a session without force fixed them at ±1)
            plot.enableAutoRange(axis="y")
        if imu_only and rs.movement is None:
            self.over_curve.setData([], [])
            self.curve.setData([], [])
            self.movement.start(rs)
            self.status.setText(COMPUTING)
        elif imu_only:
            self._draw_movement()
            if not isinstance(rs.movement, Movement) and rs.of_type("thrust"):
                self.movement.start(rs)             # (its thrusts' movement as measured: not yet known)
        elif f is not None:
            # a sample far off the scale (a bus error's 1e30 N) is drawn at its edge, not spanned;
            # no line across a signal gap (it drew a ramp of force no one applied)
            y = rs.scale.drawn(f.values) if rs.scale is not None else f.values
            self.over_curve.setData(*minmax_envelope(f.t_s, y, OVERVIEW_BINS, gaps))
            self.curve.setData(*with_gaps(f.t_s, y, gaps))
            if rs.scale is not None:
                off = [{"pos": (float(f.t_s[k]), float(y[k])),
                        "symbol": "t1" if f.values[k] > rs.scale.hi_n else "t"} for k in rs.scale.off]
        else:
            self.over_curve.setData([], [])
            self.curve.setData([], [])
            # (the pops are marked at 0 N: not on the force scale of the session shown before)
            for plot in (self.overview, self.detail):
                plot.setYRange(-1.0, 1.0)
        self.off_marks.setData(off)
        self.over_off_marks.setData(off)
        self._show_gaps(rs.gaps)
        self._show_screen_changes(screen_stretches(screen_changes(rs.raw_meta, rs.meta), dur))
        self._show_cut_short()
        self._warnings_open = False         # (folded again for each session)
        self._audio_env = None
        self.audio_curve.setData([], [])
        if self.audio is not None:
            self.audio.stop()
        self.audio = AudioOut(rs.inp.audio_path, self.playhead, start_s=rs.inp.audio_t0_s,
                              timeline_rate_hz=rs.inp.audio_rate_hz)
        self.audio_plot.setVisible(rs.inp.audio_path is not None)
        self.audio_label.setText(self.audio.reason if rs.inp.audio_path is not None else "")
        if rs.inp.audio_path is not None:
            self._audio_job = self._pool.submit(audio_envelope, rs.inp.audio_path, t0_s=rs.inp.audio_t0_s,
                                                 rate_hz=rs.inp.audio_rate_hz)
        m = rs.meta
        self.r1.setValue(m.r1_n or 0.0)
        self.r2.setValue(m.r2_n or 0.0)
        self.alpha.setValue(m.alpha or 0.5)
        self._show_events()
        self._show_comments()
        self.overview.setXRange(self.playhead.start_s, max(dur, t0 + 1e-3), padding=0.01)
        self.detail.setXRange(self.playhead.start_s, self.playhead.start_s + min(DETAIL_WINDOW_S, max(dur - t0, 1e-3)),
                              padding=0)
        self.seek(self.playhead.start_s)
        self.timer.start()

    def _draw_movement(self) -> None:
        """Draw the hand's movement of a session with a worn IMU alone (``rs.movement``)."""
        self.over_curve.setData(*movement_envelope(self.rs, OVERVIEW_BINS))
        self.curve.setData(*movement_trace(self.rs))

    def _movement_done(self) -> None:
        for rs, movement in self.movement.done():
            if rs is not self.rs:
                continue
            rs.movement = movement
            self._draw_movement()
            self._place_marks()
            if self.status.text() == COMPUTING:
                self.status.clear()

    def _cycles(self) -> list[dict]:
        """The cycles listed and marked: the force's, graded; with no force recorded, the hand-worn
        IMU's (ungraded). With both, the IMU's cycles are the force's seen again (each force cycle
        carries the hand's movement in it), so they are not listed twice."""
        return self.rs.of_type("imu_cycle") if self.rs.imu_only else self.rs.of_type("cycle")

    def _show_events(self) -> None:
        rs = self.rs
        cyc = self._cycles()
        self._place_marks()
        imu_only = rs.imu_only
        s = rs.summary or {}
        for ln, key in zip(self.r_lines, ("r1_n", "r2_n")):
            ln.setVisible(s.get(key) is not None and not imu_only)     # (no force line to hold them against)
            if s.get(key) is not None:
                ln.setValue(s[key])
        self._listed = sorted(cyc + rs.of_type("thrust") + rs.of_type("cavitation"), key=event_time)
        self.events_table.setRowCount(len(self._listed))
        # no force recorded: the last column gives how far the hand moved (it was "force (N)", blank)
        self.events_table.setHorizontalHeaderItem(3, QTableWidgetItem(MOVED_HEADING if imu_only
                                                                      else EVENT_COLUMNS[3]))
        grey = QColor(*NOT_HELD_COLOR)
        aim = thrust_target(rs)
        for i, e in enumerate(self._listed):
            last = e.get("displacement_mm") if imu_only else e.get("crest_n", e.get("peak_n"))
            kind = _kind(e)
            # a stored event the file cut short no longer holds: greyed, the tooltip saying why
            gone = not_in_file(self._cuts, e, event_time(e)) if self._cuts else None
            for j, v in enumerate((f"{event_time(e):.2f}", kind, _label(e, aim),
                                   "" if last is None else f"{last:.1f}")):
                item = QTableWidgetItem(v)
                if j == 2 and e["type"] == "thrust":
                    item.setToolTip(v)              # (a long verdict read whole where the column cuts it)
                if j == 2 and v.endswith(BEYOND_R2):
                    item.setForeground(QColor("red"))   # (a safety matter, red as on the trainer)
                if gone is not None:
                    item.setForeground(grey)
                    item.setToolTip(not_in_file_tip(gone, kind))
                self.events_table.setItem(i, j, item)
        hist = s.get("grade_histogram") or {}
        self.grades.setText("grades: " + ("  ".join(f"{k}: {v}" for k, v in in_grade_order(hist))
                                          or ("none: no force recorded, the IMU's cycles are not graded"
                                              if imu_only and cyc else "none"))
                            + f"  ({'unsaved re-analysis' if rs.dirty else GRADES_FROM.get(rs.source, rs.source)})")
        self.save_btn.setEnabled(rs.dirty)
        self._show_warnings()                           # (a re-analysis's summary has its own)
        self._show_loud(loud_spans_of(s))
        self.selected = None
        self._fill_details(self._session_rows())        # until an event is picked

    def _show_warnings(self) -> None:
        """The session's warnings (:attr:`ReviewSession.shown_warnings`: the report's and replay's)
        above its plots, one a line; past ``WARNINGS_FOLDED``, the first few and a button for the
        rest."""
        ws = self.rs.shown_warnings
        folded = len(ws) > WARNINGS_FOLDED and not self._warnings_open
        shown = ws[:WARNINGS_FOLDED - 1] if folded else ws
        self.warning.setText("\n".join(f"warning: {w}" for w in shown))
        self.warning.setVisible(bool(ws))
        self.more_warnings.setText(f"show {len(ws) - len(shown)} more warnings" if folded else "show fewer warnings")
        self.more_warnings.setVisible(len(ws) > WARNINGS_FOLDED)

    def _toggle_warnings(self) -> None:
        self._warnings_open = not self._warnings_open
        self._show_warnings()

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
        files cut short after it (:func:`ui.review.data.cut_streams`) no longer holds: hatched
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

    # --- position -----------------------------------------------------------------------------
    def seek(self, t_s: float) -> None:
        """Scrub to ``t_s``: playhead, detail window and slider follow."""
        self.playhead.seek(t_s)
        self._show_position(self.playhead.pos_s, recenter=True)

    def _show_position(self, t: float, recenter: bool) -> None:
        for ln in self.heads:
            ln.blockSignals(True)
            ln.setValue(t)
            ln.blockSignals(False)
        x0, x1 = self.detail.viewRange()[0]
        lo, hi = self.playhead.start_s, self.playhead.duration_s
        # the zoom the user chose, never wider than the recording (a short one stays whole in view)
        width = min(x1 - x0 if self.rs is not None and x1 > x0 else DETAIL_WINDOW_S, max(hi - lo, 1e-3))
        if recenter or not (x0 <= t <= x1):
            a = t - width / 2 if recenter else t - width * 0.1   # playing: the playhead runs ahead
            a = max(lo, min(a, hi - width)) if hi - lo > width else lo
            self.detail.setXRange(a, a + width, padding=0)
        span = max(self.playhead.duration_s - self.playhead.start_s, 1e-9)
        self.slider.blockSignals(True)
        self.slider.setValue(int(10000 * (t - self.playhead.start_s) / span))
        self.slider.blockSignals(False)
        self.pos_label.setText(f"{t:.2f} s")
        self.positionChanged.emit(t)

    def _slider_moved(self, v: int) -> None:
        self.seek(self.playhead.start_s + v / 10000 * (self.playhead.duration_s - self.playhead.start_s))

    def _region_moved(self) -> None:
        a, b = self.region.getRegion()
        if (a, b) != tuple(self.detail.viewRange()[0]):
            self.detail.setXRange(a, b, padding=0)

    def _detail_range_changed(self, _vb, rng) -> None:
        a, b = rng
        self.region.blockSignals(True)
        self.region.setRegion((a, b))
        self.region.blockSignals(False)
        self._update_audio_view(a, b)

    def _update_audio_view(self, a: float, b: float) -> None:
        if self.rs is None or self.rs.inp.audio_path is None:
            return
        if b - a <= RAW_AUDIO_MAX_S:
            self.audio_curve.setData(*read_audio_window(self.rs.inp.audio_path, a, b, self.rs.inp.audio_t0_s,
                                                          self.rs.inp.audio_rate_hz))
        elif self._audio_env is not None:
            self.audio_curve.setData(*self._audio_env)

    # --- playback -----------------------------------------------------------------------------
    def set_speed(self, speed: float) -> None:
        self.playhead.set_speed(float(speed))
        i = self.speed.findData(float(speed))
        if i >= 0 and i != self.speed.currentIndex():
            self.speed.setCurrentIndex(i)

    def toggle_play(self) -> None:
        if self.playhead.playing:
            self.stop()
        else:
            self.playhead.play()
            self.play_btn.setText("Pause")
            if self.audio is not None:
                self.audio.start()

    def stop(self) -> None:
        self.playhead.pause()
        self.play_btn.setText("Play")
        if self.audio is not None:
            self.audio.stop()

    def tick(self) -> None:
        """Timer: advance the playhead, fetch audio ahead, pick up the audio envelope and a
        finished re-analysis."""
        if self._reanalysis is not None and self._reanalysis[0].done():
            self._finish_reanalysis()
        if self.movement.busy:
            self._movement_done()
        if self._audio_job is not None and self._audio_job.done():
            job, self._audio_job = self._audio_job, None     # taken once: an error is said once
            try:
                t, v, _ = job.result()
            except (OSError, RuntimeError, InputError) as e:   # (the file changed or went since opening)
                self.audio_label.setText(f"sound not drawn: {(str(e) or repr(e)).splitlines()[0]}")
            else:
                self._audio_env = (t, v)
                self._update_audio_view(*self.detail.viewRange()[0])
        if self.playhead.playing:
            t = self.playhead.update()
            self._show_position(t, recenter=False)
            if self.audio is not None:
                self.audio.prefetch()
            if not self.playhead.playing:
                self.stop()

    # --- events, re-analysis, comments ------------------------------------------------------------
    def _mark_clicked(self, _item, points, *_) -> None:
        if len(points):
            self.select_event(points[0].data())

    def _row_clicked(self, row: int) -> None:
        """A row of the event list: its numbers, and the plots moved to it (it may lie outside
        the part shown)."""
        e = self._listed[row]
        self.select_event(e)
        self.seek(event_time(e))

    def select_event(self, e: dict) -> None:
        self.selected = e
        # a stored event the file cut short no longer holds: nothing of it drawn there, said why (in
        # the window's status bar, and in its details)
        gone = not_in_file(self._cuts, e, event_time(e)) if self.rs is not None and self._cuts else None
        if gone is not None:
            self.notice.emit(not_in_file_words(gone, _kind(e), event_time(e)))
        elif self._said_not_held:
            self.notice.emit("")                    # (said of the event selected before)
        self._said_not_held = gone is not None
        rows = describe(e, thrust_target(self.rs) if self.rs is not None else None)
        if gone is not None:
            rows.insert(1, not_in_file_row(gone))
        if e.get("type") == "thrust" and self.rs is not None:
            rows.append(("pops", thrust_pops_words(self.rs, e)))
        # the trainer's screen graded with other settings than the recording's then: what the
        # trainee saw of this event was graded with those
        other = screen_then(self.rs.raw_meta, self.rs.meta, event_time(e)) if self.rs is not None else None
        if other is not None:
            rows.append(("screen then", other))
        self._fill_details(rows)
        self.eventSelected.emit(e)

    def _session_rows(self) -> list[tuple[str, str]]:
        """The session's details (:func:`describe_session`), its "recorded" as the library's row
        beside it dates it (:attr:`listed_date`: with its seconds where two share a minute)."""
        listed = self.listed_date(self.rs.path) if self.listed_date is not None else None
        return [(k, listed if k == "recorded" and listed else v) for k, v in describe_session(self.rs)]

    def _fill_details(self, rows: list[tuple[str, str]]) -> None:
        self.details.setRowCount(len(rows))
        for i, (k, v) in enumerate(rows):
            self.details.setItem(i, 0, QTableWidgetItem(k))
            item = QTableWidgetItem(v)
            item.setToolTip(v)                          # a pop's reason is longer than the column
            self.details.setItem(i, 1, item)
        self.details.resizeColumnToContents(0)
        # every row in view: the session's numbers (cycles, on target, thrusts, pops, comments)
        # were below the fold, under its name, date and calibration; the event list takes the rest
        # (on a short screen the two share what there is)
        d = self.details
        d.setMaximumHeight(d.horizontalHeader().sizeHint().height() + 2 * d.frameWidth()
                           + d.verticalHeader().defaultSectionSize() * min(len(rows), DETAILS_MAX_ROWS))

    def details_dict(self) -> dict[str, str]:
        return {self.details.item(i, 0).text(): self.details.item(i, 1).text()
                for i in range(self.details.rowCount())}

    def reanalyse(self) -> None:
        """Grade again with the form's calibration, on a worker thread (an hour-long session takes
        seconds); the window stays live and shows the result when it is ready."""
        r1, r2, alpha = self.r1.value() or None, self.r2.value() or None, self.alpha.value()
        try:
            check_calibration(r1, r2, alpha, self.rs.meta.target)
        except InputError as e:
            self.status.setText(str(e))
            return
        self.reanalyse_btn.setEnabled(False)
        self.status.setText("re-analysing…")
        self._reanalysis = (self._pool.submit(analyse_events, self.rs, r1, r2, alpha), self.rs, (r1, r2, alpha))

    def _forget_reanalysis(self) -> None:
        """Drop a re-analysis still running: its grades belong to the session it was started on,
        not to the one opened since."""
        if self._reanalysis is not None:
            self._reanalysis[0].cancel()            # (a running one finishes and is ignored)
            self._reanalysis = None
        self.reanalyse_btn.setEnabled(True)

    def _finish_reanalysis(self) -> None:
        job, rs, (r1, r2, alpha) = self._reanalysis
        self._reanalysis = None
        self.reanalyse_btn.setEnabled(True)
        if rs is not self.rs:
            return
        try:
            events = job.result()
        except InputError as e:
            self.status.setText(str(e))
            return
        apply_reanalysis(self.rs, events, r1, r2, alpha)
        self.status.setText(f"re-analysed with R1 {r1:g} N, R2 {r2:g} N, α {alpha:g}; not saved" if r1 is not None
                            else "re-analysed without a calibration: cycles measured, not graded; not saved")
        self._show_events()

    def save(self) -> None:
        try:
            save_analysis(self.rs)
        except InputError as e:                        # a read-only share: said, and still unsaved
            self.status.setText(str(e))
            return
        self.status.setText(f"saved events.jsonl and calibration to {self.rs.path.name}")
        self._show_events()
        self.analysisSaved.emit(self.rs.path)

    def add_comment(self) -> None:
        try:
            c = add_comment(self.rs, self.playhead.pos_s, self.comment_text.text(), self.comment_author.text())
        except InputError as e:
            self.status.setText(str(e))
            return
        self.comment_text.clear()
        self.status.setText(f"comment saved at {c['t_s']:.2f} s")
        self._show_comments()
        if self.selected is None:                   # the session's numbers shown: its comments counted anew
            self._fill_details(self._session_rows())

    def close_session(self) -> None:
        self.stop()
        self.timer.stop()
        if self._audio_job is not None:
            self._audio_job.cancel()
        self.movement.close()
        self._pool.shutdown(wait=True)


def thrust_pops_words(rs: ReviewSession, e: dict) -> str:
    """A thrust's pops in the words the trainer's panel gives them ("3 pops, first 12 ms before
    peak force", "no pop", "–"), from the summary's row of it, as the report's thrusts table and
    replay's take them: unknown ("–") without sound, with sound that cannot be analysed, or for a
    thrust the sound did not cover."""
    from analysis.summary import describe_pops
    from ui.report import pops_masked, pops_partly_heard, thrust_pops
    s = rs.summary or {}
    row = next((t for t in s.get("thrusts") or () if isinstance(t, dict) and t.get("index") == e.get("index")
                and t.get("source", "force") == e.get("source", "force")), None)
    heard = rs.inp.audio_path is not None and rs.inp.analyse_audio
    n, first = thrust_pops(row, heard)
    return describe_pops(n, first, "peak" if e.get("source") == "imu" else "peak force", pops_partly_heard(row),
                         pops_masked(row))
