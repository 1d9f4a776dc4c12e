"""The trainer's data side: analysis, ring buffers, recording — fed by a worker thread.

:class:`Engine` is fed chunks (by ``ui.trainer.acquisition.AcquisitionWorker`` live, or
synchronously by the screenshot command and tests) and keeps everything the window draws. The
GUI only *reads* it on its frame timer; nothing here touches Qt.

:class:`Engine` keeps the buffers, the feeding and analysis, and what the window reads; its other
parts are mix-ins in modules of their own: :mod:`ui.trainer.source_state` (the source's opening,
notices, gaps and end), :mod:`ui.trainer.sound_state` (the sound heard: the meter, the microphone
on, off or silent) and :mod:`ui.trainer.recording_feed` (what a recording is fed, its start and
stop).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import replace

import numpy as np

from analysis.cavitation import MIN_RATE_HZ
from analysis.chunk import Chunk, add_span, lost_span
from analysis.events import CavitationEvent, CycleEvent, Event, GapEvent, ThrustEvent
from analysis.imu import ImuCycleEvent, UnitsNote
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.sources import Notice
from ui.trainer.buffers import RingBuffer
from ui.trainer.microphone import CLIP_SPANS_KEPT, ClipMeter
from ui.trainer.recording_feed import RECORD_BEHIND_S, EngineRecording, MicCount
from ui.trainer.sound_state import ENVELOPE_RATE_HZ, MIC_SILENT_S, SOUND_ENDED_S, EngineSound
from ui.trainer.source_state import (GAP_DISCONNECTED, GAP_DROPPED, GAPS_KEPT, LATE_NOT_LOST_PERIODS, SAME_GAP_WITHIN,
                                     EngineSource, played_sound_name)

__all__ = ["ENVELOPE_CAPACITY", "ENVELOPE_RATE_HZ", "FORCE_CAPACITY", "GAPS_KEPT", "GAP_DISCONNECTED", "GAP_DROPPED",
           "GIVE_WAY_S", "LATE_NOT_LOST_PERIODS", "MIC_SILENT_S", "RECORD_BEHIND_S", "SAME_GAP_WITHIN",
           "SOUND_ENDED_S", "Engine", "MicCount", "played_sound_name"]

log = logging.getLogger("gradecoach.trainer")

FORCE_CAPACITY = 1 << 18       # 262 s at 1 kHz: the plot shows at most 60 s
ENVELOPE_CAPACITY = 1 << 16

# the longest the window's frame waits at one of its pauses for a feed in progress (give_way)
GIVE_WAY_S = 0.004


class Engine(EngineSource, EngineSound, EngineRecording):
    """Analysis and buffers shared by the acquisition thread (writer) and the GUI (reader).

    ``clock`` stamps arrivals (sample-to-screen latency); tests pass a fake one.
    """

    def __init__(self, scheme: GradingScheme | None = None, thrust: ThrustScheme | None = None,
                 clock=time.monotonic) -> None:
        self.clock = clock
        self.scheme = scheme or GradingScheme()
        self.thrust_scheme = thrust or ThrustScheme()
        self.lock = threading.RLock()
        self._idle = threading.Event()      # no feed in progress (give_way)
        self._idle.set()
        self.recorder = None
        # what the live analysis has had and the recording has not yet: with ``record_later`` (the
        # acquisition thread's), a recording analyses each chunk after the live analysis gave its
        # events, when the thread has fed what came, in pieces of about RECORD_BATCH_S
        # (record_pending), so that a pop is shown without waiting for the recording's own analysis
        # of it; each stream in order, and all of it before anything else reaches the recording (a
        # gap, its start or stop, a change it stamps with its time)
        self.record_later = False
        self._to_record: deque = deque()
        # the microphone read now and its losses at its last read ([its number, loss dict]),
        # where a recording that starts counts them from
        self._mic_loss: tuple[int, dict] | None = None
        self._stopped: list = []            # recordings whose folder refused a write, for the window
        # which source's timeline this is: a worker feeds under the number it was made with, so
        # an old source's thread still running after a switch cannot feed the new one's timeline
        self.generation = 0
        self._fresh()

    def _fresh(self) -> None:
        """Buffers, analysis and counters as before the first sample."""
        self.force = RingBuffer(FORCE_CAPACITY)
        # the hand's movement into the tissue (mm) from a worn IMU: what the plot shows when no
        # force sensor is read (the IMU's band-limited displacement, which leads the movement
        # slightly: docs/imu.md)
        self.movement = RingBuffer(FORCE_CAPACITY)
        self.imu_cycles: deque[ImuCycleEvent] = deque(maxlen=2000)
        # the streams the source says its sensor gives (Source.sensor_streams); None: it cannot
        # say, and a worn IMU's data before any force is taken for an IMU alone
        self.sensor_streams: frozenset[str] | None = None
        self.imu_first_t: float | None = None      # the IMU's first and newest sample times
        self.imu_last_t: float | None = None
        self.audio_env = RingBuffer(ENVELOPE_CAPACITY)
        self.audio_level_db: float | None = None
        # the sound heard has ended (a played recording's, cut short or played to its end): the
        # meter says so instead of the last level
        self.sound_ended = False
        # a microphone is on: its sound ends when it is turned off, not when it falls behind the
        # sensor's data (set by the acquisition worker)
        self.mic_open = False
        # the microphone is on but has given no sound for :data:`MIC_SILENT_S` of the sensor's
        # data: the meter says so instead of its last level
        self.mic_silent = False
        # the sensor's time when the microphone was turned on (taken at its next data): one that
        # never gives any sound is not heard either
        self._mic_on_from: float | None = None
        # whether the recent sound clipped (the meter says to turn the gain down)
        self.clip_meter = ClipMeter()
        self.audio_clipping = False
        # where the sound clipped (start, end of its chunks with samples held at the ceiling while
        # the meter says it clips): a thrust with no pop heard whose tie window reaches into one
        # has its pops unknown, as replay of the recording reads clipped sound (the last hour's)
        self.clip_spans: deque[tuple[float, float]] = deque(maxlen=CLIP_SPANS_KEPT)
        # the times the microphone was off between two of its sounds (as a recording marks them),
        # and since when it is off now (the end of its last sound; None: on, or never heard)
        self.sound_off: deque[tuple[float, float]] = deque(maxlen=GAPS_KEPT)
        self._sound_end: float | None = None
        # the silence the microphone gave for sound lost on the way (its dropped blocks, its input
        # overflows): no pop could be heard there, so a thrust near one has its pops unknown
        self.sound_lost: deque[tuple[float, float]] = deque(maxlen=GAPS_KEPT)
        self.sound_start: float | None = None       # the first sound's time (under the lock)
        self._sound_off_from: float | None = None
        # a played session's times its microphone was off (its session.json's), on its timeline
        self._played_off: list[tuple[float, float]] = []
        # each stream's processor is made when its first chunk comes: an IMU read alone then
        # keeps its own thrusts (an idle force processor would claim them, and hold pops forever)
        self.analyzer = Analyzer(self.scheme, self.thrust_scheme, streams=())
        self._loud_before: list[tuple[float, float]] = []   # of the analyzers and detectors let go
        self.cycles: deque[CycleEvent] = deque(maxlen=2000)
        self.thrusts: deque[ThrustEvent] = deque(maxlen=200)
        self.pops: deque[CavitationEvent] = deque(maxlen=2000)
        # one gap per hole: the source's mark (disconnected, dropped samples) when it told of it,
        # else the analysis's first "dropout" of it; the plot shades each
        self.gaps: list[GapEvent] = []
        self._imu_restarts: list[float] = []       # ends of the IMU's dropouts: its movement settles anew
        self._new: list[Event] = []
        self._notices: list[Notice] = []
        self.disconnected: str | None = None     # banner text while a source is away
        self._gap_from: float | None = None      # when the source was lost (its time), while away
        self._gap_clock = 0.0                     # ... and the clock then, to time a gap still open
        # ... whether only the source told of it (with its time), and whether it then said it is back
        # with no time: all it took meanwhile may have come late (a serial device paused, then caught
        # up), which the first data after it tell (:meth:`_gap_ends`)
        self._gap_told = False
        self._gap_late = False
        # ... and where the source said it ends, when it said it is back with that time before its
        # first data (a serial device holds its first second back): the gap stays open on screen,
        # and the sensor away, until those data come, and then ends there
        self._gap_back_t: float | None = None
        self.dropped = 0                          # samples missing by sequence number
        # ... in each stream: a device sending force and IMU samples in one frame loses both at
        # once, so a lost frame counts once (the stream that lost the most), as replay counts it
        self._dropped_by: dict[str, int] = {}
        self._seq_next: dict[str, int] = {}
        # streams whose next jump in sequence numbers is the time the source was away (its gap is
        # "disconnected", not samples dropped): marked at a disconnect, cleared by that jump
        self._seq_across_loss: set[str] = set()
        # the source's time of its last loss (inf: not told), for a stream whose first data comes
        # only after the disconnect's notice (a serial device holds its first second back)
        self._lost_t: float | None = None
        self.samples: dict[str, int] = {}
        self.arrivals: deque[tuple[float, float]] = deque(maxlen=4096)   # (t_data_last, wall)
        self.disabled: dict[str, str] = {}      # stream -> why its analysis is off
        self.off_notes: dict[str, str] = {}     # stream -> the warning replay gives of it, when off for it
        self.imu_units: UnitsNote | None = None  # the IMU's units shown wrong (its analysis off for it)
        # where the sound fed now comes from, for the warnings about it (the microphone, or the
        # played recording's audio file): set by the worker as it starts either
        self.sound_from: str | None = None
        self._sound_form: tuple | None = None     # the sound's rate and channels, as last analysed
        self.error: str | None = None
        self.port_busy = False      # the error is a serial port another program holds, opened once free
        self.finished = False
        self._set_base = self._thrust_base = 0   # numbering carried over a fresh analyzer
        self._n_cut = 0                          # thrusts its IMU data broke off in (thrusts_cut)
        self._new_set = False                     # the next cycle begins a set (new settings)

    def restart(self) -> None:
        """Another source: its timeline starts anew, so what the last one gave is let go
        (stop any recording first)."""
        with self.lock:
            self.generation += 1
            self._fresh()
            self._mic_loss = None           # (the new source's worker counts its microphone anew)

    # ---- writer side (acquisition thread) ----
    def current(self, gen: int | None) -> bool:
        """Whether a worker made at ``gen`` (None: any caller) still feeds this timeline."""
        return gen is None or gen == self.generation

    def set_schemes(self, scheme: GradingScheme, thrust: ThrustScheme, grade_found: bool = False) -> None:
        """New calibration or target: the cycles found from now on start a set of their own and
        are graded with them; drawn cycles stay. A new target or calibration (R1 and R2) keeps
        the analysis going (:meth:`Analyzer.regrade`): the cycles in progress are found and graded with
        the new settings, where a fresh analysis lost the two or so it had not confirmed yet.
        Any other change (a played session's alpha, minimum amplitude or pop window) starts a
        fresh analyzer. ``grade_found``: a first calibration (a device's own, known only once it
        answered, after its first data) grades the cycles found without it, and their set goes on."""
        with self.lock:
            if (scheme, thrust) == (self.scheme, self.thrust_scheme):
                return                          # (the same: no new set)
            first = grade_found and not self.scheme.calibrated and scheme.calibrated
            kept = self.analyzer.regrade(scheme, thrust)
            self.scheme, self.thrust_scheme = scheme, thrust
            if first:
                self._grade_found()
            if kept and first and all(c.grade is not None for c in self.cycles):
                return                          # (all graded alike: their set goes on)
            if kept:
                # (set when its first cycle comes: one the analysis finds in the same set as the
                # last shown goes on after it all the same)
                self._new_set = any(c.set_index is not None for c in self.cycles)
                return
            self._loud_before += self.analyzer.loud_spans()
            self.analyzer = Analyzer(scheme, thrust, streams=tuple(self.analyzer.processors))
            self._n_cut = 0
            self._new_set = False
            # the fresh analyzer counts sets and thrusts from 0: go on after the ones already shown,
            # so new cycles do not join an old set and a pop is not counted for an old thrust (nor
            # for an IMU thrust going on, which the fresh analysis does not finish: the pops that
            # named it are tied to none, and its number is not given again)
            given = max([t.index + 1 for t in self.thrusts if t.index is not None] + [self._thrust_base])
            going = {p.thrust for p in self.pops if p.thrust is not None and p.thrust >= given}
            self._set_base = max([c.set_index + 1 for c in self.cycles if c.set_index is not None]
                                 + [self._set_base])
            self._thrust_base = max([given] + [i + 1 for i in going])
            self._untie(going)

    def _grade_found(self) -> None:
        """The cycles shown that were found without a calibration, graded with the one now known
        (as the analysis grades each: ``GradingScheme.grade`` of its crest and amplitude)."""
        s = self.scheme
        for i, c in enumerate(self.cycles):
            if c.grade is None:
                g, m, pct, beyond = s.grade(c.crest_n, c.amplitude_n)
                self.cycles[i] = replace(c, grade=g, modifier=m, crest_pct=pct, beyond_r2=beyond)

    def feed(self, chunk: Chunk, gen: int | None = None) -> list[Event]:
        if len(chunk) == 0:
            return []
        self._idle.clear()
        try:
            return self._feed(chunk, gen)
        finally:
            self._idle.set()

    def give_way(self) -> None:
        """(GUI thread, at the pauses of a frame.) Wait, at most :data:`GIVE_WAY_S`, for a feed in
        progress on the acquisition thread to end: waiting lets the interpreter go, and the feed
        (a pop's, 2 ms) runs on without the frame taking it back each time it let it go."""
        if not self._idle.is_set():
            self._idle.wait(GIVE_WAY_S)

    def _feed(self, chunk: Chunk, gen: int | None) -> list[Event]:
        with self.lock:
            if not self.current(gen):
                return []                          # from a source no longer read
            self._check_seq(chunk)
            if self._gap_from is not None and chunk.stream in ("force", "imu"):
                # data from after the loss end its gap; what a source hands over late from before
                # it (a serial device's blocks held back in its first second) does not
                k = int(np.searchsorted(chunk.t_s, self._gap_from, side="right"))
                if k < len(chunk) and self._gap_back_t is not None:
                    self._close_gap(self._gap_back_t)       # (where the source said it ends)
                elif k < len(chunk) and (chunk.stream == "force" or self._no_force()):
                    self._gap_ends(chunk, k)
            if chunk.stream == "force":
                v = chunk.values if chunk.values.ndim == 1 else chunk.values[:, 0]
                self.force.extend(chunk.t_s, v)
                self.arrivals.append((float(chunk.t_s[-1]), self.clock()))
            elif chunk.stream == "audio":
                self._sound_back(chunk)
                self._audio(chunk)
                if (span := lost_span(chunk)) is not None:
                    add_span(self.sound_lost, *span)
            elif chunk.stream == "imu":
                t0, t1 = float(chunk.t_s[0]), float(chunk.t_s[-1])
                self.imu_first_t = t0 if self.imu_first_t is None else self.imu_first_t
                self.imu_last_t = t1 if self.imu_last_t is None else max(self.imu_last_t, t1)
            events = self._analyse(chunk)
            if chunk.stream == "imu" and self._no_force():    # drawn only when there is no force
                self._movement()
            self._keep(events)
            if chunk.stream in ("force", "imu"):
                events = events + self._sound_past(float(chunk.t_s[-1]))
                self._mic_heard_by(float(chunk.t_s[-1]))
            if self.recorder is not None:
                self._to_record.append((chunk, events, chunk.stream not in self.disabled,
                                        self.sound_from if chunk.stream == "audio" else None))
                if not self.record_later:
                    self._record_pending()
        return events

    def _analyse(self, chunk: Chunk) -> list[Event]:
        """Force analysis failing is a bug and stops acquisition; an optional processor (pops,
        IMU) failing is logged, switched off and reported, and practice goes on without it."""
        if chunk.stream in self.disabled:
            return []
        if chunk.stream == "audio" and chunk.rate_hz and chunk.rate_hz < MIN_RATE_HZ:
            self.disabled["audio"] = f"audio at {chunk.rate_hz:g} Hz; pops need {MIN_RATE_HZ / 1000:g} kHz"
            self.analyzer.processors.pop("audio", None)
            return []
        if chunk.stream == "audio":
            form = (chunk.rate_hz, np.shape(chunk.values)[1:])
            if self._sound_form not in (None, form):    # another microphone, at another rate:
                old = self.analyzer.processors.pop("audio", None)     # its own detector from its first sample
                self._loud_before += getattr(old, "loud_spans", [])
            self._sound_form = form
        try:
            events = self._numbered(self.analyzer.feed(chunk))
        except Exception:
            if chunk.stream == "force":
                raise
            log.exception("%s analysis failed; switched off", chunk.stream)
            self.disabled[chunk.stream] = "internal error (details in the log file)"
            self.analyzer.processors.pop(chunk.stream, None)
            return []
        if chunk.stream == "imu":
            self._imu_units()
        return events

    def _imu_units(self) -> None:
        """An IMU whose units show wrong (acceleration in g, rotation in °/s: ``units_wrong``)
        gives no movement, cycles or thrusts from then on, as replay leaves them out: its
        analysis is switched off and says why (the trainer waited for a first cycle that could
        not come, and said nothing). The note replay gives is kept (:attr:`off_notes`)."""
        p = self.analyzer.processors.get("imu")
        if p is None or p.t_last is None or not p.units_wrong(p.t_last):
            return
        said = "the IMU's units are wrong: its movement and thrusts are left out"
        u = p.units_note() or UnitsNote(said, None, said)
        self.imu_units = u                  # (its hint, for the grade panel)
        self.disabled["imu"] = u.said
        self.off_notes["imu"] = u.note
        self.analyzer.processors.pop("imu", None)     # (a force cycle waits for no movement from it)

    def _numbered(self, events: list[Event]) -> list[Event]:
        if not (self._set_base or self._thrust_base or self._new_set):
            return events
        out = []
        for e in events:
            if isinstance(e, CycleEvent) and e.set_index is not None and self._new_set:
                # the first cycle since a new target or calibration begins a set after the last shown
                self._new_set = False
                shown = [c.set_index + 1 for c in self.cycles if c.set_index is not None]
                self._set_base = max(shown + [e.set_index + self._set_base]) - e.set_index
            if isinstance(e, CycleEvent) and e.set_index is not None:
                e = replace(e, set_index=e.set_index + self._set_base)
            elif isinstance(e, ThrustEvent) and e.index is not None:
                e = replace(e, index=e.index + self._thrust_base)
            elif isinstance(e, CavitationEvent) and e.thrust is not None:
                e = replace(e, thrust=e.thrust + self._thrust_base)
            out.append(e)
        return out

    def _movement(self) -> None:
        """Take the IMU's displacement computed since the last call into :attr:`movement`."""
        p = self.analyzer.processors.get("imu")
        if p is not None:
            self.movement.extend(*p.movement_after(self.movement.last_t))

    def _keep(self, events: list[Event]) -> None:
        for e in events:
            if isinstance(e, CycleEvent):
                self.cycles.append(e)
            elif isinstance(e, ThrustEvent):
                self.thrusts.append(e)
            elif isinstance(e, CavitationEvent):
                self.pops.append(e)
            elif isinstance(e, GapEvent):
                if e.stream == "imu":
                    self._imu_restarts.append(e.t_end)
                self._dropout(e)
            elif isinstance(e, ImuCycleEvent):
                self.imu_cycles.append(e)
        self._new.extend(events)
        cut = self.analyzer.thrusts_cut()
        if len(cut) != self._n_cut:
            self._n_cut = len(cut)
            self._untie({i + self._thrust_base for i in cut})

    def _untie(self, indices: set[int]) -> None:
        """The pops shown that named a thrust of ``indices`` tied to none, as the summary counts
        them: a pop heard during an IMU's thrust names it at once, and the data may break off in it
        before it is known (:meth:`Analyzer.thrusts_cut`), or a fresh analysis leave it unfinished."""
        for i, p in enumerate(self.pops):
            if p.thrust is not None and p.thrust in indices:
                self.pops[i] = replace(p, thrust=None)

    # ---- reader side (GUI thread) ----
    def drain(self) -> tuple[list[Event], list[Notice]]:
        with self.lock:
            ev, self._new = self._new, []
            no, self._notices = self._notices, []
        return ev, no

    def _no_force(self) -> bool:
        told = self.sensor_streams
        return "force" not in told if told is not None else self.force.total == 0

    @property
    def imu_only(self) -> bool:
        """True when a worn IMU is read and no force: the plot then shows the hand's movement
        (or, before there is any, that it is waiting for it). A sensor whose source says it
        gives force never counts, even before its first force sample; one whose source cannot
        say counts until its first force sample."""
        return self.imu_last_t is not None and self._no_force()

    def imu_settling(self) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
        """What the IMU's movement cannot show yet, for the plot to say so.

        Returns ``(settling, waiting)``: ``settling`` the ``(t_from, t_to)`` spans in which the
        movement drawn is still settling (the start of each run of IMU data: the first sample's
        time and each dropout's end, for ``ImuProcessor.settle_s``); ``waiting`` is ``(got_s, need_s)``
        while the newest run is held back before any of its movement is known (its filters start
        from its first ``need_s``: analysis/imu.py), else None.
        """
        with self.lock:
            p = self.analyzer.processors.get("imu")
            if p is None or self.imu_first_t is None:
                return [], None
            starts = [self.imu_first_t] + self._imu_restarts
            settle = p.settle_s
            waiting = None
            last = self.movement.last_t
            if last is None or last < starts[-1]:
                waiting = (max(0.0, self.imu_last_t - starts[-1]), float(p.s.start_s))
            return [(a, a + settle) for a in starts], waiting

    def undersized(self) -> tuple[float, str] | None:
        """The newest run of oscillations too small to be graded: (its end time, what to say)."""
        with self.lock:
            cycles = getattr(self.analyzer.processors.get("force"), "cycles", None)
            return cycles.small.latest if cycles is not None else None

    def recent_cycles(self, t_from: float) -> list[CycleEvent]:
        with self.lock:
            return [c for c in self.cycles if c.t_end >= t_from]

    def set_cycles(self, set_index: int) -> list[CycleEvent]:
        with self.lock:
            return [c for c in self.cycles if c.set_index == set_index]
