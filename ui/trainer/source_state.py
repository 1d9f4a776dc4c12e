"""The trainer's engine as the source tells of itself: its opening (the streams its sensor gives,
the sound a played session holds), its notices (a disconnect, a reconnect, a gap, a clock that
stepped back), the gaps shaded on the plot and the samples missing by sequence number, its
failure, and its end (a recording played to its end).

:class:`EngineSource` is a mix-in of :class:`~ui.trainer.engine.Engine`, whose ``_fresh`` makes
the state it keeps.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np

from analysis.chunk import Chunk
from analysis.events import GapEvent
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK
from firmware_bridge.session import same_hole
from firmware_bridge.sources import Notice, Source

log = logging.getLogger("gradecoach.trainer")

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


def _same_hole(a: GapEvent, b: GapEvent) -> bool:
    return same_hole((a.t_start, a.t_end), (b.t_start, b.t_end))


def played_sound_name(source: Source) -> str | None:
    """The audio file a source plays (a recorded session's ``audio.flac``), as the warnings about
    its sound name it, or None when it plays none."""
    if "audio" not in (getattr(source, "streams", None) or {}):
        return None
    path = getattr(getattr(source, "input", None), "audio_path", None)
    return str(path) if path is not None else source.spec


class EngineSource:
    """The source's side of :class:`~ui.trainer.engine.Engine` (a mix-in)."""

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
