"""The session tab of the review window: whole recording, timeline of events, playback,
event details, re-analysis and comments.

Drawing stays cheap for an hour-long recording: the overview shows a min/max envelope of a
few thousand points; the detail plot holds the full-rate force but draws only what is in
view (pyqtgraph ``clipToView`` + peak downsampling, x as float64); the audio track shows a
min/max envelope computed in a background thread, and full-rate samples only when zoomed in
to a few seconds.

:class:`SessionView` holds the session shown, loads it, and moves and plays it; its parts are
mix-ins in modules of their own: :mod:`ui.review.session_layout` (the widgets and their layout),
:mod:`ui.review.session_events` (the event list and details, the grades and warnings, re-analysis
and comments) and :mod:`ui.review.session_marks` (what is drawn over the traces: the events'
marks, gaps, loud sound, screen changes, a file's stretch cut short, comments).
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from analysis.errors import InputError
from ui.review.data import ReviewSession, cut_streams, screen_changes
from ui.review.movement import COMPUTING, Movement, MovementWorker, movement_envelope, movement_trace
from ui.review.player import AudioOut, Playhead
from ui.review.session_events import (BEYOND_R2, DETAILS_MAX_ROWS, EVENT_COLUMNS, GRADES_FROM, MOVED_HEADING,
                                      WARNINGS_FOLDED, SessionEvents, event_time, thrust_pops_words)
from ui.review.session_layout import SessionLayout
from ui.review.session_marks import CUT_COLOR, CUT_LABEL_FILL, NOT_HELD_COLOR, SessionMarks
from ui.review.trace import audio_envelope, minmax_envelope, read_audio_window, screen_stretches, with_gaps

__all__ = ["BEYOND_R2", "CUT_COLOR", "CUT_LABEL_FILL", "DETAILS_MAX_ROWS", "DETAIL_WINDOW_S", "EVENT_COLUMNS",
           "GRADES_FROM", "MOVED_HEADING", "NOT_HELD_COLOR", "OVERVIEW_BINS", "RAW_AUDIO_MAX_S", "SessionView",
           "WARNINGS_FOLDED", "event_time", "no_force_words", "thrust_pops_words"]

OVERVIEW_BINS = 3000
DETAIL_WINDOW_S = 20.0
RAW_AUDIO_MAX_S = 8.0      # zoomed in closer than this, the audio track shows every sample


def no_force_words(rs: ReviewSession) -> str:
    """What the Session tab says of a recording with neither force nor a worn IMU's data, as the
    report words it ("No force was recorded (sound only)."), and where its pops are marked."""
    pops = rs.of_type("cavitation")
    return ("No force was recorded" + (" (sound only)" if rs.inp.audio_path is not None else "") + "."
            + (" The pops heard are marked at 0 N." if pops else ""))


class SessionView(SessionLayout, SessionEvents, SessionMarks, QWidget):
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

    def close_session(self) -> None:
        self.stop()
        self.timer.stop()
        if self._audio_job is not None:
            self._audio_job.cancel()
        self.movement.close()
        self._pool.shutdown(wait=True)
