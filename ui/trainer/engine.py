"""The trainer's data side: analysis, ring buffers, recording — fed by a worker thread.

:class:`Engine` is fed chunks (by ``ui.trainer.acquisition.AcquisitionWorker`` live, or
synchronously by the screenshot command and tests) and keeps everything the window draws. The
GUI only *reads* it on its frame timer; nothing here touches Qt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from analysis.cavitation import MIN_RATE_HZ
from analysis.chunk import Chunk, add_span, joined_chunks, lost_span
from analysis.events import CavitationEvent, CycleEvent, Event, GapEvent, ThrustEvent
from analysis.imu import ImuCycleEvent, UnitsNote
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK
from firmware_bridge.session import same_hole
from firmware_bridge.sources import Notice, Source
from ui.trainer.buffers import RingBuffer
from ui.trainer.microphone import CLIP_JOIN_S, CLIP_SPANS_KEPT, UNPLACED, ClipMeter
from ui.trainer.recording import SOUND_GAP_S

log = logging.getLogger("gradecoach.trainer")

FORCE_CAPACITY = 1 << 18       # 262 s at 1 kHz: the plot shows at most 60 s
ENVELOPE_RATE_HZ = 1000.0      # the audio drawn on screen: one peak per millisecond
ENVELOPE_CAPACITY = 1 << 16
# a gap's reason, in the words docs/format.md gives (the device's own message goes to the log)
GAP_DISCONNECTED = "disconnected"
GAP_DROPPED = "dropped samples"
# the source's and the analysis's marks of one hole (session.same_hole) come within a few gaps
# of each other
SAME_GAP_WITHIN = 8
# samples after a silence that follow the last before it within this many sample periods: none
# lost (the serial source's own test of a silence after which all of it came late)
LATE_NOT_LOST_PERIODS = 1.5
GAPS_KEPT = 2000               # as many as cycles (the plot shows a minute at most)
# sound that comes with the sensor's data (a played recording's) has ended once the sensor's data
# run this far past its last sample with none since: the two come in the same reads, a chunk
# (hundredths of a second) apart at most. (A microphone's sound ends when it is turned off.)
SOUND_ENDED_S = 0.5
# a microphone on that has given no sound while the sensor's data ran this far past its last (a USB
# microphone that stalls without an error) is not heard: the meter says so instead of its last
# level (its blocks come every few milliseconds)
MIC_SILENT_S = 1.0
# how far (s of data) a recording may fall behind the live analysis while sound waits to be fed
# first (Engine.record_pending; a microphone delivering faster than real time always has some)
RECORD_BEHIND_S = 0.5


@dataclass(frozen=True)
class MicCount:
    """The microphone numbered ``number`` lost ``loss`` so far, counted after the live analysis had
    its sound: waiting for the recording behind that sound (which it may be fed later), so that
    the recording judges these losses by the sound they came with (``Recorder.count_mic_loss``)."""
    number: int
    loss: dict


def _batched(items: list) -> list:
    """Chunks waiting for the recording (chunk, live events, analysed, sound from), each stream's
    in its own order, the sensor's streams before the sound; a chunk that continues the one before
    it in its stream one sample later, with the same rate, shape and flags, is joined to it. A
    microphone's count (:class:`MicCount`) stays behind the sound it followed: after the joined
    piece holding that sound, the latest of each microphone's counts there (what it lost is
    added up from one count to the next, and all the sound of one piece is recorded alike)."""
    runs: dict[str, list[tuple[list[tuple], dict]]] = {}
    for it in items:
        run = runs.setdefault("audio" if isinstance(it, MicCount) else it[0].stream, [])
        if isinstance(it, MicCount):
            if not run:
                run.append(([], {}))
            run[-1][1].pop(it.number, None)
            run[-1][1][it.number] = it
        elif run and run[-1][0] and _continues(run[-1][0][-1], it):
            run[-1][0].append(it)
        else:
            run.append(([it], {}))
    out: list = []
    for s in sorted(runs, key=lambda s: s == "audio"):
        for group, counts in runs[s]:
            if len(group) == 1:
                out.append(group[0])
            elif group:
                out.append((joined_chunks([g[0] for g in group]), [e for g in group for e in g[1]], *group[0][2:]))
            out.extend(counts.values())
    return out


def _continues(a: tuple, b: tuple) -> bool:
    """Whether ``b``'s chunk continues ``a``'s (see :func:`_batched`)."""
    ca, cb = a[0], b[0]
    if (a[2:] != b[2:] or ca.meta or cb.meta or not ca.rate_hz or ca.rate_hz != cb.rate_hz
            or not len(ca) or not len(cb) or ca.values.shape[1:] != cb.values.shape[1:]
            or ca.values.dtype != cb.values.dtype or (ca.seq0 >= 0 and cb.seq0 != ca.seq0 + len(ca))):
        return False
    return 0.5 / ca.rate_hz < float(cb.t_s[0]) - float(ca.t_s[-1]) < 1.5 / ca.rate_hz


def _same_hole(a: GapEvent, b: GapEvent) -> bool:
    return same_hole((a.t_start, a.t_end), (b.t_start, b.t_end))






def played_sound_name(source: Source) -> str | None:
    """The audio file a source plays (a recorded session's ``audio.flac``), as the warnings about
    its sound name it, or None when it plays none."""
    if "audio" not in (getattr(source, "streams", None) or {}):
        return None
    path = getattr(getattr(source, "input", None), "audio_path", None)
    return str(path) if path is not None else source.spec





# the longest the window's frame waits at one of its pauses for a feed in progress (give_way)
GIVE_WAY_S = 0.004


class Engine:
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

    def source_opened(self, source: Source, gen: int | None = None) -> None:
        """The source is open: what it says its sensor gives decides the view, not which of its
        streams sends first (a recording's IMU may start a second before its force)."""
        with self.lock:
            if not self.current(gen):
                return
            self.sensor_streams = source.sensor_streams
            self.sound_from = played_sound_name(source)
            # (its sound holds silence for them, which the pop detector hears as sound)
            inp = getattr(source, "input", None)
            self._played_off = [(float(a), float(b)) for a, b in getattr(inp, "audio_off", None) or ()]
            # (of which the sound lost on the way is said as such: "sound lost around its peak")
            lost = [(float(a), float(b)) for a, b in getattr(inp, "audio_lost", None) or ()]
            self.sound_off.extend(span for span in self._played_off if span not in lost)
            self.sound_lost.extend(lost)
            # a played session whose microphone delivered far off its own rate (replay's judgement
            # of it): its sound is not placed in time with the force, as of such a microphone live
            if getattr(inp, "audio_unplaced", False):
                self.sound_not_placed()

    def sound_not_placed(self) -> None:
        """The sound fed from now on is not placed in time with the force (a microphone, or a
        played session's, that delivered far off its own rate): its pops are not counted, since
        a pop near a thrust, or none, says nothing of it. The thrust panel says "–" and "pops not
        counted: …" (not "no pop"), the status line "audio analysis off: …", and a recording
        analyses none of its sound. (Under :attr:`lock`.)"""
        self.disabled["audio"] = UNPLACED
        self.analyzer.processors.pop("audio", None)

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

    def record_pending(self, live_waits=None, batch_s: float = 0.0) -> None:
        """The recording analyses and writes what the live analysis had since the last call
        (:attr:`record_later`). With ``batch_s``, only once that much data (s) waits, each
        stream's run of it as one piece where it continues without a break (:func:`_batched`):
        the analysis costs per piece, and its events do not depend on the pieces.
        ``live_waits()`` True (sound captured and not yet fed) stops it between two pieces, for
        the live analysis to have that first, unless the recording is more than
        :data:`RECORD_BEHIND_S` behind. (Acquisition thread, between its reads; anyone else: all
        of it, now.)"""
        with self.lock:
            self._record_pending(live_waits, batch_s)

    def _record_pending(self, live_waits=None, batch_s: float = 0.0) -> None:
        q = self._to_record
        if not q:
            return
        chunks = [it[0] for it in q if not isinstance(it, MicCount)]
        span = max(float(c.t_s[-1]) for c in chunks) - min(float(c.t_s[0]) for c in chunks) if chunks else 0.0
        if span < batch_s:
            return

        def yields() -> bool:                   # (sound waits, and the recording may wait for it)
            return live_waits is not None and span <= RECORD_BEHIND_S and live_waits()
        if yields():
            return                              # (before joining: the pieces are joined when fed)
        if batch_s:
            self._to_record = q = deque(_batched(list(q)))
        while q:
            if self.recorder is None:           # (stopped at a write its folder refused)
                q.clear()
                return
            it = q.popleft()
            if isinstance(it, MicCount):
                if hasattr(self.recorder, "count_mic_loss"):
                    self.recorder.count_mic_loss(it.number, it.loss)
                continue
            chunk, events, analyse, sound_from = it
            self.recorder.feed(chunk, events, analyse=analyse, sound_from=sound_from)
            self._check_written()
            if q and yields():
                return

    def _check_written(self) -> None:
        """A recording whose folder refused a write (a full disk: its ``failed``) stopped there:
        it is taken away, for the window to say so (:meth:`take_stopped`); practice goes on."""
        rec = self.recorder
        if rec is not None and getattr(rec, "failed", None) is not None:
            self.recorder = None
            self._stopped.append(rec)

    def take_stopped(self) -> list:
        """The recordings that stopped at a write their folder refused since the last call."""
        with self.lock:
            out, self._stopped = self._stopped, []
        return out

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

    def _check_seq(self, chunk: Chunk) -> None:
        s = chunk.stream
        self.samples[s] = self.samples.get(s, 0) + len(chunk)
        if chunk.seq0 < 0:
            return
        want = self._seq_next.get(s)
        if want is None and self._lost_t is not None and float(chunk.t_s[0]) < self._lost_t:
            self._seq_across_loss.add(s)           # data from before a loss already told of
        elif want is not None and chunk.seq0 != want and s in self._seq_across_loss:
            self._seq_across_loss.discard(s)       # what it sent while away, or a restarted count
        elif want is not None and chunk.seq0 > want:
            self._dropped_by[s] = self._dropped_by.get(s, 0) + chunk.seq0 - want
            self.dropped = max(self._dropped_by.values())
        self._seq_next[s] = chunk.seq0 + len(chunk)

    def _movement(self) -> None:
        """Take the IMU's displacement computed since the last call into :attr:`movement`."""
        p = self.analyzer.processors.get("imu")
        if p is not None:
            self.movement.extend(*p.movement_after(self.movement.last_t))

    def _audio(self, chunk: Chunk) -> None:
        x = np.abs(chunk.values)
        if not np.isfinite(x).all():            # (samples that are not numbers count as 0, as in replay:
            x = np.where(np.isfinite(x), x, 0.0)     # the meter read 'audio nan dBFS')
        if x.ndim > 1:                          # the loudest channel at each sample
            x = x.max(axis=1)
        rate = chunk.rate_hz or (1.0 / np.median(np.diff(chunk.t_s)) if len(chunk) > 1 else ENVELOPE_RATE_HZ)
        step = max(1, int(round(rate / ENVELOPE_RATE_HZ)))
        n = len(x) // step * step
        if n:
            env = x[:n].reshape(-1, step).max(axis=1)
            self.audio_env.extend(chunk.t_s[:n:step], env)
        rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
        self.audio_level_db = 20.0 * np.log10(max(rms, 1e-6))
        # (a rate told, or read from the stamps: to the hertz, so that jitter is not another microphone)
        for t0, t1 in self.clip_meter.feed(chunk.t_s, chunk.values, chunk.rate_hz or round(rate)):
            if self.clip_spans and t0 - self.clip_spans[-1][1] <= CLIP_JOIN_S:
                self.clip_spans[-1] = (self.clip_spans[-1][0], t1)
            else:
                self.clip_spans.append((t0, t1))
        self.audio_clipping = self.clip_meter.clipping

    def sound_stopped(self) -> None:
        """The microphone was turned off (or lost, or another chosen): off from the end of its
        last sound until sound comes again; the pops it was still deciding are given from the
        sound there was (:meth:`_finish_sound`). (Acquisition thread.)"""
        with self.lock:
            self.mic_open = self.mic_silent = False
            if self._sound_off_from is None:
                self._sound_off_from = self._sound_end
            self._keep(self._finish_sound())

    def _sound_past(self, t_s: float) -> list[Event]:
        """The sensor's data reached ``t_s``: sound that comes with them (no microphone on, nor
        one turned off since) and has none since :data:`SOUND_ENDED_S` before has ended (a played
        recording's sound cut short), as replay reads the end of its file: the pops waiting for
        more of it are decided, and the meter shows no level."""
        end = self._sound_end
        if (self.mic_open or self._sound_off_from is not None or self.sound_ended or end is None
                or t_s - end <= SOUND_ENDED_S):
            return []
        self._sound_ended()
        events = self._finish_sound()
        self._keep(events)
        return events

    def mic_opened(self) -> None:
        """A microphone was turned on (the acquisition worker, holding :attr:`lock`)."""
        self.mic_open, self.mic_silent, self._mic_on_from = True, False, None

    def _mic_heard_by(self, t_s: float) -> None:
        """The sensor's data reached ``t_s``: a microphone on whose last sound ended (or that was
        turned on, with none since) more than :data:`MIC_SILENT_S` before gives none (stalled
        without an error, or never started): its last level is not one heard now, and "no
        microphone" is not what it is. Only the meter's; the pops wait for its sound as they did."""
        if not self.mic_open or self.mic_silent:
            return
        if self._mic_on_from is None:
            self._mic_on_from = t_s
        end = self._mic_on_from if self._sound_end is None else max(self._sound_end, self._mic_on_from)
        if t_s - end > MIC_SILENT_S:
            self.mic_silent = True
            self.audio_level_db, self.audio_clipping = None, False

    def _sound_ended(self) -> None:
        self.sound_ended = True
        self.audio_level_db, self.audio_clipping = None, False
        self.clip_meter.stop()

    def _finish_sound(self) -> list[Event]:
        """The sound stopped: the pop detector decides the candidates still waiting for the sound
        after them (``CavitationDetector.finish``, as replay does at the end of a sound file), and
        their pops are tied to their thrusts as the force passes them, as any pop is; sound that
        comes again starts a detector of its own (as another microphone's does)."""
        try:
            events = self.analyzer.finish_stream("audio")
        except Exception:
            log.exception("audio analysis failed; switched off")
            self.disabled["audio"] = "internal error (details in the log file)"
            return []
        return self._numbered(events)

    def played_to_end(self, gen: int | None = None) -> None:
        """The source has no more to give (a recording played to its end): its analysis is
        finished as replay finishes it, giving what waited for more data (the last pops, and
        what the force held), and the sound has ended. (Acquisition thread.)"""
        with self.lock:
            if not self.current(gen) or self.finished:
                return
            self.finished = True
            if self._sound_end is not None:
                self._sound_ended()
            self._keep(self._finish_sound())
            self._keep(self._numbered(self.analyzer.finish()))

    def _sound_back(self, chunk: Chunk) -> None:
        """Sound again after the microphone was off: that time is kept (:meth:`off_spans`)."""
        a, t0 = self._sound_off_from, float(chunk.t_s[0])
        self._sound_off_from = None
        self.sound_ended = self.mic_silent = False
        if a is not None and t0 - a > SOUND_GAP_S:
            self.sound_off.append((a, t0))
        rate = chunk.rate_hz or 0.0
        if self.sound_start is None:
            self.sound_start = t0
        self._sound_end = float(chunk.t_s[-1]) + (1.0 / rate if rate else 0.0)

    def sound_end(self) -> float | None:
        """The end of the last sound received (s; None before any). (Under the lock.)"""
        return self._sound_end

    def loud_spans(self) -> list[tuple[float, float]]:
        """The stretches (s) of sound that hides pops, as the pop detectors heard them (a voice,
        music: :attr:`~analysis.cavitation.CavitationDetector.loud_spans`): a thrust there with
        no pop heard is not said to have none, one with pops a least number. (Under the lock.)"""
        return [*self._loud_before, *self.analyzer.loud_spans()]

    def off_spans(self) -> list[tuple[float, float]]:
        """The times the microphone was off after it was heard, the one going on now to no end,
        and its silence for sound lost on the way (:attr:`sound_lost`): a thrust whose tie window
        reaches into one has its pops unknown. (Under the lock.)"""
        now = [] if self._sound_off_from is None else [(self._sound_off_from, np.inf)]
        return [*self.sound_off, *self.sound_lost, *now]

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

    def notice(self, n: Notice, gen: int | None = None) -> None:
        """A source's notice: a disconnect opens a gap, and data close it (at the end a reconnect
        told of, else at the first of them: it stays open until they come); a reconnect with no
        time, after a disconnect the source told the time of, then data that go on from the last
        before it close none: all it took meanwhile came late."""
        with self.lock:
            if not self.current(gen):
                return
            self._notices.append(n)
            if n.kind == "disconnected":
                self.disconnected = n.message or "the device went away"
                self._seq_across_loss = set(self._seq_next)
                self._lost_t = n.t_s if n.t_s is not None else float("inf")
                self._gap_late, self._gap_back_t = False, None
                if self._gap_from is None:
                    self._gap_from = n.t_s if n.t_s is not None else self.force.last_t
                    self._gap_clock = self.clock()
                    self._gap_told = n.t_s is not None
                elif n.t_s is None:                 # (a read that failed, reopened: time was lost)
                    self._gap_told = False
            elif n.kind == "reconnected":
                self.disconnected = None
                t_end = n.t_end_s if n.t_end_s is not None else n.t_s     # (t_s: when it was lost)
                if t_end is not None and self._gap_from is not None:
                    self._gap_back_t = max(self._gap_from, t_end)     # (closed by its first data)
                elif t_end is None and self._gap_told:
                    self._gap_late = True
            elif n.kind == "gap" and n.t_s is not None and n.t_end_s is not None:
                self._add_gap(n.t_s, n.t_end_s, GAP_DROPPED)
            elif n.kind == "clock" and n.t_s is not None and n.t_end_s is not None:
                # a played file's clock that stepped back (told before the samples from t_end_s):
                # a new run of that stream from there, its gap marked, as replay cuts and marks it
                self.analyzer.cut_before(n.t_end_s, n.stream)
                self._add_gap(n.t_s, n.t_end_s, CLOCK_STEPPED_BACK, n.stream)
            log.info("source %s: %s", n.kind, n.message)     # (the device's own words: in the log)

    def _gap_ends(self, chunk: Chunk, k: int) -> None:
        """The first force sample after the loss (``chunk``'s ``k``-th) ends its gap. After a source
        that said it is back with no time, one following the last before the silence at the rate
        means that all of it came late: no gap, nothing lost, as ``record`` marks none."""
        t_k = float(chunk.t_s[k])
        step = float(np.median(np.diff(chunk.t_s))) if len(chunk) > 1 else 0.0
        rate = chunk.rate_hz or (1.0 / step if step > 0 else 0.0)
        if self._gap_late and rate > 0 and t_k - self._gap_from <= LATE_NOT_LOST_PERIODS / rate:
            self._gap_from, self._gap_late = None, False
            self._seq_across_loss, self._lost_t = set(), None
            return
        self._close_gap(t_k)

    def _close_gap(self, t_end: float) -> None:
        self._gap_late, self._gap_back_t = False, None
        t0, self._gap_from = self._gap_from, None
        if t0 is None:
            return
        self._add_gap(t0, max(t0, t_end), GAP_DISCONNECTED)

    def _add_gap(self, t0: float, t1: float, reason: str, stream: str = "force") -> None:
        """A hole the source told of, in place of the analysis's "dropout" of it (if it came first)."""
        g = GapEvent(t0, t1, stream, reason, t_detect_s=t1)
        recent = self.gaps[-SAME_GAP_WITHIN:]
        if any(e.reason == "dropout" and _same_hole(e, g) for e in recent):
            # (a new list: the GUI reads this one without the lock)
            self.gaps = self.gaps[:-len(recent)] + [e for e in recent if not (e.reason == "dropout" and _same_hole(e, g))]
        self._keep_gap(g)
        self._new.append(g)
        self._record_pending()
        if self.recorder is not None:
            self.recorder.gap(g)
            self._check_written()

    def _dropout(self, e: GapEvent) -> None:
        """The analysis's mark of a hole: a gap, unless the source told of it or another stream's
        dropout marked it already (then that gap spans both marks, under its reason)."""
        n = len(self.gaps)
        i = next((i for i in range(n - 1, max(-1, n - 1 - SAME_GAP_WITHIN), -1) if _same_hole(e, self.gaps[i])), None)
        if i is None:
            self._keep_gap(e)
            return
        g = self.gaps[i]
        if e.t_start < g.t_start or e.t_end > g.t_end:
            self.gaps[i] = replace(g, t_start=min(g.t_start, e.t_start), t_end=max(g.t_end, e.t_end))

    def _keep_gap(self, g: GapEvent) -> None:
        self.gaps.append(g)
        if len(self.gaps) > 2 * GAPS_KEPT:          # (a slow link's gaps come many a second)
            self.gaps = self.gaps[-GAPS_KEPT:]
            self._imu_restarts = self._imu_restarts[-GAPS_KEPT:]

    def fail(self, message: str, gen: int | None = None, port_busy: bool = False) -> None:
        """The source cannot be read: ``message`` says why; ``port_busy``: another program holds
        its port, which is opened as soon as it is free (it is waited for, not given up)."""
        with self.lock:
            if self.current(gen):
                self.error, self.port_busy = message, port_busy

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

    def start_recording(self, recorder):
        """Record into ``recorder`` from now on; returns the recording it replaces (to be
        closed by the caller), which ends in a gap when the source is away."""
        with self.lock:
            self._record_pending()              # (the old one's, up to now)
            old, self.recorder = self.recorder, recorder
            self._end_away(old)
            if recorder is not None and self._mic_loss is not None and hasattr(recorder, "count_mic_loss"):
                recorder.count_mic_loss(*self._mic_loss, since=True)     # (what it lost before: not this one's)
        return old

    def mic_counted(self, number: int | None, loss: dict | None) -> None:
        """The microphone numbered ``number`` lost ``loss`` so far (:func:`mic_loss`), or none is read
        (``number`` None): a recording adds up what each microphone lost while it ran, the count
        in line behind the sound read before it when the recording is fed later (:class:`MicCount`).
        (Acquisition thread.)"""
        with self.lock:
            self._mic_loss = None if number is None or loss is None else (number, loss)
            rec = self.recorder
            if self._mic_loss is None or rec is None or not hasattr(rec, "count_mic_loss"):
                return
            if self._to_record:                 # (behind the sound it came after: judged by it)
                self._to_record.append(MicCount(number, loss))
            else:
                rec.count_mic_loss(number, loss)

    def mic_loss_note(self) -> str | None:
        """What audio the recording lost so far, in ``record``'s words for its status line, or
        None (no recording, no microphone, nothing lost). (GUI thread.)"""
        with self.lock:
            rec = self.recorder
            loss = rec.mic_loss() if rec is not None and hasattr(rec, "mic_loss") else None
        if not loss:
            return None
        from firmware_bridge.audio import audio_loss_note
        return audio_loss_note(loss)

    def stop_recording(self):
        """Take the recording away and close it."""
        with self.lock:
            self._record_pending()
            rec, self.recorder = self.recorder, None
            self._end_away(rec)
            if rec is not None and self._sound_off_from is not None:
                rec.sound_off_to_end()          # (the microphone off as it stops)
            if rec is not None and self._played_off:
                rec.sound_off_played(self._played_off)
        if rec is not None:
            rec.close()
        return rec

    def open_gap(self) -> GapEvent | None:
        """While the source is away (or back with nothing from it yet): the gap so far, from when
        it was lost to now on its timeline (the clock's time since, and at least to where the
        source said it ends, once back); None when no gap is open."""
        with self.lock:
            if self._gap_from is None:
                return None
            t0 = self._gap_from
            t1 = max(t0 + max(0.0, self.clock() - self._gap_clock), self._gap_back_t or t0)
            return GapEvent(t0, t1, "force", GAP_DISCONNECTED)

    @property
    def away(self) -> bool:
        """The sensor is away, or back with none of its data come yet: what is shown is from
        before the loss (the grade greyed, no force captured for a calibration)."""
        return self.disconnected is not None or self._gap_from is not None

    def _end_away(self, rec) -> None:
        """A recording that ends while the source is away: a gap from when it was lost to now
        on its timeline (the end of the recording)."""
        gap = self.open_gap()
        if rec is not None and gap is not None:
            rec.gap(gap)
