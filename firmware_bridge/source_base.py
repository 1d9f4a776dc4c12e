"""The source interface and the sources that play arrays: :class:`Source` (pulled for timestamped
chunks, with the :class:`Notice` s it gives and the :class:`SourceStats` it counts), the
:class:`Pacer` that plays data time against the clock, :class:`ArraySource` and the built-in
emulated sensor, :class:`EmulatorSource`."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable

import numpy as np

from analysis.chunk import Chunk
from analysis.errors import InputError


@dataclass
class SourceStats:
    """Counters shown in the status line and stored with a recording."""

    samples: int = 0
    dropped: int = 0          # samples known missing (sequence gaps, dropouts)
    crc_errors: int = 0
    reconnects: int = 0
    rate_hz: float = 0.0      # measured over the last second or so


@dataclass
class Notice:
    """Something that happened to the device: ``kind`` is disconnected, reconnected, gap, info, or
    clock (a played file's clock stepped back: the samples from ``t_end_s`` on are a new run, none
    lost though their times run on from ``t_s``; said on opening with what reading the file found,
    its file and line, and not again)."""

    kind: str
    message: str
    t_s: float | None = None
    t_end_s: float | None = None
    samples: int | None = None    # a gap's: how many samples were lost, when the source knows
    stream: str = "force"         # a clock notice's: the stream whose clock stepped (force, imu)


class Source(ABC):
    """Pull interface. ``info`` describes the device (name, force_units, rate_hz, has_imu, ...)."""

    spec: str = ""
    # the sensor's streams ("force", "imu") when the source knows them before its data comes;
    # None when it cannot say (a device tells its IMU in its identify answer, if it answers)
    sensor_streams: frozenset[str] | None = None
    # the fixed minimum amplitude (N) its data were graded with (a played session's, kept in its
    # session.json), graded with again unless one is given; None: a device's, the default rule
    min_amplitude_n: float | None = None

    def __init__(self) -> None:
        self.info: dict = {"name": self.spec, "force_units": "N", "rate_hz": 0.0, "has_imu": False}
        self.stats = SourceStats()
        self._notices: list[Notice] = []

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        """Chunks that arrived, waiting at most ``timeout_s`` for the first one."""

    @abstractmethod
    def close(self) -> None: ...

    def notices(self) -> list[Notice]:
        """Notices since the last call (disconnects, reconnects, gaps)."""
        out, self._notices = self._notices, []
        return out

    def notify(self, kind: str, message: str, t_s: float | None = None, t_end_s: float | None = None,
               samples: int | None = None, stream: str = "force") -> None:
        self._notices.append(Notice(kind, message, t_s, t_end_s, samples, stream))

    def silent(self, seconds: float) -> str:
        """Why no sample came in ``seconds`` since opening: one line for the user, after the spec."""
        return f"no data within {seconds:g} s (is it streaming? try 'gradecoach devices')"

    @property
    def t0_host_s(self) -> float | None:
        """The host's ``time.monotonic()`` at which the open source's timeline reads 0 (where a
        microphone's audio goes on it), or None when it cannot say (not open, or timed by another
        clock: a test's). A device's source keeps its clock (``clock``) and its reading when it
        was opened (``_t0``)."""
        clock = getattr(self, "clock", None) or getattr(self, "_clock", None)
        t0 = getattr(self, "_t0", None)
        return float(t0) if clock is time.monotonic and t0 else None

    def __enter__(self) -> "Source":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Pacer:
    """Paces data time against the monotonic clock, so errors never pile up over an hour."""

    def __init__(self, speed: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.speed, self.clock, self.sleep = speed, clock, sleep
        self._t0_wall: float | None = None
        self._t0_data = 0.0

    def start(self, t0_data: float) -> None:
        self._t0_wall, self._t0_data = self.clock(), t0_data

    def due(self, t_data: float) -> float:
        """Seconds until ``t_data`` is due (≤ 0: now)."""
        return self._t0_wall + (t_data - self._t0_data) / self.speed - self.clock()

    def now_data(self) -> float:
        return self._t0_data + (self.clock() - self._t0_wall) * self.speed


class ArraySource(Source):
    """Plays arrays ``streams[name] = (t_s, values)`` in real time, in ``chunk_s`` pieces."""

    def __init__(self, streams: dict[str, tuple[np.ndarray, np.ndarray]], chunk_s: float = 0.01,
                 speed: float = 1.0, pacer: Pacer | None = None) -> None:
        super().__init__()
        self.streams = streams
        self.chunk_s = chunk_s
        self.pacer = pacer or Pacer(speed)
        self._pos = {k: 0 for k in streams}
        self._t_next = 0.0
        self._opened = False

    def open(self) -> None:
        starts = [v[0][0] for v in self.streams.values() if len(v[0])]
        self._t_next = min(starts) if starts else 0.0
        self.pacer.start(self._t_next)
        self._opened = True

    @property
    def t0_host_s(self) -> float | None:
        """The host time its first data time was played at, less that time (at its speed)."""
        p = self.pacer
        if p.clock is not time.monotonic or p._t0_wall is None or p.speed <= 0:
            return None
        return p._t0_wall - p._t0_data / p.speed

    @property
    def sensor_streams(self) -> frozenset[str]:
        """The arrays it plays hold them all from the start."""
        return frozenset(self.streams) & {"force", "imu"}

    @property
    def exhausted(self) -> bool:
        return all(self._pos[k] >= len(v[0]) for k, v in self.streams.items())

    def _refill(self) -> bool:
        """Hook for endless sources: add more data; return False when there is none."""
        return False

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        if not self._opened:
            raise InputError(f"{self.spec}: source not opened")
        if self.exhausted and not self._refill():
            return []
        wait = self.pacer.due(self._t_next + self.chunk_s)
        if wait > 0:
            self.pacer.sleep(min(wait, timeout_s))
        upto = self.pacer.now_data()
        out = []
        # the sensor's samples are counted, as the recorder counts them: its force's, or those of
        # a worn IMU that it plays alone
        counted = "force" if "force" in self.streams else "imu"
        for name, (t, v) in self.streams.items():
            i = self._pos[name]
            j = int(t.searchsorted(upto, side="right"))     # (an array, or a file's audio read as played)
            if j > i:
                rate = {"force": self.info.get("rate_hz", 0.0),
                        "audio": getattr(self, "audio_rate_hz", 0.0)}.get(name, 0.0)
                out.append(Chunk(t[i:j], v[i:j], i + getattr(self, "_seq_base", 0), name, rate))
                self._pos[name] = j
                if name == counted:
                    self.stats.samples += j - i
        self._t_next = max(self._t_next, upto)
        return out

    def close(self) -> None:
        self._opened = False


class EmulatorSource(ArraySource):
    """The built-in emulated sensor: an endless simulated practice in real time."""

    def __init__(self, scenario: str = "mixed", rate_hz: float = 1000.0, seed: int = 0,
                 speed: float = 1.0, pacer: Pacer | None = None) -> None:
        from firmware_bridge.scenarios import R1_N, R2_N, scenario_signal

        self.scenario, self.rate_hz, self.seed = scenario, rate_hz, seed
        self.spec = f"emulator:{scenario}"
        t, y, self.truth = scenario_signal(scenario, rate_hz, seed)
        super().__init__({"force": (t, y)}, speed=speed, pacer=pacer)
        self.info.update(name=f"gradecoach emulator ({scenario})", rate_hz=rate_hz,
                         calibration={"r1_n": R1_N, "r2_n": R2_N}, emulated=True)
        self._offset = float(t[-1]) + 1.0 / rate_hz
        self._seq_base = 0

    def _refill(self) -> bool:
        from firmware_bridge.scenarios import scenario_signal

        self.seed += 1
        t, y, truth = scenario_signal(self.scenario, self.rate_hz, self.seed)
        t = t + self._offset
        self._offset = float(t[-1]) + 1.0 / self.rate_hz
        self._seq_base += len(self.streams["force"][0])
        self.streams["force"] = (t, y)
        self._pos["force"] = 0
        return True
