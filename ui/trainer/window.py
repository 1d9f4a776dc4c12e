"""The trainer's main window: reads the engine's buffers on a frame timer and draws."""

from __future__ import annotations

import logging
import math
import re
import textwrap
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QSizePolicy, QSplitter, QStatusBar, QTabWidget,
                               QVBoxLayout, QWidget)

from analysis.cavitation_features import joined
from analysis.errors import InputError
from analysis.events import ThrustEvent
from analysis.summary import consistency_score, near_spans
from firmware_bridge.recorder import LOST_SOUND
from ui import main_thread_gc
from ui.trainer import actions
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.buffers import WINDOW_RANGE_S
from ui.trainer.engine import ENVELOPE_RATE_HZ, Engine
from ui.trainer.feedback import MODES, Schedule
from ui.trainer.palette import ALERT
from ui.trainer.panels import LOST_NOTE, GradePanel, LevelMeter, Pacer, ThrustPanel
from ui.trainer.plots import AudioStrip, ForcePlot
from ui.trainer.profiles import Calibration
from ui.trainer.recording import NoFolder
from ui.trainer.target import Target, cycle_miss
from ui.trainer.thrust_plots import THRUST_AFTER_S, THRUST_BEFORE_S, MovementPlot
from ui.table import pct_text

log = logging.getLogger("gradecoach.trainer")

SILENT_S = 5.0           # a source with no sample this long after opening is said to be silent, and why
FRAME_HZ = 40.0          # the timer aims above the 30 fps promise so a late frame never drops below it
REC_ENDED = "the source has ended: Space saves"
PLAIN_WHY_CHARS = 40      # a disconnect's reason longer than this is left to the banner's tooltip
SHARE_UNIT = 1000         # (splitter sizes given as shares)
UNAVAILABLE = "source unavailable: S chooses another"     # the grade panel, when nothing could be read
PORT_WAIT = "waiting for the port to be free"     # (and while another program holds its serial port)
PLAYED_TO_END = " (ended; S for another source)"    # after a played file's name once it has ended
BANNER_PAD_PX = 6
# the banner's letters: this size, smaller down to the least where that keeps its line whole
BANNER_FONT_PX = (20, 15)
BANNER_WHERE_PX = 150    # a long port's name keeps this much of the banner before the recording's note goes
# the HVLA panel's line for a thrust no sound was heard around, the microphone on (or none to turn on)
NOT_HEARD = "no sound around its peak: pops not counted"
# ... and for one the microphone gave only silence around (every sample 0: muted, or dead), which
# replay of its folder reads as no usable sound too (docs/format.md)
SILENT = "silent microphone (every sample 0): pops not counted"
CLIPPED = "clipped sound around its peak: pops unknown (turn the gain down)"
NOTICE_MS = 15000        # a device's notice stays in the status line this long


def _waiting_note(waiting: tuple[float, float] | None, drawn: bool) -> str:
    """What the movement plot says while the IMU's newest run of data is held back."""
    if waiting is None:
        return ""
    got, need = waiting
    what = "the IMU is back after a dropout" if drawn else "waiting for the IMU"
    return f"{what}: {min(got, need):.1f} of the {need:g} s\nits movement is worked out from"


def imu_sets(cycles, gap_s: float) -> tuple[int, float]:
    """A worn IMU's cycles (in order) in sets, as a force sensor's are (a new set after
    ``gap_s`` without a cycle): the last set's number (0-based) and the time it began."""
    n, start, end = 0, None, None
    for c in cycles:
        if end is None or c.t_start - end >= gap_s:
            n, start = n + (end is not None), c.t_start
        end = c.t_end
    return n, start


def imu_off_note(why: str) -> str:
    """What the plot says when the IMU's analysis is off (its units wrong, an internal error):
    why, on short lines."""
    return "IMU analysis off:\n" + textwrap.fill(why, 44)


def _zero_run_into(t: np.ndarray, env: np.ndarray, t0: float, t1: float, min_s: float,
                   newest: float | None) -> bool:
    """Whether the sound envelope ``env`` at times ``t`` (s, in order) has a run of zeros that
    reaches into ``t0``-``t1`` and lasts ``min_s`` or more, or goes on to the ``newest`` sample
    (silence still coming); a time without envelope (the microphone off) ends a run."""
    if not len(env):
        return False
    z = env == 0
    if not z.any():
        return False
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0 / ENVELOPE_RATE_HZ
    new = np.ones(len(z), bool)
    new[1:] = (z[1:] != z[:-1]) | (np.diff(t) > 1.5 * dt)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(z)) - 1
    starts, ends = starts[z[starts]], ends[z[starts]]
    ta, tb = t[starts], t[ends] + dt
    long = (tb - ta >= min_s - dt / 2) | (t[ends] == newest)
    return bool(np.any(long & (ta <= t1) & (tb >= t0)))


def _where(spec: str, name: str) -> str:
    """Where a source was read, for the banner: the port or device, else its name."""
    return spec.split(":", 1)[1].split("@")[0] if spec.startswith(("serial:", "ble:")) else name or spec


# the words a serial source says a sensor that went silent with its port open in
# (firmware_bridge/serial_source.py): "no data from serial:… for 2 s (the port is open: …)"
SILENT_WORDS = re.compile(r"no data from .* for ([0-9.]+) s \(the port is open")
# the words ``screenshot --at`` says a hole in a recording's data in (ui/cmd_screenshot.py): nothing
# was lost or is being reconnected, the recording has no data there
HOLE_WORDS = re.compile(r".*: (no data in the recording from [0-9.]+ s to [0-9.]+ s)")


def _disconnected_text(message: str, recording: bool, spec: str = "", name: str = "",
                       where: str | None = None) -> str:
    """The banner while the sensor is away, short and plain: where it was read (``where``, or
    the port or name) and, when the source's words say it plainly, why; the words in full (a
    serial library's error, which runs over three lines) go in the banner's tooltip. A sensor
    silent with its port open is said to be so, not disconnected."""
    if where is None:
        where = _where(spec, name)
    hole = HOLE_WORDS.match(message)
    if hole:
        return hole.group(1)[0].upper() + hole.group(1)[1:] + (f" ({where})" if where else "")
    quiet = SILENT_WORDS.match(message)
    if quiet:           # (the port is open: the sensor stopped sending; nothing is being reconnected)
        return ("No data from the sensor" + (f" ({where})" if where else "") + f" for {quiet.group(1)} s, its port "
                "open — waiting for it…" + (" Recording goes on, the gap marked." if recording else ""))
    why = message
    for prefix in (spec, name):              # (a source names itself first)
        if prefix and why.startswith(prefix + ":"):
            why = why[len(prefix) + 1:]
    why = re.sub(r"^\s*\[Errno \d+\]\s*", "", why.split(" (")[0]).strip().rstrip(".,;")   # (OSError's number)
    if why.lower().endswith("reconnecting"):
        why = why[:-len("reconnecting")].rstrip(" ,;")
    plain = why if why and len(why) <= PLAIN_WHY_CHARS and why.lower() != "connection lost" else ""
    return ("Sensor disconnected" + (f" ({where})" if where else "") + (f": {plain}" if plain else "")
            + " — reconnecting…" + (" Recording goes on, the gap marked." if recording else ""))


FSI, PDI = "\u2068", "\u2069"    # a name's own direction, kept inside it (Unicode bidi isolates)
SEP = " · "
NAME_SHARE = 0.22            # a shortened status line gives the trainee at most this share of it ...
SOURCE_SHARE = 0.3           # ... and the source this one, before the end of the line is cut


def isolated(text: str) -> str:
    """``text`` as a bidi isolate when it holds right-to-left letters (Arabic, Hebrew): it reads
    in its own direction without turning the left-to-right line around it."""
    rtl = any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text)
    return f"{FSI}{text}{PDI}" if rtl else text


def _rtl_closed(text: str) -> str:
    """An isolate cut short by eliding still ends where the line does."""
    return text + PDI * max(0, text.count(FSI) - text.count(PDI))


class StatusLine(QLabel):
    """The trainer's status line: one line, left to right whatever the names in it, shortened
    with "…" to the width it is given, never wider (it does not push the recording label out).

    :meth:`set_fields` takes the trainee, the source and the other fields in order of use (the
    least useful last): when the line is too long, the trainee and the source are shortened to
    a share of the line first, then the end is cut. The whole line is in the tooltip.
    """

    def __init__(self) -> None:
        super().__init__("")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignAbsolute)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        self._fields: tuple = ("", "", "", ())
        self.full_text = ""

    def set_fields(self, name: str, suffix: str, source: str, rest: list[str]) -> None:
        """``name`` the trainee (isolated when right to left), ``suffix`` what follows it (its
        technique, already isolated), ``source``, then ``rest``."""
        fields = (name, suffix, source, tuple(rest))
        if fields != self._fields:
            self._fields = fields
            self.full_text = SEP.join([isolated(name) + suffix, source, *rest])
            self.setToolTip(self.full_text)
            self._fit()

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(e)
        self._fit()

    def showEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().showEvent(e)
        self._fit()

    def _fit(self) -> None:
        fm = self.fontMetrics()
        width = max(1, self.contentsRect().width())
        text = self.full_text
        if self.isVisible() and fm.horizontalAdvance(text) > width:    # (not laid out yet: all of it)
            name, suffix, source, rest = self._fields
            elide = Qt.TextElideMode.ElideRight
            who = isolated(fm.elidedText(name, elide, int(NAME_SHARE * width))) + suffix
            who = _rtl_closed(fm.elidedText(who, elide, int(NAME_SHARE * width)))
            # (a long name is shortened, not what follows it: "(ended; …)")
            tail = PLAYED_TO_END if source.endswith(PLAYED_TO_END) else ""
            room = int(SOURCE_SHARE * width)
            source = fm.elidedText(source[:len(source) - len(tail)], elide,
                                   max(room - fm.horizontalAdvance(tail), room // 3)) + tail
            text = _rtl_closed(fm.elidedText(SEP.join([who, source, *rest]), elide, width))
        if text != self.text():
            self.setText(text)


def elided_words(text: str, fm, width: int) -> str:
    """``text`` cut to ``width`` pixels at a word boundary, with "…" (all of it when it fits)."""
    if fm.horizontalAdvance(text) <= width:
        return text
    cut = fm.elidedText(text, Qt.TextElideMode.ElideRight, width).rstrip("…")
    after = text[len(cut):len(cut) + 1]
    if " " in cut and not (after.isspace() or after in ";,:" or cut[-1] in ");,:"):    # (mid-word)
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ;,:(") + "…"


class MessageBar(QStatusBar):
    """The status bar: a temporary message too long for the room left of the recording label is
    drawn cut at a word with "…" (Qt cut it mid-word, at the edge), the whole of it in the
    tooltip; :meth:`currentMessage` is the whole message."""

    def __init__(self) -> None:
        super().__init__()
        self.messageChanged.connect(lambda m: self._tip())

    def message_rect(self) -> QRect:
        right = self.width() - 12                # (as Qt places the message)
        for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if w.isVisible() and w.property("permanent"):
                right = min(right, w.x() - 2)
        return QRect(6, 0, max(1, right - 6), self.height())

    def shown_message(self) -> str:
        """The message as drawn."""
        return elided_words(self.currentMessage(), self.fontMetrics(), self.message_rect().width())

    def _tip(self) -> None:
        m = self.currentMessage()
        self.setToolTip(m if m and self.shown_message() != m else "")

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(e)
        self._tip()

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt)
        if not self.currentMessage():
            super().paintEvent(e)
            return
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        p.drawText(self.message_rect(), Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                   | Qt.TextFlag.TextSingleLine, self.shown_message())
        p.end()

    def addPermanentWidget(self, w, stretch: int = 0) -> None:  # noqa: N802 (Qt)
        w.setProperty("permanent", True)
        super().addPermanentWidget(w, stretch)


class TrainerWindow(actions.TrainerActions, QMainWindow):
    """Live trainer. ``engine`` holds the data; ``worker`` (optional) feeds it from a source.

    Without a worker the window draws whatever is fed to the engine (screenshots, tests).
    """

    def __init__(self, engine: Engine, worker: AcquisitionWorker | None = None, *, window_s: float = 10.0,
                 target: Target | None = None, calibration: Calibration | None = None,
                 feedback: str = "concurrent", record_root: str | Path = "sessions",
                 frame_hz: float = FRAME_HZ, log_path: Path | None = None, start_timer: bool = True,
                 trainee: str = "", technique: str = "") -> None:
        super().__init__()
        main_thread_gc.install()          # (Qt objects in garbage are deleted on this thread, not the acquisition's)
        self.setWindowTitle("gradecoach trainer")
        self.engine, self.worker = engine, worker
        self.target = target
        self.target_from_source = False       # True: the source's own (a recorded session's), not chosen
        self.rate_given: float | None = None    # --rate: the pace of a played session's target, or of III
        self.calibration = calibration
        self.schedule = Schedule(feedback)
        self.record_root = Path(record_root)
        self.trainee, self.technique = trainee.strip(), technique.strip()     # written into each recording
        self.log_path = log_path
        self.source_label = "replay"          # the status line's source when no worker reads one
        self.mic_device: str | None = None     # what the microphone key opens (None: the default input)
        self.mic_wanted = False                # asked for beside a recording with its own sound: it turns
                                               # on once a source without sound of its own is chosen
        self.frame_hooks: list = []          # f(window) after each frame (benchmarks)
        self.frames = 0
        self._thrust_traces: dict[int, tuple] = {}
        self._last_record_path: Path | None = None
        self._shown_at: tuple[int, float] | None = None     # the engine's timeline and the last frame's time

        self.banner = QLabel("")
        self._banner_style(BANNER_FONT_PX[0])
        self.banner.setWordWrap(True)
        self.banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)   # (never widens the window)
        self.banner.setMinimumWidth(1)
        self.banner.hide()
        self.force_plot = ForcePlot(window_s)
        self.audio_strip = AudioStrip(self.force_plot)
        self.pacer = Pacer()
        self.meter = LevelMeter()
        self.grade_panel = GradePanel()
        self.thrust_panel = ThrustPanel()
        self.movement = MovementPlot()
        for plot in (self.force_plot, self.audio_strip, self.thrust_panel.plot, self.movement):
            plot.give_way = engine.give_way       # (each paints after a feed in progress has ended)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.thrust_panel, "HVLA thrusts")
        self.tabs.addTab(self.movement, "Movement diagram")
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        # the banner over the force plot, whose data it says stopped: the grade and HVLA panels
        # beside it are what sets the window's least height (over the whole width it made an
        # 800x480 window 33 px taller)
        ll.addWidget(self.banner)
        row = QHBoxLayout()
        row.addWidget(self.force_plot, 1)
        row.addWidget(self.pacer)
        ll.addLayout(row, 1)
        ll.addWidget(self.audio_strip)
        ll.addWidget(self.meter)
        # the force plot never narrower than the HVLA numbers in rows of three beside it (a 500 px
        # window squeezed it to a strip while the panels kept their width)
        left.setMinimumWidth(self.thrust_panel.minimumWidth())
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.grade_panel)
        right.addWidget(self.tabs)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        # the plot keeps three fifths of the width and the grade over four ninths of the right-hand
        # side whatever the panels' size hints (sizes are shares until the window is shown)
        split.setSizes([3 * SHARE_UNIT, 2 * SHARE_UNIT])
        right.setSizes([4 * SHARE_UNIT, 5 * SHARE_UNIT])
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(4, 4, 4, 4)
        cl.addWidget(split, 1)
        self.setCentralWidget(central)
        self.setStatusBar(MessageBar())
        self.status = StatusLine()
        self.rec_label = QLabel("")
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.rec_label)
        # Qt hides the status line under a message only until the bar lays itself out again
        # (the recording label changing): then both were drawn over each other
        self.statusBar().messageChanged.connect(lambda m: self.status.setVisible(not m))
        self.build_actions()
        self.apply_schemes()
        self.resize(1366, 768)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.refresh)
        if start_timer:
            self.timer.start(int(round(1000.0 / frame_hz)))

    # ---- calibration and target ----
    def apply_schemes(self, grade_found: bool = False) -> None:
        """Push the window's calibration and target into the engine and the bands.
        ``grade_found``: a first calibration grades the cycles found without it
        (:meth:`Engine.set_schemes`)."""
        eng = self.engine
        scheme, thrust = eng.scheme, eng.thrust_scheme
        if self.calibration is not None:
            scheme = replace(scheme, r1_n=self.calibration.r1_n, r2_n=self.calibration.r2_n)
        if self.target is not None:
            scheme, thrust = self.target.apply(scheme, thrust)
        old = eng.recorder
        graded_anew = (scheme, thrust) != (eng.scheme, eng.thrust_scheme)
        if graded_anew:
            eng.set_schemes(scheme, thrust, grade_found)
        # a folder holds one calibration and target (its pacer rate and corridors too): recording
        # goes on into a new folder with the new ones (swapped in under the engine's lock: no
        # sample falls between the two), and the old one is saved with what it had; with no new
        # folder to be had it goes on as it began, its events graded as its session.json says
        if old is not None and not old.holds(scheme, thrust, self.target_key()):
            if eng.finished:                 # nothing more comes: a new recording would stay empty
                if (saved := self.stop_recording()) is not None:
                    self.statusBar().showMessage(f"saved {saved.name} with the old settings; no new recording: "
                                                 "the source has ended (S for another source)", 8000)
            else:
                self._new_folder_for(old, scheme)
        elif old is not None and old.screen_differs:    # back to the folder's own: the screen agrees again
            with eng.lock:
                eng.record_pending()
                old.screen_changed(scheme, self.target_detail(), own=True)
            self.show_recording(old)
        t = self.target
        zone = t.crest_zone(scheme) if t else None
        corridors = {"preload": t.preload_n, "peak": t.peak_n} if t is not None and t.is_thrust else None
        self.force_plot.set_bands(scheme.r1_n, scheme.r2_n, zone, corridors)
        self.thrust_panel.plot.set_corridors(t.preload_n if t else None, t.peak_n if t else None)
        self.pacer.rate_hz = t.rate_hz if t else None
        self.pacer.setVisible(self.pacer.rate_hz is not None)
        if t is not None and t.is_thrust:
            self.tabs.setCurrentWidget(self.thrust_panel)

    def _new_folder_for(self, old, scheme) -> None:
        """Go on recording into a new folder with the new settings, ``old`` saved; with no
        folder to be had, ``old`` goes on as it began and one line says so."""
        try:
            again = self.record_into(self.new_recorder())
        except NoFolder as e:
            self.keep_recording(old, e, scheme)
            return
        except InputError as e:
            self.show_problem(str(e))
            return
        old.close()
        if old.failed is not None:
            self.recording_stopped(old)
        elif old.kept:
            self._last_record_path = old.path
            log.info("recording saved: %s", old.path)
            self.statusBar().showMessage(f"saved {old.path.name} with the old settings; recording "
                                         f"{again.name} with the new ones", 8000)

    # ---- the frame ----
    def refresh(self) -> None:
        """Draw one frame from the buffers (the timer's slot; tests call it directly)."""
        eng = self.engine
        eng.give_way()                         # (and at its other pauses: Engine.give_way)
        events, notices = eng.drain()
        for rec in eng.take_stopped():          # (its folder refused a write: a full disk)
            self.recording_stopped(rec)
        for n in notices:                      # what the device says happened (a reset, an error)
            if n.kind == "info":
                self.statusBar().showMessage(n.message, NOTICE_MS)
        news = self.worker.take_mic_news() if self.worker is not None else []
        with eng.lock:                         # (the recording left another rate's sound out)
            news += eng.recorder.take_news() if eng.recorder is not None else []
        for line in news:
            self.statusBar().showMessage(line, NOTICE_MS)     # (the microphone refused, or gone)
        imu_only = eng.imu_only                # a worn IMU and no force sensor: show its movement
        shown = eng.movement if imu_only else eng.force
        # (the IMU's own clock: its plot scrolls while the movement is still being worked out)
        t_now = eng.imu_last_t if imu_only else shown.last_t
        if t_now is None:                     # only sound so far (or a recording of sound alone):
            t_now = eng.audio_env.last_t      # its envelope and pops scroll on its own clock
        away = eng.open_gap() if not imu_only else None
        if away is not None and t_now is not None:
            # the sensor away: the plot goes on scrolling, the time since it was lost hatched "no
            # data" as it grows (it stood still on the last sample until data came again), as far
            # as the microphone's sound, on the same timeline, has come when that is further
            heard = eng.audio_env.last_t
            if heard is not None and heard > away.t_end:
                away = replace(away, t_end=heard)
            t_now = max(t_now, away.t_end)
        if t_now is not None:
            # never back in time on one timeline: the data a sensor plugged back held back come a
            # little short of where the clock took the plot while it was away
            shown_at = self._shown_at
            if shown_at is not None and shown_at[0] == eng.generation:
                t_now = max(t_now, shown_at[1])
            self._shown_at = (eng.generation, t_now)
        self._banner()
        self._rec_ended()
        self.sync_toggles()
        if t_now is None:
            if eng.error:                     # the source could not be opened (no Bluetooth, a port
                # gone): no first cycle is coming from it (the banner says why)
                self.grade_panel.show_cycle(None, None, None, None,
                                            note=PORT_WAIT if eng.port_busy else UNAVAILABLE)
            self._show_status()
            return
        self.adopt_device_calibration()       # known by the time its first samples are
        w = self.force_plot.window_s
        t, y = shown.since(t_now - w)
        cycles = eng.recent_cycles(t_now - w)
        scheme = eng.scheme
        # (copies taken under the lock: the acquisition thread appends to them meanwhile, and a
        # deque read as it grows stops the frame with "deque mutated during iteration")
        with eng.lock:
            last = eng.cycles[-1] if eng.cycles else None
            pops = [p for p in eng.pops if p.t >= t_now - w]
            n_pops = len(eng.pops)
            gaps = list(eng.gaps) + ([away] if away is not None else [])
            disabled = dict(eng.disabled)
            imu_hint = eng.imu_units.hint if eng.imu_units is not None else None
            thrusts = [e for e in eng.thrusts if e.t_onset + 1.0 >= t_now - w]
            last_thrust = eng.thrusts[-1] if eng.thrusts else None
            moved = [(c.t_start, c.t_end) for c in eng.imu_cycles if c.t_end >= t_now - w] if imu_only else []
            last_moved = eng.imu_cycles[-1] if imu_only and eng.imu_cycles else None
            n_moved = len(eng.imu_cycles)
            imu_set = imu_sets(eng.imu_cycles, scheme.set_gap_s) if last_moved is not None else None
        if last is None and last_moved is not None:
            # a worn IMU alone: its cycles make the sets the schedule holds its movement back in,
            # as a force sensor's make the grade's (it was shown whatever the schedule)
            in_set = t_now - last_moved.t_end < scheme.set_gap_s
            view = self.schedule.view(in_set, imu_set[0], None)
            if not view.colours:             # (blind: the running set's cycles not marked either)
                moved = [m for m in moved if m[1] < imu_set[1]]
        else:
            in_set = last is not None and t_now - last.t_end < scheme.set_gap_s
            on_target = scheme.on_target(last.grade, last.modifier, last.beyond_r2) if last else None
            view = self.schedule.view(in_set, last.set_index if last else None, on_target)
        on_target = scheme.on_target(last.grade, last.modifier, last.beyond_r2) if last else None
        drawn_cycles = cycles if view.colours else [c for c in cycles if c.set_index != last.set_index]
        settling, waiting = eng.imu_settling() if imu_only else ([], None)
        if waiting is not None:              # (the newest run: nothing of it drawn yet)
            settling = settling[:-1]
        self.force_plot.show_movement(imu_only)
        eng.give_way()
        imu_off = disabled.get("imu")          # (its units wrong, an error: nothing of it is coming)
        self.force_plot.update_plot(t, y, t_now, drawn_cycles, pops, gaps, thrusts, ungraded=moved,
                                    settling=settling, note=imu_off_note(imu_off) if imu_only and imu_off
                                    else _waiting_note(waiting, bool(len(t))))
        self.movement.say_off(imu_off)
        score = consistency_score(eng.set_cycles(last.set_index)) if last else None
        note = view.note
        small = eng.undersized()
        if small is not None and (last is None or small[0] > last.t_end) and t_now - small[0] < scheme.set_gap_s:
            note = " · ".join(filter(None, (note, small[1])))     # why the hand's oscillation is not graded
        # crests beyond R2 (a safety matter) in the set are counted, whatever the schedule: the
        # grade's own "beyond R2!" goes with the next cycle, and a schedule may hide it
        in_last_set = eng.set_cycles(last.set_index) if last is not None else []
        beyond = sum(bool(c.beyond_r2) for c in in_last_set)
        if view.summary and last is not None:
            pct = [scheme.on_target(c.grade, c.modifier, c.beyond_r2) for c in in_last_set]
            known = [p for p in pct if p is not None]
            note = (f"set: {len(in_last_set)} cycles" + (f", {pct_text(100 * sum(known) / len(known))} % on target"
                                                         if known else "")
                    + (f" · {beyond} beyond R2" if beyond else ""))
        elif view.live and beyond and beyond > last.beyond_r2:    # (the last one's own "beyond R2!" says it)
            note = " · ".join(filter(None, (note, f"set: {beyond} beyond R2")))
        away = eng.away                        # (or back, with none of its data come yet)
        self.thrust_panel.lost_note = LOST_NOTE if away else None
        eng.give_way()
        shown_thrust, moved_mm = self._thrusts(t_now)
        if away:                              # nothing new comes: what is shown is from before
            self.grade_panel.show_lost()
        elif last_thrust is not None and (last is None or last_thrust.t_onset > last.t_end) and \
                (last_moved is None or last_thrust.t_onset > last_moved.t_end):
            self.grade_panel.show_thrust(last_thrust, visible=view.live or not in_set,
                                         moved_mm=moved_mm if shown_thrust is last_thrust else None,
                                         target=self.target)
        elif imu_only:
            self.grade_panel.show_movement(last_moved, n_moved, off=imu_off, visible=view.live, note=view.note,
                                           hint=imu_hint)
        elif eng.force.last_t is None and eng.imu_last_t is None:     # sound alone, so far
            told = eng.sensor_streams
            self.grade_panel.show_sound(n_pops, told is not None and not told & {"force", "imu"},
                                        f"pops not counted: {disabled['audio']}" if "audio" in disabled
                                        else None)
        else:
            self.grade_panel.show_cycle(last, score, self.target.text if self.target else None, on_target,
                                        visible=view.live, note=note, alert=beyond > 0,
                                        miss=cycle_miss(last, scheme) if last is not None else None)
        if any(c.loop for c in cycles):
            self.movement.update_loops(cycles)
        if eng.audio_env.total:
            with eng.lock:                     # (those in view: an hour of talk keeps about 900)
                loud = joined([(a, b) for a, b in eng.loud_spans() if b > t_now - w])
            self.audio_strip.update_envelope(*eng.audio_env.since(t_now - w), t_now, loud)
        self.meter.set_level(eng.audio_level_db, eng.audio_clipping, eng.sound_ended, eng.mic_silent)
        phase = self.pacer.set_time(t_now)
        self.metronome_tick(phase)
        self._show_status()
        self.frames += 1
        for hook in self.frame_hooks:
            hook(self)

    def _thrusts(self, t_now: float) -> tuple[ThrustEvent | None, float | None]:
        """Draw the HVLA tab; returns its newest thrust and how far the hand moved from its onset
        to its peak (an IMU's measure, for a force thrust too when an IMU is beside the force
        sensor; None when unknown), for the grade panel to show too."""
        eng = self.engine
        with eng.lock:
            thrusts = list(eng.thrusts)[-self.thrust_panel.plot.MAX_SHOWN:]
        imu_only = eng.imu_only              # no force: the hand's movement (mm) around each thrust
        self.thrust_panel.plot.show_movement(imu_only)    # (its axis from the start, not the first thrust)
        if not thrusts:
            return None, None
        shown = eng.movement if imu_only else eng.force
        for ev in thrusts:
            k = id(ev)
            got = self._thrust_traces.get(k)
            if got is None or not got[3]:
                tt, yy = self._thrust_trace(ev, shown, imu_only)
                self._thrust_traces[k] = (ev, tt, yy, t_now >= ev.t_onset + THRUST_AFTER_S)
        keep = {id(ev) for ev in thrusts}
        self._thrust_traces = {k: v for k, v in self._thrust_traces.items() if k in keep}
        last: ThrustEvent = thrusts[-1]
        with eng.lock:
            pops = [p for p in eng.pops if p.thrust == last.index]
            audio_off = eng.disabled.get("audio")
        self.thrust_panel.plot.update_thrusts([self._thrust_traces[id(ev)][:3] for ev in thrusts], pops)
        moved = None
        if last.displacement_mm is not None:   # measured from onset to peak by the IMU (beside a force too)
            moved = last.displacement_mm
        elif imu_only:                       # from onset to peak, on the movement drawn
            _, tt, yy, _ = self._thrust_traces[id(last)]
            if len(tt) and tt[0] <= last.t_onset and last.t_peak <= tt[-1]:
                moved = float(np.interp(last.t_peak, tt, yy) - np.interp(last.t_onset, tt, yy))
        heard = eng.samples.get("audio", 0) > 0
        listening = heard and audio_off is None
        near, silent = self._sound_around(last.t_peak) if listening and not pops else (True, False)
        with eng.lock:
            w = eng.thrust_scheme.pop_window_ms / 1000.0
            clipped = listening and not pops and near_spans(last.t_peak, list(eng.clip_spans), w)
            lost = listening and not pops and near_spans(last.t_peak, list(eng.sound_lost), w)
        if lost:
            # silence stands in for sound lost on the way: "no pop" would be said where none
            # could be heard (replay of the recording has its pops unknown, '–')
            self.thrust_panel.show_thrust(last, [], False, LOST_SOUND, moved_mm=moved)
        elif clipped:
            # sound held at its ceiling hides a pop: "no pop" would be said where none could be
            # heard (replay of the recording has its pops unknown, '–')
            self.thrust_panel.show_thrust(last, [], False, CLIPPED, moved_mm=moved)
        elif silent:
            # a muted or dead microphone hears no pop: "no pop" would be said of a thrust nobody
            # heard, and it is not off for A to turn on
            self.thrust_panel.show_thrust(last, [], False, SILENT, moved_mm=moved)
        elif not near:
            # the microphone was off at its peak (or a played recording's sound had ended): "no
            # pop" would be said of a thrust nobody heard
            w = self.worker
            off = w is not None and not w.mic_on and self.mic_refused(w.source) is None     # (A would hear it)
            self.thrust_panel.show_thrust(last, [], False, *(() if off else (NOT_HEARD,)), moved_mm=moved)
        elif heard and not listening:
            self.thrust_panel.show_thrust(last, pops, False, f"pops not counted: {audio_off}",
                                          moved_mm=moved)
        elif audio_off is not None:
            # a microphone asked for and refused (a sound file given as one, none of that name):
            # why, in the words the status line starts with, not "no microphone ... (key A)",
            # which would meet the same refusal (its advice stays on the status line)
            self.thrust_panel.show_thrust(last, pops, False, f"pops not counted: {audio_off.split('; ')[0]}",
                                          moved_mm=moved)
        else:
            partly = bool(pops) and listening and not self._heard_whole(last)
            # heard in sound that hides most pops (a voice, music): "no pop heard (loud sound)",
            # or "at least 2 pops, … (loud sound)", as replay says it (its peak in it); asked
            # only here, where it is shown
            with eng.lock:
                masked = listening and near_spans(last.t_peak, eng.loud_spans())
            self.thrust_panel.show_thrust(last, pops, listening, moved_mm=moved, partly_heard=partly,
                                          masked=masked)
        return last, moved

    def _heard_whole(self, ev: ThrustEvent) -> bool:
        """Whether the sound covered every time a pop could be tied to the thrust ``ev`` at, as
        replay's summary judges it (:func:`analysis.summary.window_heard`: from the sound's first
        time to its end, a microphone still on reaching on), with no time the microphone was off
        nor a stretch of silence in it (:meth:`_sound_around`): else the pops heard are a least
        number."""
        from analysis.pipeline import (PEAK_BEFORE_TRIGGER_S, POP_FOUND_BEFORE_END_S, POP_FOUND_FROM_S,
                                       POP_LOOK_AHEAD_S)
        from analysis.summary import window_heard
        eng, w = self.engine, self.engine.thrust_scheme.pop_window_ms / 1000.0
        with eng.lock:
            start, end, ended = eng.sound_start, eng.sound_end(), eng.sound_ended
        if start is None or end is None:
            return False
        # (sound that may still come, a microphone on or a played recording's not ended, reaches on)
        on = (self.worker is not None and self.worker.mic_on) or not ended
        heard = (start + POP_FOUND_FROM_S, math.inf if on else end - POP_FOUND_BEFORE_END_S)
        if not window_heard(ev.t_onset, ev.t_peak, heard, w, POP_LOOK_AHEAD_S + PEAK_BEFORE_TRIGGER_S):
            return False
        near, silent = self._sound_around(ev.t_peak)
        return near and not silent

    def _sound_around(self, t_s: float) -> tuple[bool, bool]:
        """Whether sound was heard within a pop's tie window of ``t_s``, or may still come (the
        microphone is on and its sound has not reached that far yet), and the microphone was
        not off for any of that window (a recording says the same of it); and whether that
        window reaches into silence, a run of samples all 0 as long as replay's stretch of no
        usable sound (DEAD_MIN_S, 1 s) or going on still (a muted or dead microphone: its
        envelope, each millisecond's loudest sample, is 0 throughout the run), as replay of the
        recording reads it. Judged on the envelope the trainer keeps (a minute): within a
        millisecond of where the run starts and ends, where replay judges in frames of 0.1 s."""
        from firmware_bridge.replay.dead_audio import DEAD_MIN_S
        eng, w = self.engine, self.engine.thrust_scheme.pop_window_ms / 1000.0
        with eng.lock:
            t, env = eng.audio_env.between(t_s - w - DEAD_MIN_S, t_s + w + DEAD_MIN_S)
            last = eng.audio_env.last_t
            if near_spans(t_s, eng.off_spans(), w):
                return False, False
        inside = (t >= t_s - w) & (t <= t_s + w)
        near = bool(inside.any())
        silent = near and _zero_run_into(t, env, t_s - w, t_s + w, DEAD_MIN_S, last)
        on = self.worker is not None and self.worker.mic_on
        return near or (on and (last is None or last < t_s + w)), silent

    def _thrust_trace(self, ev: ThrustEvent, shown, imu_only: bool) -> tuple[np.ndarray, np.ndarray]:
        """What the HVLA plot draws of ``ev``: its force, or with a worn IMU alone the hand's
        movement as its "hand moved" figure is measured (from the hold before it), not the
        band-limited trace of the scrolling plot, which rose under half of that figure from a
        simulated thrust's onset to its peak. That trace when the IMU measured no hold before it."""
        t0, t1 = ev.t_onset - THRUST_BEFORE_S, ev.t_onset + THRUST_AFTER_S
        p = self.engine.analyzer.processors.get("imu") if imu_only else None
        if p is not None and ev.displacement_mm is not None:
            with self.engine.lock:
                tt, yy = p.thrust_curve(ev.t_onset, t0, t1)
            if len(tt):
                return tt, yy
        return shown.between(t0, t1)

    def _rec_ended(self) -> None:
        """A recording whose source has played to its end says so: nothing more comes into it."""
        rec = self.engine.recorder
        if rec is not None and self.engine.finished and not self.rec_label.text().endswith(REC_ENDED):
            self.rec_label.setText(f"● REC  {rec.path.name} — {REC_ENDED}")

    def _banner(self) -> None:
        eng = self.engine
        w = self.worker
        spec, name = (w.source.spec, w.source.info.get("name", "")) if w is not None else ("", self.source_label)
        away = eng.disconnected is not None and not eng.error
        text, one_line = eng.error or "", False
        if away:
            text, one_line = self._away_line(eng.disconnected, eng.recorder is not None, spec, name)
        elif not text and eng.away:         # back, its first data not come yet (a serial one holds a second)
            where = _where(spec, name)
            text, one_line = f"Sensor back{f' ({where})' if where else ''} — waiting for its data…", True
        detail = eng.disconnected if eng.disconnected and not eng.error else ""
        nothing = eng.force.last_t is None and eng.movement.last_t is None and eng.audio_env.last_t is None
        if not text and nothing and w is not None and w.opened_at is not None:
            waited = time.monotonic() - w.opened_at
            if waited >= SILENT_S:           # nothing on the plot, and nothing said why
                text = f"{w.source.spec}: {w.source.silent(round(waited))}"
        if text:
            self.banner.setWordWrap(not one_line)   # (the words of an error may need two lines)
            if not away:
                self._banner_style(BANNER_FONT_PX[0])
            self.banner.setText(text)
            self.banner.setToolTip(detail)
            self.banner.show()
            if eng.error and self.statusBar().currentMessage().startswith("reading "):
                self.statusBar().clearMessage()     # (the source it announced could not be read)
        else:
            self.banner.hide()

    def _banner_style(self, font_px: int) -> None:
        style = f"background: {ALERT}; color: white; font-size: {font_px}px; padding: {BANNER_PAD_PX}px"
        if self.banner.styleSheet() != style:
            self.banner.setStyleSheet(style)

    def _away_line(self, message: str, recording: bool, spec: str, name: str) -> tuple[str, bool]:
        """The banner's text while the sensor is away, on one line of the force plot's width (two
        lines took the plots' room on a small screen): a long port name is cut at its start, and
        the letters made smaller (not below ``BANNER_FONT_PX[1]``). Returns the text and whether
        it fits on one line: what does not, even so, the banner wraps rather than cut its words
        (the window is no taller for it: the force plot beside the panels has room to spare)."""
        room = self.banner.parentWidget().contentsRect().width() - 2 * BANNER_PAD_PX - 4
        self.banner.ensurePolished()              # (its style sheet's font)
        font = QFont(self.banner.font())
        for px in range(BANNER_FONT_PX[0], BANNER_FONT_PX[1] - 1, -1):
            font.setPixelSize(px)
            fm = QFontMetrics(font)
            text = self._away_text(message, recording, spec, name, fm, room)
            if fm.horizontalAdvance(text) <= room:
                self._banner_style(px)
                return text, True
        self._banner_style(BANNER_FONT_PX[0])     # (on two lines: in its own size)
        return text, False

    @staticmethod
    def _away_text(message: str, recording: bool, spec: str, name: str, fm: QFontMetrics, room: int) -> str:
        """The banner's line in ``fm``'s letters, a long port cut at its start to fit ``room``
        (then the recording's note left out: the recording label says it records)."""
        where = _where(spec, name)
        text = _disconnected_text(message, recording, spec, name, where)
        for note in ((recording, False) if recording else (False,)):
            text = _disconnected_text(message, note, spec, name, where)
            over = fm.horizontalAdvance(text) - room
            if over <= 0 or not where:
                break
            keep = fm.horizontalAdvance(where) - over
            if keep >= BANNER_WHERE_PX or note is False:     # (the recording label says it records)
                # (a port's end tells it: ttyUSB0, s.pty)
                text = _disconnected_text(message, note, spec, name, fm.elidedText(
                    where, Qt.TextElideMode.ElideLeft, max(keep, BANNER_WHERE_PX)))
                break
        return text

    def _status_fields(self) -> tuple[str, str, str, list[str]]:
        """The status line's trainee, what follows it, its source and the other fields, the
        least useful last (what the plot or the menu shows anyway)."""
        eng = self.engine
        src = self.worker.source.info.get("name", self.worker.source.spec) if self.worker else self.source_label
        origin = self.calibration.name if self.calibration else ""
        if origin and origin == src:         # (the source's own: its name is there already)
            spec = self.worker.source.spec if self.worker else ""
            origin = ("the session" if src.startswith("session ") else
                      "the recording" if spec.startswith("file:") else "the device")
        if eng.finished:                     # a recording played with file: has no more to give
            src += PLAYED_TO_END
        sch = eng.scheme
        cal = (f"R1 {sch.r1_n:g} N, R2 {sch.r2_n:g} N" + (f" from {origin}" if origin else "")
               if sch.calibrated else "IMU alone: no force to grade" if eng.imu_only else "not calibrated (press C)")
        tgt = f"target {self.target.text}" if self.target else "no target (press T)"
        with eng.lock:
            disabled = dict(eng.disabled)
        off = [f"{k} analysis off: {v}" for k, v in disabled.items()]
        suffix = (f" ({isolated(self.technique)})" if self.technique else "") + ("" if self.trainee else " (press N)")
        # samples lost on the link, and the audio the recording's microphone lost (in record's
        # words), matter more than the target's hint, the schedule and the window
        lost = eng.mic_loss_note()
        return (self.trainee or "no trainee", suffix, src,
                [cal, f"dropped {eng.dropped}", *([lost] if lost else []), tgt, *off,
                 f"feedback {self.schedule.mode}",
                 f"window {self.force_plot.window_s:g} s"])

    def _status_text(self) -> str:
        """The whole status line (the label shows it shortened to its width)."""
        name, suffix, src, rest = self._status_fields()
        return SEP.join([isolated(name) + suffix, src, *rest])

    def _show_status(self) -> None:
        self.status.set_fields(*self._status_fields())

    def set_window_s(self, seconds: float) -> None:
        self.force_plot.window_s = float(np.clip(seconds, *WINDOW_RANGE_S))

    def set_feedback(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.schedule = Schedule(mode)
        with self.engine.lock:                 # the recording says which schedule was shown from when
            self.engine.record_pending()       # (from the last sample the live analysis had)
            if self.engine.recorder is not None:
                self.engine.recorder.feedback_changed(mode)

    def closeEvent(self, e) -> None:  # noqa: N802 (Qt)
        self.timer.stop()
        if self.engine.recorder is not None:
            self.stop_recording()
        if self.worker is not None:
            self.worker.stop()
        super().closeEvent(e)

