"""The trainer's main window: reads the engine's buffers on a frame timer and draws.

:class:`TrainerWindow` builds the widgets and holds the calibration, target and feedback
schedule; its parts are mix-ins in modules of their own: :mod:`ui.trainer.frame` (what each
frame draws), :mod:`ui.trainer.status` (the status line, the banner and the status bar's messages,
with their widgets) and :mod:`ui.trainer.actions` (the commands and their keys).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QSizePolicy, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from analysis.errors import InputError
from firmware_bridge.recorder import LOST_SOUND
from ui import main_thread_gc
from ui.trainer import actions
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.buffers import WINDOW_RANGE_S
from ui.trainer.engine import Engine
from ui.trainer.feedback import MODES, Schedule
from ui.trainer.frame import CLIPPED, TrainerFrame
from ui.trainer.panels import GradePanel, LevelMeter, Pacer, ThrustPanel
from ui.trainer.plots import AudioStrip, ForcePlot
from ui.trainer.profiles import Calibration
from ui.trainer.recording import NoFolder
from ui.trainer.status import BANNER_FONT_PX, SILENT_S, MessageBar, StatusLine, TrainerStatus
from ui.trainer.target import Target
from ui.trainer.thrust_plots import MovementPlot

__all__ = ["CLIPPED", "FRAME_HZ", "LOST_SOUND", "SILENT_S", "TrainerWindow", "WINDOW_RANGE_S"]

log = logging.getLogger("gradecoach.trainer")

FRAME_HZ = 40.0          # the timer aims above the 30 fps promise so a late frame never drops below it
SHARE_UNIT = 1000         # (splitter sizes given as shares)


class TrainerWindow(TrainerFrame, TrainerStatus, actions.TrainerActions, QMainWindow):
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
