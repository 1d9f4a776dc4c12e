"""The trainer's engine as it feeds a recording: what the live analysis had and the recording
not yet, fed to it behind the live analysis in pieces (:func:`_batched`), the microphone's losses
counted for it, its start and stop (a gap at its end while the source is away), and a recording
stopped by a write its folder refused.

:class:`EngineRecording` is a mix-in of :class:`~ui.trainer.engine.Engine`, whose ``__init__``
makes the state it keeps.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from analysis.chunk import joined_chunks

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


class EngineRecording:
    """The recording's side of :class:`~ui.trainer.engine.Engine` (a mix-in)."""

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

    def _end_away(self, rec) -> None:
        """A recording that ends while the source is away: a gap from when it was lost to now
        on its timeline (the end of the recording)."""
        gap = self.open_gap()
        if rec is not None and gap is not None:
            rec.gap(gap)
