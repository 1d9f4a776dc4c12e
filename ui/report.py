"""One self-contained HTML report of one or many recordings, and a CSV of all their events.

Figures are drawn offscreen with pyqtgraph and embedded as base64 PNG (``ImageExporter``),
so the page can be mailed or filed on its own. The numbers in the tables are the events'
own, rounded for reading; ``--csv`` carries them at full precision.
"""

from __future__ import annotations

import base64
import csv
import functools
import html
import json
import math
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from analysis.scheme import GradingScheme
from analysis.summary import pops_count
from firmware_bridge.csv_dialect import EVENTS_CSV_COLUMNS
from firmware_bridge.replay import ReplayInput, analyze_input, load_input
from ui.cli import interrupts_held
from ui.cmd_replay import warnings_not_given
from ui.library import (ON_TARGET, describe_target, describe_thrust_verdict, is_hvla, name_key, score_heading,
                        session_stats, session_target, spellings, stored_pops_without_sound, time_key,
                        use_stored_events)
from ui.library.names import tidy_name
from ui.library.stats import all_cycles, count_cell, dates_shown, full_date, score_shown
from ui.review.data import (NO_SOUND, count_cycles, describe_calibration, describe_feedback, describe_imu,
                            describe_pops_heard, describe_screen_changes, describe_stopped, distinct_names, imu_only,
                            merge_warnings, pop_window_s, recorded_with, screen_changes, short_date, stored_events)
from ui.table import (beyond_r2_shown, crest_position, describe_lengths, describe_letup, imu_thrust, in_grade_order,
                      number_or_none, pct_text, recording_lengths, without_sensor)
from ui.review.trace import (COMMENT_LABEL_FILL, COMMENT_LEVELS, COMMENT_STEP, LETUP_COLOR, OFF_SCALE_COLOR, POP_COLOR,
                             POP_OUTLINE_COLOR, THRUST_COLOR, ForceScale, comment_label, describe_gaps, event_marks,
                             force_scale, gap_region, gap_spans, grade_color, minmax_envelope, screen_region,
                             screen_stretches, gap_reasons)


@dataclass
class ReportItem:
    """One recording in a report."""

    name: str
    inp: ReplayInput
    events: list
    source: str
    comments: list = field(default_factory=list)
    target: str | None = None
    stats: dict = field(default_factory=dict)
    label: str = ""                   # shown name; render_html tells recordings of one name apart
    scale: ForceScale | None = None   # what the force plots span (None: no force)
    # the target and calibration shown are the recording's own (no --r1/--r2/--target given)
    own_settings: bool = True
    # how far from a thrust's peak its pops were looked for (s): --pop-window's, else the one the
    # session was recorded with, else the default
    pop_window_s: float | None = None
    # the corridors the recording kept for a V/HVLA target (session.json's ``target_detail``; None
    # with --target, or none kept: the trainer's for V)
    target_detail: dict | None = None
    # its trainee as the report names them: as typed, tidied, then one spelling whatever each of
    # the report's sessions was typed with (:func:`spell_trainees`); "" for none
    trainee: str = ""
    # sound named as a bare CSV (x.flac beside x.csv), not analysed: not given with --audio
    sound_beside: list = field(default_factory=list)

    @property
    def aim(self):
        """The HVLA target its thrusts are judged against (:func:`ui.library.session_target`), or None."""
        return session_target(self.target, self.target_detail)

    def __post_init__(self) -> None:
        self.label = self.label or Path(self.name).name
        f = self.inp.force
        if self.scale is None and f is not None and len(f.values):
            self.scale = force_scale(f.values)

    def force_drawn(self) -> np.ndarray:
        """The force as drawn: a sample far off the scale (a bus error's 1e30 N) at its edge."""
        return self.scale.drawn(self.inp.force.values)

    def force_note(self) -> str | None:
        """One line about force samples far off the scale, or None."""
        return self.scale.note(self.inp.force.t_s, self.inp.force.values) if self.scale is not None else None

    @property
    def summary(self) -> dict:
        return next((e for e in reversed(self.events) if e.get("type") == "summary"), {})

    @property
    def has_audio(self) -> bool:
        """Whether sound was recorded and listened to for pops (a recording without has no pop
        counts, not counts of 0)."""
        return self.inp.audio_path is not None and self.summary.get("audio", True) is not False

    def gaps(self, stream: str | None = None) -> np.ndarray:
        """The signal gaps, overlapping marks merged (see :func:`ui.review.trace.gap_spans`)."""
        return gap_spans(self.events, self.inp.meta.gaps if self.inp.meta is not None else (), stream)


def spell_trainees(items: list[ReportItem]) -> None:
    """Each item's ``trainee`` as the library spells them (:func:`ui.library.spellings`: the
    spelling most of their sessions here have), tidied (:func:`ui.library.names.tidy_name`), so "anna kowalska" and "Anna Kowalska",
    "Ben O’Brien" and "ben o'brien", " FATIMA  zahra " and "Fatima Zahra" are one name in the
    overview, the sections, the chart and the CSV, which a spreadsheet pivots by."""
    metas = [it.inp.meta for it in items]
    spelt = spellings((m.trainee, m.created) for m in metas if m is not None and tidy_name(m.trainee))
    for it, m in zip(items, metas):
        it.trainee = tidy_name(spelt[name_key(m.trainee)]) if m is not None and tidy_name(m.trainee) else ""


def class_order(item: "ReportItem") -> tuple:
    """Sort key of a class's recordings: by trainee (those without one last), then by when each
    was recorded (the instant its stamp names, its UTC offset counted, as the library orders
    them: :func:`ui.library.time_key`; those without a date last), then by folder."""
    m = item.inp.meta
    who = name_key(m.trainee if m else None)
    when = (m.created or "") if m else ""
    return (not who, who, not when, time_key(when), unicodedata.normalize("NFC", item.name))


def load_item(path: str | os.PathLike, audio=None, r1=None, r2=None, alpha=None, target=None,
              pop_window=None, min_amplitude=None, audio_start_s=None, audio_rate_hz=None) -> ReportItem:
    """Read one input; stored events are used when no flag changes the session's calibration
    (or how far from a thrust's peak a pop still counts for it, or where its audio lies). A
    re-analysis ties pops with ``pop_window`` (ms), else with the session's own pop window."""
    inp = load_input(path, audio, audio_start_s, audio_rate_hz)
    meta = inp.meta
    beside = unasked_sound(inp, path) if audio is None else []
    overrides = any(v is not None for v in (r1, r2, alpha, target, pop_window, min_amplitude, audio_start_s,
                                            audio_rate_hz))
    if meta is not None and not overrides and audio is None and use_stored_events(inp, meta, path):
        # (what the recorder's summary lacks, replay's says: the audio's place against the force;
        # the review's Session tab says it too)
        events, source = stored_events(inp, meta), "stored"
    else:
        from argparse import Namespace
        from ui.options import build_schemes
        scheme, thrust = build_schemes(Namespace(r1=r1, r2=r2, alpha=alpha, target=target,
                                                 pop_window=pop_window, min_amplitude=min_amplitude), meta)
        events, source = [e.to_dict() for e in analyze_input(inp, scheme, thrust)], "analysis"
    tgt = target or (meta.target if meta else None)
    s = next((e for e in reversed(events) if e.get("type") == "summary"), {})
    scheme = GradingScheme(s.get("r1_n"), s.get("r2_n"), alpha=s.get("alpha") or 0.5)
    name = str(path)
    comments = list(meta.comments) if meta else []
    own = r1 is None and r2 is None and target is None
    # (a V score judges thrusts by the corridors the recording kept; --target V: by the trainer's)
    detail = meta.extra.get("target_detail") if meta is not None and target is None else None
    return ReportItem(name, inp, events, source, comments, tgt, session_stats(events, tgt, scheme, detail),
                      own_settings=own, target_detail=detail, trainee=tidy_name(meta.trainee) if meta else "",
                      pop_window_s=pop_window_s(meta) if pop_window is None else float(pop_window) / 1000.0,
                      sound_beside=beside)


def unasked_sound(inp: ReplayInput, path) -> list[Path]:
    """The sound named as a bare CSV ``path`` (``x.flac`` beside ``x.csv``, as ``gradecoach
    simulate --audio`` writes them) that is not analysed, given without --audio (a CSV does not
    say where its sound starts): said in one line in ``inp.warnings``, as replay says it."""
    import shlex

    from firmware_bridge.sources import sound_beside

    p = Path(path)
    if inp.meta is not None or inp.audio_path is not None or not p.is_file():
        return []
    beside = sound_beside(p)
    if beside:
        names = " and ".join(a.name for a in beside)
        inp.warnings.append(f"{path}: {names} beside it {'is' if len(beside) == 1 else 'are'} not analysed (a CSV "
                            f"does not say where its sound starts); to analyse them together, add --audio "
                            f"{shlex.quote(str(beside[0]))}")
    return beside


# --- figures --------------------------------------------------------------------------------

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


def score_ticks(scores: list[float | None], width_px: float, font, label_px: float | None = None
                ) -> list[list[tuple[float, str]]]:
    """The score chart's x ticks for recordings with these scores across ``width_px``: a tick
    at every recording, and its number ("–" after it when it has no score) at every one, or
    at every 2nd, 5th, 10th... when numbers side by side would run together ("1011121314"
    under 64 recordings); ``label_px`` is the room one label takes along the axis, when not
    the widest number's (a label turned upright takes its line's height)."""
    from PySide6.QtGui import QFontMetrics
    fm = QFontMetrics(font)
    n = len(scores)
    if label_px is None:
        widest = str(max(n, 1)) + (" –" if None in scores else "")
        label_px = fm.horizontalAdvance(widest) + 2 * fm.horizontalAdvance("0")
    per_px = width_px / (max(n, 1) + 0.5)                    # (the x range: -0.75 to n - 0.25)
    step = next(k * 10 ** e for e in range(10) for k in (1, 2, 5) if k * 10 ** e * per_px >= label_px)
    major = [(float(i), str(i + 1) + (" –" if v is None else "")) for i, v in enumerate(scores)
             if step == 1 or (i + 1) % step == 0]
    return [major, [(float(i), "") for i in range(n)]]


SCORE_NAME_PX = 120      # a trainee's name under the score chart is cut short ("…") past this width


def score_who(items: list[ReportItem], font) -> list[list[str]]:
    """Whose each bar of the score chart is: its trainee ("no trainee" for a recording without
    one, as the overview says), a name wider than :data:`SCORE_NAME_PX` cut short with "…",
    and for a trainee with several recordings in the chart the date each was recorded, where
    it has one: its day ("2025-03-01") where that tells them apart, else with the time, as the
    overview gives it; the bar's number tells the rest apart."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics
    fm = QFontMetrics(font)
    names = [it.trainee or "no trainee" for it in items]
    keys = [name_key(n) for n in names]
    created = [it.inp.meta.created if it.inp.meta else None for it in items]
    out = []
    for i, (name, key) in enumerate(zip(names, keys)):
        who = [fm.elidedText(" ".join(name.split()), Qt.TextElideMode.ElideRight, SCORE_NAME_PX)]
        mine = [j for j, k in enumerate(keys) if k == key]
        if len(mine) > 1:
            # (the day alone where it tells the trainee's recordings apart, the seconds where
            # two share a minute: as Progress labels them)
            when = dict(zip(mine, dates_shown([created[j] for j in mine], day_alone=True)))[i]
            if when:
                who.append(when)
        out.append(who)
    return out


def _score_axis(pg):
    """The score chart's x axis: under each numbered tick its trainee (and date), on lines of
    their own where every bar's fit across its room, else on one line turned upright."""

    class ScoreAxis(pg.AxisItem):
        labels: dict[str, str] = {}       # a tick's number → the label drawn for it
        upright = False
        band_px = 18.0
        drawn: list[str] = []             # the labels as last drawn

        def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
            from PySide6.QtCore import QRectF, Qt
            super().drawPicture(p, axisSpec, tickSpecs, [])
            self.drawn = []
            for rect, _flags, text in textSpecs:
                label = self.labels.get(text, text)
                x, top = rect.center().x(), rect.top()
                if self.upright:          # (read from below; it ends at its tick)
                    p.save()
                    p.translate(x, top)
                    p.rotate(-90)
                    lh = p.fontMetrics().height()
                    p.drawText(QRectF(-self.band_px, -lh / 2, self.band_px, lh),
                               int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
                    p.restore()
                else:
                    w = max(p.fontMetrics().horizontalAdvance(line) for line in label.split("\n")) + 4
                    p.drawText(QRectF(x - w / 2, top, w, self.band_px),
                               int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)
                self.drawn.append(label)

    return ScoreAxis(orientation="bottom")


def _scores_plot(items: list[ReportItem]):
    """The score chart's widget and plot, not yet drawn (see :func:`scores_figure`)."""
    from PySide6.QtGui import QFontMetrics
    pg, _ = _qt()
    hvla = any(is_hvla(it.target) for it in items)
    gw, p = _plot("score by recording: % on target" + ("; of an HVLA session, % of thrusts on target" if hvla else ""),
                  "recording" + (" (– no score)" if any(it.stats.get("score_pct") is None for it in items) else ""),
                  "score (%)", 1000, 300)
    title = p.getAxis("bottom").labelText
    ax = _score_axis(pg)
    p.setAxisItems({"bottom": ax})
    ax.setLabel(title)
    p.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    scores = [it.stats.get("score_pct") for it in items]
    x = [float(i) for i, v in enumerate(scores) if v is not None]
    if x:
        p.addItem(pg.BarGraphItem(x=x, height=[v for v in scores if v is not None], width=0.7,
                                  brush=pg.mkBrush(90, 140, 220)))
    font = ax.font()
    fm = QFontMetrics(font)
    # each bar's target under it, and a dashed line where a trainee's target changes: II, II,
    # III, III scored 0, 100, 100, 0 % read as a fall back in week 4, a new and harder target
    who = [[*w, f"target {it.target}" if it.target else "no target"] for w, it in zip(score_who(items, font), items)]
    _target_changes(p, items)
    nums = [str(i + 1) + (" –" if v is None else "") for i, v in enumerate(scores)]
    per_px = p.vb.width() / (max(len(items), 1) + 0.5)
    widest = max((fm.horizontalAdvance(line) for n, w in zip(nums, who) for line in (n, *w)), default=0)
    ax.upright = widest + fm.horizontalAdvance("0") > per_px
    if ax.upright:                     # ("12 ana, 2025-03-01" read from below, one per line's height)
        ax.labels = {n: f"{n} {', '.join(w)}" for n, w in zip(nums, who)}
        ticks = score_ticks(scores, p.vb.width(), font, fm.height() + 6)
        # (room for the longest whether or not a recording lacks a score: the plot's height
        # does not change with it)
        ax.band_px = max((fm.horizontalAdvance(f"{i} – {', '.join(w)}") for i, w in enumerate(who, 1)),
                         default=14) + 4
    else:                              # ("12" above "ana" above "2025-03-01")
        ax.labels = {n: "\n".join((n, *w)) for n, w in zip(nums, who)}
        ticks = score_ticks(scores, p.vb.width(), font)
        ax.band_px = fm.lineSpacing() * max((len(w) + 1 for w in who), default=1) + 2
    ax.setTicks(ticks)
    ax.enableAutoSIPrefix(False)
    ax.setStyle(autoExpandTextSpace=False, tickTextHeight=int(ax.band_px + 1))
    for i in (i for i, v in enumerate(scores) if v is None):   # (a number left unlabelled is still marked)
        t = pg.TextItem("–", color=(60, 60, 60), anchor=(0.5, 1.0))
        font = ax.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        t.setFont(font)
        t.setPos(float(i), 0.0)
        p.addItem(t)
    p.setXRange(-0.75, max(len(items), 1) - 0.25, padding=0)
    p.setYRange(0.0, 100.0)
    # (the plot keeps its height: the figure grows by what the labels take beyond a line)
    from PySide6.QtCore import QRectF
    h = 300 + max(0, int(ax.band_px) - 18)
    gw.resize(1000, h)
    gw.ci.setGeometry(QRectF(0, 0, 1000, h))
    return gw, p


def _target_changes(p, items: list[ReportItem]) -> None:
    """A dashed vertical line between two bars of one trainee recorded against different
    targets, as Progress marks a change of target (between two trainees it says nothing)."""
    pg, _ = _qt()
    from ui.review.target_runs import TARGET_CHANGE_PEN
    for i, (a, b) in enumerate(zip(items, items[1:]), 1):
        if name_key(a.trainee) == name_key(b.trainee) and (a.target or None) != (b.target or None):
            p.addItem(pg.InfiniteLine(i - 0.5, angle=90, pen=pg.mkPen(**TARGET_CHANGE_PEN)), ignoreBounds=True)


@_figure
def scores_figure(items: list[ReportItem]) -> str:
    """A bar per recording with a score; one without (no target, nothing graded) has no bar,
    "–" where it would stand and after its number, as in the overview table (a bar of height 0
    read as 0 %). Under each bar its number, as the report's sections are numbered, whose it is
    (:func:`score_who`) and its target ("target III", "no target"); a dashed line between two
    bars of one trainee where the target changes."""
    gw, p = _scores_plot(items)
    out = _png(p)
    _dispose(gw)
    return out


# --- HTML -----------------------------------------------------------------------------------

def _f(v, spec="{:.1f}") -> str:
    """``v`` as ``spec`` gives it (a format, or a function such as :func:`ui.table.pct_text`); "–" for None."""
    return "–" if v is None else spec(v) if callable(spec) else spec.format(v)


def _tenth(pct: float | None) -> float | None:
    """A percentage for the sessions CSV: to a tenth, half up as the page rounds (41.7 of 5 in 12,
    not 41.666666666666664)."""
    return None if pct is None else float(pct_text(pct, 1))


def _table(cls: str, head: list[str], rows: list[list[str]], text_cols: tuple[int, ...] = ()) -> str:
    """An HTML table; the columns in ``text_cols`` hold prose (left, lines kept, long words broken)."""
    h = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f'<td class="text">{html.escape(str(c))}</td>' if j in text_cols
                                    else f"<td>{html.escape(str(c))}</td>" for j, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return f'<table class="{cls}"><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def _img(b64: str, alt: str) -> str:
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{b64}"></figure>'


SET_HEAD = ["set", "from (s)", "to (s)", "cycles", "grades", "mean freq (Hz)", "freq CV (%)",
            "mean amplitude (N)", "amplitude CV (%)", "mean crest (N)", "mean crest in R1–R2", "on target (%)",
            "beyond R2"]
THRUST_HEAD = ["thrust", "peak at (s)", "preload (N)", "peak (N)", "time to peak (ms)", "duration (ms)",
               "mean rate (N/s)", "max rate (N/s)", "let-up (N)", "pops", "first pop (ms after peak; - before)"]


def set_rows(summary: dict) -> list[list[str]]:
    return [[str(s["set_index"] + 1), f"{s['t_start']:.2f}", f"{s['t_end']:.2f}", str(s["n_cycles"]),
             " ".join(f"{k}:{v}" for k, v in in_grade_order(s["grade_histogram"])), _f(s["mean_freq_hz"], "{:.2f}"),
             _f(s["freq_cv_pct"]), _f(s["mean_amplitude_n"]), _f(s["amplitude_cv_pct"]), _f(s["mean_crest_n"]),
             crest_position(summary, s["mean_crest_n"]) or "–", _f(s["on_target_pct"], pct_text),
             beyond_r2_shown(summary, s["beyond_r2"])]
            for s in summary.get("sets", [])]


MOVED_HEAD = "hand moved (mm)"


def _moved(summary: dict) -> bool:
    """Whether the thrusts table has a column of the hand's movement: when any thrust was seen
    by a hand-worn IMU, which measures it (``displacement_mm``) and no force."""
    return any(t.get("displacement_mm") is not None for t in summary.get("thrusts", []))


BURST_HEAD = "acceleration burst (ms)"


def _burst(summary: dict) -> bool:
    """Whether the thrusts table has a column of the acceleration bursts: when a thrust was seen
    by a hand-worn IMU alone, whose ``duration_ms`` is how long the hand accelerated (often
    over before the hand's deepest point), not how long the thrust lasted, which is not measured."""
    return any(imu_thrust(t) for t in summary.get("thrusts", []))


def thrust_head(summary: dict, aim=None) -> list[str]:
    """The thrusts table's header: :data:`THRUST_HEAD`, with "hand moved (mm)" after the peak's
    force when a thrust has its movement measured, "acceleration burst (ms)" after the
    duration when a thrust was seen by an IMU alone, and "on target" last against a V/HVLA
    target (``aim``)."""
    head = list(THRUST_HEAD) + ([ON_TARGET] if aim is not None else [])
    if _burst(summary):
        head.insert(head.index("duration (ms)") + 1, BURST_HEAD)
    if _moved(summary):
        head.insert(head.index("peak (N)") + 1, MOVED_HEAD)
    return head


def thrust_rows(summary: dict, audio: bool = True, aim=None) -> list[list[str]]:
    """The thrusts table's rows, in the columns of :func:`thrust_head`; without ``audio`` (no
    sound recorded), or for a thrust the sound did not reach (``pops`` null), the pops are "–",
    not 0. Against a V/HVLA target (``aim``, :func:`ui.library.session_target`) each ends with
    whether it was on target, as the trainer judges it ("no — peak 702 N above 400–650 N")."""
    moved, burst = _moved(summary), _burst(summary)
    return [[str(t["index"] + 1), f"{t['t_peak']:.3f}", _f(t["preload_n"]), _f(t["peak_n"]),
             # from onset to peak, as the trainer says it ("hand moved 3.9 mm")
             *([_f(t.get("displacement_mm"))] if moved else []),
             # an IMU's thrust: no duration measured; its duration_ms is the acceleration burst
             _f(t["time_to_peak_ms"]), _f(None if imu_thrust(t) else t.get("duration_ms")),
             *([_f(t.get("duration_ms") if imu_thrust(t) else None)] if burst else []),
             _f(t["rate_n_per_s"], "{:.0f}"),
             _f(t["max_rate_n_per_s"], "{:.0f}"),
             # as measured, whether it counts after it ("flagged", "(under 7.7 N: none)"); an IMU's
             # thrust has no forces: its let-up is unknown
             describe_letup(t.get("letup_n"), bool(t.get("letup")), preload_n=number_or_none(t.get("preload_n"))),
             # pops: none heard is 0; no sound at all, or none over this thrust, is unknown
             # ("≥2": part of its pop window went unheard, so more may have come there; "0 (loud
             # sound)", "≥2 (loud sound)": heard in sound that hides most pops, a voice or music)
             *(("–", "–") if (p := thrust_pops(t, audio))[0] is None
               else (pops_count(p[0], pops_partly_heard(t), pops_masked(t)) + " (loud sound)" * pops_masked(t),
                     ms_from_peak(p[1]))),
             *([describe_thrust_verdict(t, aim)] if aim is not None else [])]
            for t in summary.get("thrusts", [])]


def ms_from_peak(ms: float | None) -> str:
    """A first pop's time from its thrust's peak (ms) as the thrusts table gives it: "-6", "+3";
    "0" for one that rounds to the peak (-0.3 ms), which replay says is "at peak force"
    (:func:`analysis.summary.describe_pops`), not "-0"; "–" for none (or not a finite number)."""
    if ms is None or not math.isfinite(ms):
        return "–"
    return "0" if round(ms) == 0 else f"{round(ms):+d}"


def thrust_pops(t: dict | None, audio: bool = True) -> tuple[int | None, float | None]:
    """A summary's thrust row ``t`` (``summary.thrusts[]``): its pops and its first pop's ms from
    the peak, as the thrusts table and the CSV give them; ``(None, None)`` when they are unknown
    (no sound recorded or analysed, ``audio`` False; none listened to over this thrust, its
    ``pops`` null; no such row). 0 pops is sound heard and no pop in it."""
    if not audio or t is None or t.get("pops", 0) is None:
        return None, None
    return int(t.get("pops", 0)), t.get("first_pop_ms_from_peak")


def pops_masked(t: dict | None) -> bool:
    """Whether a thrust row's pops were listened for in sound that hides most pops (a voice,
    music: ``pops_masked`` in the summary; false in summaries written before), so more may have
    been missed: "no pop heard (loud sound)", or a count that is a least number ("≥2 (loud
    sound)"). False where the pops are unknown."""
    return bool(isinstance(t, dict) and t.get("pops") is not None and t.get("pops_masked"))


def pops_partly_heard(t: dict | None) -> bool:
    """Whether a thrust row's pop count is a least number: pops were heard, but part of its pop
    window was not (``pops_partly_heard`` in the summary; false in summaries written before)."""
    return bool(isinstance(t, dict) and t.get("pops") and t.get("pops_partly_heard"))


def item_section(item: ReportItem, n: int) -> str:
    s, m = item.summary, item.inp.meta
    parts = [f'<section class="recording" id="r{n}"><h2>{n}. {html.escape(item.label)}</h2>']
    facts = []
    if m is not None:
        facts += [("trainee", item.trainee), ("date", short_date(m.created)), ("technique", m.technique)]
    gaps = describe_gaps(item.events, _meta_gaps(item))
    facts += [("target", describe_target(item.target, item.target_detail)), ("duration", describe_lengths(s)),     # (as replay's table: "11.3 s (audio 11.8 s)")
              *describe_stopped(m)]             # (worded as the review's details and replay's warning)
    if gaps:                                       # (the duration counts them: say how much is missing)
        facts.append(("gaps", gaps))
    # (recorded with a hand-worn IMU alone, the calibration graded nothing: said so, as the review does)
    facts += [("calibration", describe_calibration(s.get("r1_n"), s.get("r2_n"), s.get("alpha"), spec="{:.1f}",
                                                   force=not imu_only(item.inp))
               if s.get("r1_n") is not None else "none (cycles not graded)"),
              # graded with another calibration than the trainee practised against (a saved re-analysis,
              # --r1/--r2/--alpha/--target): the recording's own, as the review's details say it
              *([] if imu_only(item.inp) else
                recorded_with(m.extra, m, s.get("r1_n"), s.get("r2_n"), s.get("alpha"), item.target, spec="{:.1f}",
                              with_alpha=True)
                if m is not None else []),
              # what the trainer's screen graded with meanwhile, worded as the review words it
              # (session.json's top-level keys other than the known ones are in meta.extra)
              *(describe_screen_changes(m.extra, m, None if item.own_settings else False) if m is not None else []),
              # the feedback schedule the trainee practised with, and when it changed, as the review says it
              *(describe_feedback(m.extra) if m is not None else []),
              (score_heading([item.target]), score_shown(item.stats.get("score_pct"), item.target,
                                                         item.stats.get("n_thrusts"), all_cycles(item.stats)))]
    if item.inp.imu is not None:
        facts.append(("IMU cycles", describe_imu(item.events)))
    facts.append(("pops", pops_said(item)))
    facts += [("events from", "the stored analysis" if item.source == "stored" else "a fresh analysis of the raw data")]
    parts.append('<dl class="facts">' + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v or '–'))}</dd>"
                                                for k, v in facts) + "</dl>")
    note = item.force_note()
    # (a warning the stored analysis kept naming the folder where it was then is said once)
    kept = s.get("warnings")
    warns = list(dict.fromkeys(merge_warnings(item.inp.warnings, kept if isinstance(kept, list) else [], item.name)
                               + ([note] if note else [])))
    if warns:
        parts.append('<ul class="warnings">' + "".join(f"<li>{html.escape(w)}</li>" for w in warns) + "</ul>")
    if item.inp.force is not None and len(item.inp.force.t_s):
        parts.append(_img(force_figure(item), f"force of {item.label}"))
    else:                                          # (an empty plot with R1 and R2 across it said nothing)
        streams = [name for name, there in (("sound", item.inp.audio_path is not None),
                                            ("IMU", item.inp.imu is not None)) if there]
        parts.append(f'<p class="no-force">No force was recorded'
                     f'{" (" + " and ".join(streams) + " only)" if streams else ""}.</p>')
        moved = movement_figure(item) if imu_only(item.inp) else None
        if moved is not None:
            parts.append(_img(moved, f"hand movement of {item.label}"))
    if s.get("grade_histogram"):
        parts.append(_img(histogram_figure(s["grade_histogram"], "grades"), "grade histogram"))
    if s.get("sets"):
        parts.append("<h3>Sets</h3>" + _table("sets", SET_HEAD, set_rows(s)))
    if s.get("thrusts"):
        if item.scale is not None:                 # (an IMU's thrusts alone: no force to draw, an empty frame)
            parts.append(_img(thrust_figure(item), "thrusts"))
        parts.append("<h3>Thrusts</h3>" + _table("thrusts", thrust_head(s, item.aim),
                                                        thrust_rows(s, item.has_audio, item.aim)))
    if s.get("pops_outside_thrusts"):
        rows = [[f"{p['t']:.3f}", "–" if p.get("set_index") is None else str(p["set_index"] + 1)]
                for p in s["pops_outside_thrusts"]]
        # (sound alone: no thrust to be outside of; its pops are those heard, as replay says)
        alone = item.inp.imu is None and (item.inp.force is None or not len(item.inp.force.t_s))
        parts.append(f"<h3>{'Pops heard' if alone else 'Pops outside any thrust'}</h3>"
                     + _table("free-pops", ["at (s)", "during set"], rows))
    away = [p for p in s.get("pops_without_force") or []
            if isinstance(p, dict) and number_or_none(p.get("t")) is not None]
    if away:                                   # (the sound began before the sensor or ran on after it)
        rows = [[f"{p['t']:.3f}", f"{p['when']} it" if p.get("when") in ("before", "after") else "–"] for p in away]
        parts.append(f"<h3>Pops heard where {without_sensor(s)} was recorded</h3>"
                     + _table("pops-without-force", ["at (s)", "when"], rows))
    if item.comments:
        rows = [[f"{float(c.get('t_s', 0)):.2f}", c.get("author", ""), c.get("text", "")] for c in item.comments]
        parts.append("<h3>Comments</h3>" + _table("comments", ["at (s)", "by", "comment"], rows, text_cols=(1, 2)))
    parts.append("</section>")
    return "\n".join(parts)


def cycles_cell(item: ReportItem) -> str:
    """The overview's count of cycles, as the review's comparison counts them (a recording made
    with a hand-worn IMU alone: "16 (IMU)")."""
    return count_cycles(item.events, item.stats.get("n_cycles"))


def letups_cell(item: ReportItem) -> str:
    """The overview's count of a recording's thrusts with a let-up (the thrusts table's
    "flagged"): "" for a recording without thrusts, "–" where none of its thrusts' let-ups is
    known (an IMU's thrusts alone: no force)."""
    thrusts = [e for e in item.events if e.get("type") == "thrust"]
    known = [e for e in thrusts if not imu_thrust(e)]
    if not thrusts:
        return ""
    return str(sum(bool(e.get("letup")) for e in known)) if known else "–"


# the pops of a recording whose sound given could not be read at all (a damaged file): unknown
SOUND_UNREADABLE = "unknown: the sound could not be read"


def pops_said(item: ReportItem) -> str:
    """A recording's pops in words, as its page's "pops" line gives them: "9 (0 with a thrust)",
    "none heard", "no audio recorded", "unknown: no usable sound", …"""
    s = item.summary
    pops = [e for e in item.events if e.get("type") == "cavitation"]
    gone = stored_pops_without_sound(item.inp)
    # (sound that held nothing to hear, or cannot be analysed, has unknown pops, worded as the
    # review's details word them: the thrusts table's "–" are the summary's, as replay's)
    return (f"unknown: the sound file is gone; the {gone} pop{'s' if gone != 1 else ''} of the "
            f"stored analysis left out" if gone and not item.has_audio else
            SOUND_UNREADABLE if s.get("audio_unreadable") else
            f"not analysed: {' and '.join(a.name for a in item.sound_beside)} beside it "
            f"{'was' if len(item.sound_beside) == 1 else 'were'} not given with --audio" if item.sound_beside else
            NO_SOUND if item.inp.audio_path is None else
            describe_pops_heard(s, pops, item.inp.analyse_audio, item.inp.dead_audio, item.pop_window_s))


def pops_heard(item: ReportItem) -> int | None:
    """How many pops a recording's page counts in its "pops" line, tied to a thrust or not, as
    replay's "9 pops" counts them; None where that line has no count (no sound analysed, or its
    pops unknown), 0 where it says "none heard"."""
    said = pops_said(item)
    if not (said[:1].isdigit() or said.startswith("none heard")):
        return None
    return sum(e.get("type") == "cavitation" for e in item.events)


def pops_cell(item: ReportItem) -> str:
    """The overview's count of the pops tied to a recording's thrusts, the sum of the thrusts
    table's "pops": "" for a recording without thrusts, "–" where no thrust's pops are known (no
    sound recorded or usable around them), "3 (unknown at 1)" where some are not, "≥3" where
    some thrust's count is a least number (:func:`pops_partly_heard`, or heard in loud sound:
    :func:`pops_masked`)."""
    if not item.stats.get("n_thrusts"):
        return ""
    known, unknown = _thrusts_pops(item)
    if not known:
        return "–"
    partly = any(pops_partly_heard(t) or pops_masked(t) for t in item.summary.get("thrusts") or ())
    return ("≥" if partly else "") + f"{sum(known)}" + (f" (unknown at {unknown})" if unknown else "")


def _thrusts_pops(item: ReportItem) -> tuple[list[int], int]:
    """The pops of each of a recording's thrusts whose pops are known (the thrusts table's
    "pops"), and how many thrusts' are not."""
    pops = [thrust_pops(t, item.has_audio)[0] for t in item.summary.get("thrusts") or () if isinstance(t, dict)]
    known = [n for n in pops if n is not None]
    return known, len(pops) - len(known)


CLASS_HEAD = ["#", "recording", "trainee", "date", "target", "score (%)", "cycles", "beyond R2", "thrusts", "let-ups",
              "pops with a thrust", "freq CV (%)",
              "amplitude CV (%)", "peak mean (N)", "peak SD (N)", "time to peak mean (ms)", "time to peak SD (ms)"]

CSS = ("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}"
       "td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}th{background:#eee}"
       "img{max-width:100%}dl.facts{display:grid;grid-template-columns:max-content auto;gap:0 1em}"
       "dt{font-weight:bold}.warnings{color:#a40}td.text{text-align:left;white-space:pre-wrap;overflow-wrap:anywhere}")


def _generator() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return f"gradecoach {version('gradecoach')}"
    except PackageNotFoundError:
        return "gradecoach (from the sources)"


# the page's head names gradecoach its generator: by it a later report knows the page for one it
# may replace (ui.options.report_page), and any other HTML page for one to keep
GENERATOR = f"<meta name='generator' content='{html.escape(_generator(), quote=True)}'>"


def calibrations_note(items: list[ReportItem]) -> str | None:
    """One line under the overview when its recordings were graded against different
    calibrations, naming each with the overview's numbers of its recordings ("R1 40.0 N, R2
    120.0 N, alpha 0.5 (recordings 1, 3); R1 30.0 N, R2 100.0 N, alpha 0.7 (recording 2)"): the
    same set scored 100 and 50 side by side with nothing in the table to say why; and when the
    thrusts of its V/HVLA recordings were judged against different corridors, a sentence naming
    each the same way ("V, preload 100–160 N, peak 400–650 N (recording 1); V, preload 120–135
    N, peak 500–700 N (recording 2)"). None when they share one (recordings without a
    calibration or without force are left out, and of the corridors those with no thrust or
    thrusts an IMU alone measured: nothing judged by them)."""
    groups: dict[str, list[int]] = {}
    corridors: dict[str, list[int]] = {}
    for i, it in enumerate(items, 1):
        s = it.summary
        if imu_only(it.inp) or it.inp.force is None:
            continue
        if it.aim is not None and it.stats.get("n_thrusts"):
            corridors.setdefault(describe_target(it.target, it.target_detail), []).append(i)
        if s.get("r1_n") is None or s.get("r2_n") is None:
            continue
        words = describe_calibration(s["r1_n"], s["r2_n"], s.get("alpha") or GradingScheme().alpha, spec="{:.1f}")
        groups.setdefault(words, []).append(i)

    def named(by: dict[str, list[int]]) -> str:
        return "; ".join(f"{words} (recording{'s' if len(nums) > 1 else ''} {', '.join(map(str, nums))})"
                         for words, nums in by.items()) + "."

    said = ([f"Graded against different calibrations: {named(groups)}"] if len(groups) > 1 else []) + \
           ([f"Thrusts judged against different corridors: {named(corridors)}"] if len(corridors) > 1 else [])
    return " ".join(said) or None


def render_html(items: list[ReportItem], title: str = "gradecoach report",
                progress: Callable[[int, int, str], None] | None = None, left_out: list[str] = (),
                copies: list[str] = ()) -> str:
    """The page; ``left_out`` are the reasons a class's session folders that could not be read
    were left out, listed at its top (they were said on the terminal only, the page reading as
    if the class had no more sessions); ``copies`` the lines saying which of its recordings were
    found in several folders (:func:`ui.cmd_report.copies_of_class`), under them."""
    for it, label in zip(items, distinct_names([it.name for it in items])):
        it.label = label
    spell_trainees(items)
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'>{GENERATOR}<title>{html.escape(title)}</title>"
           f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>"]
    if left_out:
        out.append(f'<p class="left-out">{len(left_out)} session folder{"s" if len(left_out) != 1 else ""} '
                   f'could not be read and {"are" if len(left_out) != 1 else "is"} not in this report:</p>'
                   '<ul class="warnings left-out">' + "".join(f"<li>{html.escape(w)}</li>" for w in left_out)
                   + "</ul>")
    if copies:
        out.append('<ul class="warnings copies">' + "".join(f"<li>{html.escape(w)}</li>" for w in copies) + "</ul>")
    if len(items) > 1:
        rows = []
        # (the seconds where two share a minute: two sessions recorded one after the other)
        dates = overview_dates(items)
        for i, it in enumerate(items, 1):
            st = it.stats
            # (a session without a trainee says so, as the review does, rather than a blank cell)
            rows.append([str(i), it.label, it.trainee or "no trainee", dates[i - 1],
                         it.target or "–", score_shown(st["score_pct"], it.target, st["n_thrusts"], all_cycles(st)),
                         # (a safety matter: the cycles beyond R2, "–" where not known: no R2)
                         cycles_cell(it), count_cell(st["n_beyond_r2"]), str(st["n_thrusts"]),
                         letups_cell(it), pops_cell(it),
                         _f(st["freq_cv_pct"]), _f(st["amplitude_cv_pct"]), _f(st["peak_mean_n"]),
                         _f(st["peak_sd_n"]), _f(st["ttp_mean_ms"]), _f(st["ttp_sd_ms"])])
        out.append("<h2>Overview</h2>" + _table("overview", CLASS_HEAD, rows, text_cols=(1, 2, 3, 4)))
        mixed = calibrations_note(items)
        if mixed:
            out.append(f'<p class="calibrations">{html.escape(mixed)}</p>')
        out.append(_img(scores_figure(items), "scores by recording"))
    for i, it in enumerate(items, 1):
        if progress:
            progress(i - 1, len(items), it.name)
        out.append(item_section(it, i))
    if progress:
        progress(len(items), len(items), "")
    out.append("</body></html>")
    return "\n".join(out)


# what a spreadsheet takes for the start of a formula in a cell (``=HYPERLINK(…)`` typed as a
# trainee's name would run on opening the CSV)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as written: one it would take for a formula
    gets a leading apostrophe, which Excel and LibreOffice read as "text follows"."""
    return "'" + text if text.startswith(_FORMULA_START) else text


# a thrust's pops in the CSV, after the columns it had before them (blank: unknown)
POP_COLS = ("pops", "first_pop_ms_from_peak", "pops_partly_heard", "pops_masked")
# after recording and type, what each row's recording is, the same on each of its rows: its trainee,
# its name as the page's sections and overview name it, when it was recorded (to the second,
# :func:`csv_dates`), its target and its calibration (a spreadsheet pivots a term's rows by week, target or trainee)
RECORDING_COLS = ("trainee", "name", "date", "target", "r1_n", "r2_n", "alpha")
# the set and the thrust numbered from 1, as the page's tables number them (the events' own
# set_index, index and thrust count from 0), and whether the cycle or thrust was on the target
# and, where not, what missed, as the thrusts table says it
NUMBER_COLS = ("set_number", "thrust_number")
VERDICT_COLS = ("on_target", "missed")
# every event type's fields (docs/format.md), in one order whatever the recordings hold: times,
# a cycle's, a thrust's, a pop's, a gap's and a warning's, then those several share
EVENT_COLS = ("t_start", "t_end", "t_crest", "t_onset", "t_peak", "t",
              "grade", "modifier", "trough_n", "crest_n", "amplitude_n", "freq_hz", "beyond_r2", "crest_pct",
              "crest_dwell_pct", "set_index",
              "preload_n", "peak_n", "time_to_peak_ms", "duration_ms", "rate_n_per_s", "max_rate_n_per_s",
              "letup_n", "letup", "index", "source",
              "level_db", "confidence", "peak_hz", "thrust", "reason",
              "stream", "message",
              "t_detect_s", "displacement_mm", "loop")
CSV_COLUMNS = (*EVENTS_CSV_COLUMNS, *RECORDING_COLS, *NUMBER_COLS, *VERDICT_COLS, *EVENT_COLS, *POP_COLS)


def _number(v) -> int | None:
    """An event's index counted from 0 (``set_index``, ``index``, ``thrust``) as the page numbers
    it, from 1; None for none (a pop tied to no thrust) or one edited by hand into no index."""
    return v + 1 if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None


def _verdict(e: dict, item: ReportItem, scheme: GradingScheme | None) -> tuple[str, str]:
    """A row's ``on_target`` and ``missed``: a thrust against a V/HVLA target as the thrusts
    table judges it ("no", "peak 702 N above 400–650 N"); a cycle against a mobilisation target
    as the sets' "on target (%)" counts it ("no", "grade III- (target III+)", or "beyond R2");
    blank where nothing is judged (no target, an ungraded cycle, an IMU's thrust: no forces)."""
    from ui.trainer.target import MISS_SEP, thrust_misses
    if e.get("type") == "thrust" and item.aim is not None:
        misses = thrust_misses(e, item.aim)
        if misses is None:
            return "", ""
        return ("no", MISS_SEP.join(misses)) if misses else ("yes", "")
    if e.get("type") == "cycle" and scheme is not None:
        on = scheme.on_target(e.get("grade"), e.get("modifier"), bool(e.get("beyond_r2")))
        if on is None:
            return "", ""
        if on:
            return "yes", ""
        grade = f"{e.get('grade')}{e.get('modifier') or ''}"
        return "no", "beyond R2" if e.get("beyond_r2") else f"grade {grade} (target {item.target})"
    return "", ""


def _cycle_scheme(item: ReportItem) -> GradingScheme | None:
    """What a recording's cycles are judged on target by (its target, as its score judges them),
    or None (no target, a V/HVLA one, or one that is no grade)."""
    from analysis.errors import InputError
    if not item.target or is_hvla(item.target):
        return None
    try:
        return GradingScheme().with_target(item.target)
    except (InputError, ValueError):
        return None


def _cell(v):
    """An event's field as the CSV writes it: a list or object as JSON, a whether (``beyond_r2``,
    ``letup``) ``yes`` or ``no`` as ``on_target`` is (a spreadsheet's filter listed True and False
    beside yes and no), anything else as it is."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return json.dumps(v) if isinstance(v, (list, dict)) else v


def write_csv(items: list[ReportItem], path, bom: bool = True, decimal_comma: bool = False) -> int:
    """All events (not the summaries) of all items, one row each, to ``path`` (a file name, or
    a UTF-8 text file opened with ``newline=""``); returns the row count. The file begins with a
    byte-order mark, by which Excel knows it for UTF-8 (without, it showed "Ã‰mile" for Émile);
    ``bom`` False leaves it out (standard output, read by a program); ``decimal_comma`` writes
    it as a spreadsheet set to a decimal comma reads it (:func:`_csv_rows`).

    The columns are :data:`CSV_COLUMNS` whatever the recordings (a key no event type has, from a
    newer file, after them, before the pops): each row names its recording and the event's
    type, then the recording's trainee (blank for none: a bare file), name as the page names it,
    date, target and calibration, by which a class's rows are told apart and pivoted; then the
    set and thrust numbered as the page numbers them, and the row's verdict on the target; then
    the event's fields, a whether ``yes`` or ``no`` (a thrust seen by a hand-worn IMU alone has its ``letup`` blank, unknown,
    as its forces are; its ``duration_ms`` is the acceleration burst). A thrust's row ends with its pops (:data:`POP_COLS`), as the report's
    thrusts table gives them: blank when unknown (no sound, a muted microphone), 0 when heard
    and none. A warning the summary keeps and no warning row gives (one found at the end of the
    analysis: audio with no usable sound) is a warning row before the next recording's, as
    replay writes it; after them, one for each warning reading the recording gave (rows of its
    force.csv skipped, a sample far off the scale), its time blank, as that of a stored one
    is (:func:`_reading_warnings`: an older analysis stored it at 0.0)."""
    rows: list[dict[str, Any]] = []
    spell_trainees(items)
    ours = set(EVENTS_CSV_COLUMNS + RECORDING_COLS + NUMBER_COLS + VERDICT_COLS + POP_COLS)
    for it, label, when in zip(items, distinct_names([it.name for it in items]), csv_dates(items)):
        summary = it.summary
        about = {"recording": it.name, "trainee": spreadsheet_text(it.trainee),
                 "name": spreadsheet_text(label), "date": when,
                 "target": spreadsheet_text(it.target or ""),
                 **{k: summary.get(k) for k in ("r1_n", "r2_n", "alpha")}}
        scheme = _cycle_scheme(it)
        # (each thrust event's row in the summary: by its index, and its peak where two share one)
        thrusts: dict = {}
        for t in (t for t in summary.get("thrusts", []) if isinstance(t, dict)):
            thrusts.setdefault(t.get("index"), t)
            thrusts[(t.get("index"), t.get("t_peak"))] = t
        # (a pop tied to no thrust: the set it fell in, as the page's "during set")
        free = {p.get("t"): p.get("set_index") for p in summary.get("pops_outside_thrusts", []) if isinstance(p, dict)}
        said = set()
        read_then = _reading_warnings(it)
        for e in it.events:
            if e.get("type") == "warning":
                said.add(e.get("message"))
            if e.get("type") != "summary":
                row = {"type": e.get("type"), **about, **{k: _cell(v) for k, v in e.items() if k not in ours}}
                kind = e.get("type")
                row["set_number"] = _number(e.get("set_index") if kind == "cycle" else
                                            free.get(e.get("t")) if kind == "cavitation" else None)
                row["thrust_number"] = _number(e.get("index") if kind == "thrust" else
                                               e.get("thrust") if kind == "cavitation" else None)
                row.update(zip(VERDICT_COLS, _verdict(e, it, scheme)))
                if id(e) in read_then:
                    row["t_detect_s"] = None        # (found on reading it, at no time: as replay gives it now)
                if kind == "cycle" and number_or_none(summary.get("r2_n")) is None:
                    row["beyond_r2"] = None         # (no R2: not checked, "–" on the page, not "no")
                if kind == "thrust":
                    if imu_thrust(e):               # (no force: its let-up unknown, "–" on the page, not False)
                        row["letup"] = None
                    t = thrusts.get((e.get("index"), e.get("t_peak")), thrusts.get(e.get("index")))
                    n, first = thrust_pops(t, it.has_audio)
                    row.update(zip(POP_COLS, (n, first, *((None, None) if n is None else
                                                          (_cell(pops_partly_heard(t)), _cell(pops_masked(t)))))))
                rows.append(row)
        left, t_end = warnings_not_given(summary.get("warnings"), summary.get("spans_s"), said)
        rows += [{"type": "warning", **about, "message": w, "t_detect_s": t_end} for w in left]
        # (what reading it found, as the terminal and the page say it: rows of force.csv skipped,
        # a sample far off the scale; at no time of the recording)
        note = it.force_note()
        read, _ = warnings_not_given([*it.inp.warnings, *([note] if note else [])], None, said)
        rows += [{"type": "warning", **about, "message": w} for w in read]
    # (replay and the output check know it by its first two columns; the pops last, a
    # spreadsheet reading them by place)
    cols = list(CSV_COLUMNS[:-len(POP_COLS)])
    for r in rows:
        cols.extend(k for k in r if k not in cols and k not in POP_COLS)
    cols.extend(POP_COLS)
    if hasattr(path, "write"):
        if bom:                                     # (not into a pipeline: standard output, --csv -)
            path.write("\ufeff")
        _csv_rows(path, cols, rows, decimal_comma)
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            _csv_rows(fh, cols, rows, decimal_comma)
    return len(rows)


def _reading_warnings(item: ReportItem) -> set[int]:
    """The ``id`` of each stored warning event of ``item`` that reading the recording gave, at
    no time of the data, which an analysis stored before gave the time 0.0 (now null): one at
    0.0 that the analysis wrote first, before any event of the data (``start_events``), or one
    the session keeps as found reading its source (session.json's ``extra.source_warnings``).
    None for a fresh analysis, whose warnings say so themselves."""
    from firmware_bridge.session import source_warnings
    if item.source != "stored":
        return set()
    kept = set(source_warnings(item.inp.meta)) if item.inp.meta is not None else set()
    out, first = set(), True
    for e in item.events:
        if e.get("type") != "warning":
            first = False
            continue
        t = e.get("t_detect_s")
        if isinstance(t, (int, float)) and not isinstance(t, bool) and t == 0.0 and (first or e.get("message") in kept):
            out.add(id(e))
    return out


def _csv_rows(fh, cols: list[str], rows: list[dict], decimal_comma: bool = False) -> None:
    """The rows under their header; ``decimal_comma``: as a spreadsheet set to a decimal comma
    (German, French, Dutch Excel) opens a CSV: cells between semicolons, a number's decimal
    point a comma (1,5); text as it is."""
    if decimal_comma:
        rows = [{k: (repr(float(v)).replace(".", ",") if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    w = csv.DictWriter(fh, fieldnames=cols, delimiter=";" if decimal_comma else ",")
    w.writeheader()
    w.writerows(rows)


# report --sessions-csv: one row a recording, as the overview lists them; what its page says of its
# gaps, thrusts with unknown pops, ending and skipped rows after them (a script reading the
# columns before by place goes on working)
SESSIONS_CSV_COLUMNS = ("recording", "name", "trainee", "date", "target", "score_pct", "n_cycles", "n_beyond_r2",
                        "n_thrusts", "thrusts_on_target", "letups", "pops", "pops_with_thrust", "duration_s", "audio_s",
                        "warnings", "gaps", "s_without_data", "clock_steps", "thrusts_pops_unknown", "finished",
                        "rows_skipped")
# the columns sessions CSVs were written with before: such a file is gradecoach's, replaced as it is
SESSIONS_CSV_EARLIER_COLUMNS = (("recording", "name", "trainee", "date", "target", "score_pct", "n_cycles",
                                 "n_thrusts", "thrusts_on_target", "letups", "pops", "duration_s", "warnings"),
                                ("recording", "name", "trainee", "date", "target", "score_pct", "n_cycles",
                                 "n_thrusts", "thrusts_on_target", "letups", "pops", "pops_with_thrust", "duration_s",
                                 "audio_s", "warnings"),
                                SESSIONS_CSV_COLUMNS[:SESSIONS_CSV_COLUMNS.index("warnings") + 1])
# the reason of a gap where the logger's clock stepped back (its rows after a new run)
CLOCK_STEPPED_BACK = "clock stepped back"


def _meta_gaps(item: ReportItem) -> list:
    """The gaps a recording's session.json marks (none for a bare file)."""
    return list(item.inp.meta.gaps) if item.inp.meta is not None else []


def gap_figures(item: ReportItem) -> tuple[int, float, int]:
    """A recording's gaps as its page counts them (:func:`ui.review.trace.describe_gaps`: "gaps 3
    (dropped samples: 3), 0.2 s without data"): how many, the seconds without data (to the ms),
    and how many of them are where the logger's clock stepped back (a gap's reason is its first
    mark's, the recorder's before the events')."""
    spans, why = gap_reasons(item.events, _meta_gaps(item))
    return (len(spans), round(float(np.sum(spans[:, 1] - spans[:, 0])), 3) if len(spans) else 0.0,
            sum(r == CLOCK_STEPPED_BACK for r in why))


def _finished(item: ReportItem) -> bool | None:
    """Whether a session folder's recording finished, as ``library list`` says it
    (:func:`ui.library.finished`: its page warns "unfinished (still recording, or cut off)" or of
    a last line cut off where not); None for a bare file, of which nothing says."""
    from ui.library import finished
    if item.inp.meta is None or not Path(item.name).is_dir():
        return None
    return finished(item.name)


def _warnings_of(item: ReportItem) -> list[str]:
    """Every warning of a recording, once each: its warning events, its summary's, and those
    reading it gave (rows of force.csv skipped, a sample far off the scale), as the events CSV
    has a row for each."""
    note = item.force_note()
    said = [e.get("message") for e in item.events if e.get("type") == "warning"]
    summary = item.summary.get("warnings")
    return list(dict.fromkeys(str(w) for w in [*said, *(summary if isinstance(summary, list) else []),
                                               *item.inp.warnings, *([note] if note else [])]))


def _on_target(item: ReportItem) -> int | None:
    """How many of a recording's thrusts were on its V/HVLA target, as the thrusts table judges
    them; None with no such target or no thrust that can be judged (an IMU's alone)."""
    from ui.trainer.target import thrust_misses
    if item.aim is None:
        return None
    judged = [thrust_misses(e, item.aim) for e in item.events if e.get("type") == "thrust"]
    judged = [m for m in judged if m is not None]
    return sum(not m for m in judged) if judged else None


def overview_dates(items: list[ReportItem]) -> list[str]:
    """When each recording was made, as the overview gives it: with its seconds where two share a
    minute (:func:`ui.library.stats.dates_shown`); "" for one with no date."""
    return dates_shown([it.inp.meta.created if it.inp.meta else None for it in items])


def csv_dates(items: list[ReportItem]) -> list[str]:
    """When each recording was made, as the events and sessions CSVs give it: always to the second
    (:func:`ui.library.stats.full_date`), whichever recordings are written with it, so a
    spreadsheet sorting by date keeps two of one minute apart and CSVs of different weeks line up;
    "" for one with no date."""
    return [full_date(it.inp.meta.created if it.inp.meta else None) for it in items]


def _length_s(item: ReportItem, stats: dict) -> float | None:
    """A recording's length for the sessions CSV, as its page gives it (the force's, not its
    longer sound's: a term's practice time), to the ms; the stored figure when it has no summary."""
    if not isinstance(item.summary, dict) or not item.summary:
        return stats.get("duration_s")
    return round(recording_lengths(item.summary)[0], 3)


def _audio_length_s(item: ReportItem) -> float | None:
    """The length of a recording's sound (s), as its page gives it beside the force's ("75.7 s
    (audio 76.2 s)"), to the ms; of sound recorded alone, its length; None without sound."""
    span = (item.summary.get("spans_s") or {}).get("audio") if item.inp.audio_path is not None else None
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    return round(float(span[1]) - float(span[0]), 3)


def write_sessions_csv(items: list[ReportItem], fh, decimal_comma: bool = False) -> int:
    """One row a recording (:data:`SESSIONS_CSV_COLUMNS`) to the UTF-8 text file ``fh`` (opened
    with ``newline=""``), after a byte-order mark as the events CSV; returns the row count. Its
    trainee as the overview spells them, its date to the second (:func:`csv_dates`), its score (blank:
    none), cycles, those beyond R2 (blank: not known, no R2) and thrusts, thrusts on a V target (blank: no V target, or none judged), thrusts
    with a let-up (blank: no thrusts, or none known), every pop heard as the page's "pops" line
    and replay count them (blank: sound not analysed, or its pops unknown) and those tied to its
    thrusts (blank: none known), its duration (s: the force's, as its page gives it), its sound's
    (blank: none) and how many warnings it has; a spreadsheet sums a term's sessions by trainee.
    After those, what its page says of it: its gaps, the seconds without data and those where the
    clock stepped back (:func:`gap_figures`), how many of its thrusts have unknown pops (the
    overview's "3 (unknown at 1)"; every thrust's without sound; blank: no thrusts), whether it
    finished (``yes``/``no``, :func:`_finished`; blank: a bare file) and how many rows of its
    files reading them skipped. ``decimal_comma``: as :func:`write_csv`."""
    spell_trainees(items)
    rows = []
    for it, label, when in zip(items, distinct_names([it.name for it in items]), csv_dates(items)):
        st = it.stats
        letups, heard, (tied, unknown) = letups_cell(it), pops_heard(it), _thrusts_pops(it)
        n_gaps, without_s, steps = gap_figures(it)
        ended = _finished(it)
        rows.append({"recording": it.name, "name": spreadsheet_text(label), "trainee": spreadsheet_text(it.trainee),
                     "date": when, "target": spreadsheet_text(it.target or ""),
                     "score_pct": _tenth(st.get("score_pct")), "n_cycles": st.get("n_cycles"),
                     "n_beyond_r2": st.get("n_beyond_r2"), "n_thrusts": st.get("n_thrusts"),
                     "thrusts_on_target": _on_target(it), "letups": letups if letups.isdigit() else None,
                     "pops": heard,
                     # (a recording without thrusts, its sound heard, has none tied: 0, as its page says)
                     "pops_with_thrust": sum(tied) if st.get("n_thrusts") and tied else
                     0 if heard is not None and not st.get("n_thrusts") else None,
                     "duration_s": _length_s(it, st), "audio_s": _audio_length_s(it),
                     "warnings": len(_warnings_of(it)),
                     "gaps": n_gaps, "s_without_data": without_s, "clock_steps": steps,
                     "thrusts_pops_unknown": unknown if st.get("n_thrusts") else None,
                     "finished": None if ended is None else _cell(ended), "rows_skipped": it.inp.skipped_rows})
    fh.write("\ufeff")
    _csv_rows(fh, list(SESSIONS_CSV_COLUMNS), rows, decimal_comma)
    return len(rows)

