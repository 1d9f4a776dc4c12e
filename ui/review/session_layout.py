"""The Session tab's widgets and their layout: the overview, detail and sound plots with the
items drawn on them, the transport, and the side panel (details, event list, re-analysis,
comments); nothing to play or edit until a session is opened.

:class:`SessionLayout` is a mix-in of :class:`~ui.review.session_view.SessionView`, whose
``__init__`` calls :meth:`SessionLayout._build`; the slots it connects are the view's.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSlider, QSplitter, QStyle, QTableWidget, QVBoxLayout, QWidget)

from ui.review.player import SPEEDS
from ui.review.session_events import EVENT_COLUMNS, MOVED_HEADING, _label
from ui.review.trace import LOUD_WORDS, OFF_SCALE_COLOR, POP_COLOR, POP_OUTLINE_COLOR, grade_color
from ui.time_axis import time_axis


class SessionLayout:
    """The widgets of :class:`~ui.review.session_view.SessionView` and their layout (a mix-in)."""

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
