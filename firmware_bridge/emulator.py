"""An emulated sensor on a pseudo-terminal: any client opens the link as a serial port.

It speaks the reference firmware's binary protocol (or, with ``line=True``, ``t_ms,force`` lines),
answers identify/start/stop/tare/set_rate, and streams a scenario's force in real time (or
``speed`` times faster, for tests). Closing and reopening the terminal simulates an unplug.
"""

from __future__ import annotations

import os
import threading
import time
import tty
from pathlib import Path

import numpy as np

from firmware_bridge.protocol import binary
from firmware_bridge.scenarios import scenario_signal
from firmware_bridge.sources import Pacer


class PtyEmulator:
    def __init__(self, link: str | Path, scenario: str = "mixed", rate_hz: float = 1000.0, line: bool = False,
                 speed: float = 1.0, seed: int = 0, per_frame: int = 10, autostart: bool = True) -> None:
        self.link, self.scenario, self.rate_hz, self.line = Path(link), scenario, rate_hz, line
        self.speed, self.seed, self.per_frame = speed, seed, per_frame
        self.streaming = autostart
        self.sent = 0                  # samples written so far (= next sequence number)
        self.truth: list[dict] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.master = self.slave = -1

    def open_pty(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        name = os.ttyname(self.slave)
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(name)

    def unplug(self) -> None:
        """Close the terminal (the client sees the device vanish)."""
        for fd in (self.master, self.slave):
            if fd >= 0:
                os.close(fd)
        self.master = self.slave = -1
        if self.link.is_symlink():
            self.link.unlink()

    def start(self) -> None:
        self.open_pty()
        self._thread = threading.Thread(target=self._run, name="pty-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2.0)
        self.unplug()

    def _commands(self) -> None:
        if self.master < 0 or self.line:
            return
        try:
            os.set_blocking(self.master, False)
            data = os.read(self.master, 4096)
        except (BlockingIOError, OSError):
            return
        for m in self._dec.feed(data):
            if isinstance(m, binary.Command):
                if m.name == "start":
                    self.streaming = True
                elif m.name == "stop":
                    self.streaming = False
                elif m.name == "identify":
                    self._write(binary.encode_identify(binary.Identify(
                        "gradecoach emulator", "emu-1", self.rate_hz, "N", {}, False)))

    def _write(self, data: bytes) -> None:
        if self.master < 0:
            return
        try:
            os.set_blocking(self.master, True)
            os.write(self.master, data)
        except OSError:
            pass

    def _run(self) -> None:
        self._dec = binary.BinaryDecoder()
        pacer = Pacer(self.speed)
        t_off = 0.0
        seed = self.seed
        pacer.start(0.0)
        while not self._stop.is_set():
            t, y, truth = scenario_signal(self.scenario, self.rate_hz, seed)
            t = t + t_off
            self.truth += [dict(e, **{k: e[k] + t_off for k in ("t_start", "t_end", "t_crest", "t_onset", "t_peak") if k in e})
                           for e in truth]
            i = 0
            while i < len(t) and not self._stop.is_set():
                self._commands()
                wait = pacer.due(float(t[min(i + self.per_frame, len(t)) - 1]))
                if wait > 0:
                    time.sleep(min(wait, 0.05))
                    continue
                if not self.streaming or self.master < 0:
                    time.sleep(0.01)
                    i += self.per_frame      # the sensor keeps sampling while nobody listens
                    self.sent += self.per_frame
                    continue
                k = min(self.per_frame, len(t) - i)
                if self.line:
                    self._write("".join(f"{t[i + j] * 1000:.3f},{y[i + j]:.3f}\n" for j in range(k)).encode())
                else:
                    self._write(binary.encode_samples(self.sent, int(round(t[i] * 1e6)),
                                                      int(round(1e6 / self.rate_hz)), y[i:i + k]))
                i += k
                self.sent += k
            t_off = float(t[-1]) + 1.0 / self.rate_hz
            seed += 1
