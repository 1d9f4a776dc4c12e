"""Playback of a recording: a playhead paced by a clock, and its audio. No Qt.

The playhead's position is computed from a clock (injectable, so tests drive it), never by
counting timer ticks: a slow frame does not slow the playback down, it only skips a frame.
Audio goes through a sounddevice output stream when an output device exists; its callback
only copies from a buffer the GUI timer keeps filled ahead of the playhead (python-
sounddevice's rule: no file reading on the audio thread).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 10.0)
MIN_SPEED, MAX_SPEED = 0.25, 10.0


class Playhead:
    """Position in seconds on the recording's timeline.

    Parameters
    ----------
    duration_s : float
        End of the recording; playback stops there.
    clock : callable
        Returns seconds (monotonic); ``time.monotonic`` by default.
    """

    def __init__(self, duration_s: float, clock: Callable[[], float] = time.monotonic, start_s: float = 0.0) -> None:
        self.start_s = float(start_s)
        self.duration_s = float(duration_s)
        self.clock = clock
        self.speed = 1.0
        self.playing = False
        self._pos = self.start_s
        self._anchor = 0.0

    @property
    def pos_s(self) -> float:
        return self.update()

    def update(self) -> float:
        if self.playing:
            now = self.clock()
            self._pos = min(self.duration_s, self._pos + (now - self._anchor) * self.speed)
            self._anchor = now
            if self._pos >= self.duration_s:
                self.playing = False
        return self._pos

    def play(self) -> None:
        if self._pos >= self.duration_s:
            self._pos = self.start_s
        self._anchor = self.clock()
        self.playing = True

    def pause(self) -> None:
        self.update()
        self.playing = False

    def seek(self, t_s: float) -> None:
        self.update()
        self._pos = float(min(max(t_s, self.start_s), self.duration_s))

    def set_speed(self, speed: float) -> None:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed {speed} outside {MIN_SPEED}–{MAX_SPEED}×")
        self.update()
        self.speed = float(speed)


def output_device() -> tuple[bool, str]:
    """(available, reason): is there an audio output device to play through?"""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as e:           # no PortAudio library
        return False, f"no audio output ({e})"
    try:
        sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError):
        return False, "no audio output device"
    return True, ""


class AudioOut:
    """Plays the recording's audio at the playhead's position and speed.

    ``render(frames)`` gives the next ``frames`` output samples (what the stream callback
    copies); at speed ``s`` it steps ``s`` source samples per output sample. ``prefetch()``
    (called from the GUI timer) keeps ``ahead_s`` seconds of source audio buffered.
    """

    def __init__(self, path: Path | None, playhead: Playhead, ahead_s: float = 4.0, start_s: float = 0.0,
                 timeline_rate_hz: float | None = None) -> None:
        self.path = path
        self.start_s = start_s                # where the file's first sample is on the recording's timeline
        self._timeline_rate = timeline_rate_hz  # its samples per second of that timeline (None: nominal)
        self.playhead = playhead
        self.ahead_s = ahead_s
        self.rate_hz = 0
        self._buf = np.zeros(0, np.float32)
        self._buf0 = 0                        # source index of _buf[0]
        self._lock = threading.Lock()
        self._stream = None
        self.available, self.reason = (False, "no audio in this recording") if path is None else output_device()
        if path is not None:
            from firmware_bridge.sound_files import sound_info
            self.rate_hz = sound_info(path).samplerate

    def prefetch(self) -> None:
        if self.path is None:
            return
        from firmware_bridge.sound_files import open_sound
        sr = self.rate_hz
        a = max(0, int(self._index(self.playhead.pos_s)))
        need = int(self.ahead_s * max(1.0, self.playhead.speed) * sr)
        with self._lock:
            have = self._buf0 <= a and self._buf0 + len(self._buf) >= min(a + need // 2, a + 1)
        if have:
            return
        from firmware_bridge.replay import read_span
        with open_sound(self.path) as f:
            a = min(a, f.frames)
            x = read_span(f, a, need).mean(axis=1, dtype=np.float32)   # up to a tear; every channel as one
        with self._lock:
            self._buf, self._buf0 = x, a

    def _index(self, t_s: float) -> float:
        """File sample index of recording time ``t_s``."""
        return (t_s - self.start_s) * (self._timeline_rate or self.rate_hz)

    def render(self, frames: int) -> np.ndarray:
        """Next ``frames`` output samples (silence where nothing is buffered)."""
        if self.path is None:
            return np.zeros(frames, np.float32)
        pos = self._index(self.playhead.pos_s) + np.arange(frames) * self.playhead.speed
        idx = np.round(pos).astype(np.int64) - self._buf0
        with self._lock:
            buf = self._buf
        ok = (idx >= 0) & (idx < len(buf))
        out = np.zeros(frames, np.float32)
        out[ok] = buf[idx[ok]]
        return out

    def _callback(self, outdata, frames, time_info, status) -> None:
        outdata[:, 0] = self.render(frames) if self.playhead.playing else 0.0

    def start(self) -> None:
        if not self.available or self._stream is not None:
            return
        import sounddevice as sd
        self.prefetch()
        self._stream = sd.OutputStream(samplerate=self.rate_hz, channels=1, dtype="float32",
                                       callback=self._callback)
        self._stream.start()

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
