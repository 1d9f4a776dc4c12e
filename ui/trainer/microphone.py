"""The trainer's microphone: how it is opened (its blocks, its queue, its stamps), what it lost,
how it is named in what the trainer says, and whether its sound clips (the level meter's
:class:`ClipMeter`). The acquisition thread (``ui.trainer.acquisition``) reads it; the engine
(``ui.trainer.engine``) analyses and records its sound."""

from __future__ import annotations

from collections import deque

import numpy as np

# a microphone opened for the trainer stamps its audio in seconds of the host's monotonic clock
# (its zero at the clock's zero); the acquisition thread moves them onto the source's timeline
MIC_T0_HOST_S = 0.0
# the trainer's microphone blocks (PortAudio's callback): a pop's event waits for the block that
# completes its decision, up to a block after its last sample (benchmarks/bench_live_pops.py); its
# queue holds MIC_QUEUE_S of them (the acquisition thread held up that long loses sound)
MIC_BLOCK_S = 0.005
MIC_QUEUE_S = 5.0


def open_microphone(device: str | int | None, samplerate: float | None = None):
    """The microphone (``firmware_bridge.audio.AudioInput``, not yet started) for the trainer's
    acquisition thread, which puts its audio on the force source's timeline whenever it is turned
    on; at ``samplerate`` only, when given (else its own rate, or a usual one). Raises what
    AudioInput raises (``DeviceError``, ``ImportError``, ``OSError``). As ``record``'s, it hands
    out no more silence for audio lost than the time that passed (an input faster than real time,
    a file played as the microphone, handed out 239 s of silence in 6.5 s, misplacing the sound
    after it)."""
    from firmware_bridge.audio import AudioInput
    mic = AudioInput(device or "default", samplerate=samplerate, t0_host_s=MIC_T0_HOST_S, block_s=MIC_BLOCK_S,
                     max_blocks=int(round(MIC_QUEUE_S / MIC_BLOCK_S)))
    mic.loss_within_time = True
    return mic


def mic_loss(mic) -> dict | None:
    """What ``mic`` lost so far, as ``record`` measures it and keeps it in session.json
    (``overflows``, ``dropped_blocks``, ``lost_s``, and ``rate_delivered_hz`` for an input far off
    its own rate): ``firmware_bridge.audio.mic_loss``, record's own, not a copy. None for an input
    that keeps no such counts."""
    if not hasattr(mic, "overflows") or not hasattr(mic, "delivered_far"):
        return None
    from firmware_bridge.audio import mic_loss as measured
    return measured(mic)

# the level meter says the sound clips (a microphone's gain too high) while CLIP_WARN_SHARE of
# the sound of the last CLIP_RECENT_S or more is held at the ceiling of the sound so far, by
# replay's own rule (firmware_bridge/replay/dead_audio.py, DeadStretches): in frames of
# DEAD_FRAME_S from the first sample, a frame's top (or bottom) value held CLIP_RUN samples in a
# row, counted where that top is the sound's top so far, CLIP_MIN_LEVEL or more from 0; frames at
# one level (silence) are no sound. (Each 10 ms chunk judged against its own top called clean
# low sound clipping: a 100 Hz tone at -10 dBFS in 153 of 400 chunks, where replay said 0 %.)
CLIP_RECENT_S = 2.0
CLIP_JOIN_S = 0.1           # clipped frames this close are one stretch (replay's frames are 0.1 s)
CLIP_SPANS_KEPT = 3600      # stretches of clipped sound kept for the thrusts shown (an hour's, at one a second)


class ClipMeter:
    """Whether the recent sound clips, judged as replay judges a file's (``DeadStretches``): fed
    chunks of sound (``t_s``, values n or n × channels) of any size, it judges each whole frame
    of ``DEAD_FRAME_S`` as it completes. ``clipping``: the last ``CLIP_RECENT_S`` hold
    ``CLIP_WARN_SHARE`` or more of their sound at the ceiling so far (``share``, as replay's
    ``DeadStretches.clipped_share`` is of a whole file); :meth:`feed` returns the
    ``(t_start, t_end)`` of each frame judged that holds samples at it while ``clipping``."""

    def __init__(self) -> None:
        self._form: tuple | None = None
        self.restart()

    def restart(self) -> None:
        """Another sound (another microphone): its own ceiling."""
        self.top, self.bottom = -np.inf, np.inf      # the sound's ceiling so far (its top and bottom value)
        self.stop()

    def stop(self) -> None:
        """The sound stopped (the microphone off): the next starts its frames and its recent
        sound anew; its ceiling stays, as in the recording that holds both."""
        self._rest: list[tuple[np.ndarray, np.ndarray]] = []
        # per frame judged: (start, end, samples of sound × channels, top, bottom, held at each)
        self._recent: deque[tuple[float, float, int, float, float, float, float]] = deque()
        self.clipping = False
        self.share = 0.0        # of the recent sound (samples × channels of its frames of sound) at the ceiling

    def feed(self, t_s: np.ndarray, values: np.ndarray, rate_hz: float) -> list[tuple[float, float]]:
        from firmware_bridge.replay.dead_audio import DEAD_FRAME_S
        x = np.asarray(values, dtype=np.float32)
        x = x.reshape(len(x), -1)
        form = (rate_hz, x.shape[1])
        if form != self._form:                       # another microphone
            self.restart()
            self._form = form
        if not np.isfinite(x).all():                 # (not numbers count as 0, as in replay)
            x = np.where(np.isfinite(x), x, np.float32(0.0))
        self._rest.append((np.asarray(t_s, dtype=np.float64), x))
        n = sum(len(r[0]) for r in self._rest)
        frame = max(1, int(round(DEAD_FRAME_S * rate_hz)))
        if n < frame:
            return []
        t = np.concatenate([r[0] for r in self._rest])
        x = np.concatenate([r[1] for r in self._rest])
        whole = n - n % frame
        self._rest = [(t[whole:], x[whole:])] if whole < n else []
        return self._frames(t[:whole].reshape(-1, frame), x[:whole].reshape(-1, frame, x.shape[1]))

    def _frames(self, t: np.ndarray, x: np.ndarray) -> list[tuple[float, float]]:
        """Judge whole frames: ``t`` (k, frame), ``x`` (k, frame, channels)."""
        from firmware_bridge.replay.dead_audio import CLIP_MIN_LEVEL, CLIP_WARN_SHARE, held_at_edges
        k, frame = t.shape
        hi, lo = x.max(axis=(1, 2)), x.min(axis=(1, 2))
        sound = hi != lo                             # (one level: silent or constant, not clipping)
        held = dict(zip(("hi", "lo"), held_at_edges(x, hi, lo)))
        for side in held:
            held[side][~sound] = 0
        out = []
        for j in range(k):
            self.top, self.bottom = max(self.top, float(hi[j])), min(self.bottom, float(lo[j]))
            t0, t1 = float(t[j, 0]), float(t[j, -1])
            self._recent.append((t0, t1, x[j].size if sound[j] else 0, float(hi[j]), float(lo[j]),
                                 float(held["hi"][j]), float(held["lo"][j])))
            while self._recent[0][1] < t1 - CLIP_RECENT_S:
                self._recent.popleft()

            def at_ceiling(f) -> float:
                return ((f[5] if f[3] == self.top and self.top >= CLIP_MIN_LEVEL else 0.0)
                        + (f[6] if f[4] == self.bottom and self.bottom <= -CLIP_MIN_LEVEL else 0.0))
            n = sum(f[2] for f in self._recent)
            self.share = sum(map(at_ceiling, self._recent)) / max(1, n)
            self.clipping = n > 0 and self.share >= CLIP_WARN_SHARE
            if self.clipping and at_ceiling(self._recent[-1]):
                out.append((t0, t1))
        return out

# why the pops of a microphone judged to deliver far off its own rate are not counted (the thrust
# panel's "pops not counted: …", the status line's "audio analysis off: …")
UNPLACED = "its sound is not placed in time with the force"


def mic_name(mic) -> str:
    """A microphone as the warnings about its sound name it (as ``record`` names it)."""
    return f"audio input {mic.name!r}"
