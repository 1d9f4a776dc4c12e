"""The trainer's engine as it hears the sound: the level meter (its level, whether it clips, the
envelope drawn), the microphone on or off, silent or lost on the way, a played recording's sound
that ended, and the pop detector deciding what waited for more sound when it stops.

:class:`EngineSound` is a mix-in of :class:`~ui.trainer.engine.Engine`, whose ``_fresh`` makes
the state it keeps.
"""

from __future__ import annotations

import logging

import numpy as np

from analysis.chunk import Chunk
from analysis.events import Event
from ui.trainer.microphone import CLIP_JOIN_S, UNPLACED
from ui.trainer.recording import SOUND_GAP_S

log = logging.getLogger("gradecoach.trainer")

ENVELOPE_RATE_HZ = 1000.0      # the audio drawn on screen: one peak per millisecond
# sound that comes with the sensor's data (a played recording's) has ended once the sensor's data
# run this far past its last sample with none since: the two come in the same reads, a chunk
# (hundredths of a second) apart at most. (A microphone's sound ends when it is turned off.)
SOUND_ENDED_S = 0.5
# a microphone on that has given no sound while the sensor's data ran this far past its last (a USB
# microphone that stalls without an error) is not heard: the meter says so instead of its last
# level (its blocks come every few milliseconds)
MIC_SILENT_S = 1.0


class EngineSound:
    """The sound's side of :class:`~ui.trainer.engine.Engine` (a mix-in)."""

    def sound_not_placed(self) -> None:
        """The sound fed from now on is not placed in time with the force (a microphone, or a
        played session's, that delivered far off its own rate): its pops are not counted, since
        a pop near a thrust, or none, says nothing of it. The thrust panel says "–" and "pops not
        counted: …" (not "no pop"), the status line "audio analysis off: …", and a recording
        analyses none of its sound. (Under :attr:`lock`.)"""
        self.disabled["audio"] = UNPLACED
        self.analyzer.processors.pop("audio", None)

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
