"""A stand-in microphone hearing the thrust fixture's sound, the trainer recording with it
(MicSession), and the summary a recording stores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from analysis.chunk import Chunk
from analysis.errors import DeviceError
from firmware_bridge.sources import FileSource

from .conftest import DEMO, Feeder, recording_window

FIX = DEMO.parent / "thrust_pops.csv"          # thrusts and their pops (fixtures/regenerate.sh)
SOUND = FIX.with_suffix(".flac")                # (16 kHz)


class StubMic:
    """A microphone hearing ``sound`` (the fixture's, by default) in step with the force: each
    read hands out, in 10 ms blocks stamped on a host clock of its own (as AudioInput stamps
    them), as much sound as the force (``force_now()``) has advanced since it started; its first
    block is the sound at the force's time as it comes (where the worker places it). ``nan_at``: sample numbers (from its start) it hands out as NaN; ``gone_at_s``:
    force time at which it stops delivering (reads raise DeviceError, as an unplugged input's
    do, once what it held was read); ``refuses``: its start fails, as a busy device's does;
    ``rates``: the rates it can capture at, its own first (the fixture's sound repeated to make
    a higher one); ``sound``: what it hears instead of the fixture's, at its own rate;
    ``held_blocks``: blocks captured that reads hand out only later (``read_pending`` at once)."""

    def __init__(self, name: str, force_now, *, rates: tuple[int, ...] = (16000,), sound: np.ndarray | None = None,
                 nan_at: tuple[int, ...] = (), gone_at_s: float | None = None, refuses: bool = False,
                 held_blocks: int = 0) -> None:
        self.name, self.rates, self.own_sound = name, rates, sound
        self.held_blocks = held_blocks          # captured but still on its way (PortAudio's buffers)
        self.at(rates[0])
        self.force_now, self.nan_at, self.gone_at_s, self.refuses = force_now, set(nan_at), gone_at_s, refuses
        self.started = self.closed = False
        self.t_start: float | None = None       # force time when it started
        self.offset: int | None = None          # the sound's sample its first one is
        self.n = 0                              # samples handed out
        self.host0 = 1000.0                     # its host clock at its start

    def at(self, rate_hz: int) -> "StubMic":
        """Capture at ``rate_hz`` (a whole multiple of the fixture's); DeviceError when it cannot."""
        if rate_hz not in self.rates:
            raise DeviceError(f"audio input {self.name!r} refuses 1 channel(s) at {rate_hz:g} Hz")
        x, sr = sf.read(str(SOUND), dtype="float32") if self.own_sound is None else (self.own_sound, rate_hz)
        self.rate_hz, self.sound = float(rate_hz), np.repeat(x, int(rate_hz) // sr)
        self.block = int(round(0.01 * self.rate_hz))
        return self

    def start(self):
        if self.refuses:
            raise DeviceError(f"audio input {self.name!r}: Device unavailable")
        self.started = True
        return self

    def read(self, timeout_s: float = 0.1, held: bool = True):
        if not self.started:
            self.start()
        now = self.force_now() or 0.0
        if self.t_start is None:
            self.t_start = now
        if self.gone_at_s is not None and now >= self.gone_at_s:
            raise DeviceError(f"audio input {self.name!r} stopped delivering audio (unplugged?)")
        due = int((now - self.t_start) * self.rate_hz) // self.block * self.block
        if held:
            due = max(0, due - self.held_blocks * self.block)
        out = []
        if self.offset is None and due > 0:
            # the worker puts its first sample at the force's time as it comes: the sound heard then
            self.offset = int(round(now * self.rate_hz))
        while self.n + self.block <= due:
            i0 = self.offset + self.n
            x = np.zeros(self.block, np.float32)
            seg = self.sound[i0:i0 + self.block]
            x[:len(seg)] = seg
            for k in self.nan_at:
                if self.n <= k < self.n + self.block:
                    x[k - self.n] = np.nan
            t = self.host0 + (self.n + np.arange(self.block)) / self.rate_hz
            out.append(Chunk(t, x, self.n, "audio", self.rate_hz))
            self.n += self.block
        return out

    def read_pending(self):
        """Its stream stopped: everything captured, what was still on its way too."""
        return self.read(held=False)

    def close(self) -> None:
        self.closed = True


class MicSession:
    """The trainer window recording the thrust fixture's force, its microphone key (A) opening
    the microphones given to :meth:`next_mics` in turn; :meth:`until` plays the force to a time,
    the worker serving the microphone after each chunk and the window drawing a frame."""

    def __init__(self, qtbot, monkeypatch, root: Path, path: Path = FIX) -> None:
        from ui.trainer import microphone as microphone_mod
        from ui.trainer.acquisition import AcquisitionWorker
        self.win, self.eng, _, self.said = recording_window(qtbot, monkeypatch, root)
        self.worker = AcquisitionWorker(FileSource(str(path)), self.eng)      # (not started: stepped here)
        self.win.worker = self.worker
        self.feeder = Feeder(self.eng, self.win, path, streams=("force", "imu"),
                             after_feed=lambda: self.worker.serve_mic())
        self._mics: list = []
        monkeypatch.setattr(microphone_mod, "open_microphone", lambda device, samplerate=None: self._next_mic(samplerate))

    def force_now(self) -> float | None:
        """The sensor's newest sample time (the force's, or a worn IMU's alone)."""
        return max((t for t in (self.eng.force.last_t, self.eng.imu_last_t) if t is not None), default=None)

    def mic(self, name: str, **kw) -> StubMic:
        return StubMic(name, self.force_now, **kw)

    def next_mics(self, *mics) -> None:
        self._mics.extend(mics)

    def _next_mic(self, samplerate=None):
        m = self._mics[0]
        if isinstance(m, Exception):
            self._mics.pop(0)
            raise m
        m = m.at(samplerate or m.rates[0])       # (raises as AudioInput does: it is tried again at its own)
        self._mics.pop(0)
        return m

    def key(self, name: str) -> None:
        self.win.actions_by_name[name].trigger()

    def until(self, t_s: float) -> None:
        self.feeder.until(t_s)


def summary(folder: Path) -> dict:
    lines = [json.loads(s) for s in (folder / "events.jsonl").read_text().splitlines()]
    return next(e for e in lines if e.get("type") == "summary")
