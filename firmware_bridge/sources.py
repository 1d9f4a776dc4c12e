"""Sources: the outside world as timestamped chunks, chosen by a spec string.

``open_source("emulator:mixed")``, ``open_source("file:session_dir")``, ``serial:PATH[@BAUD]``,
``ble:NAME_OR_ADDRESS`` — one small pull interface, one class per scheme, registered by name
(cf. pyserial's ``serial_for_url``). A source is pulled with ``read(timeout_s)`` from one thread
(the CLI loop or the GUI's acquisition worker); devices with their own threads (serial reader,
bleak's asyncio loop) hand data over through a bounded queue inside the source.
"""

from __future__ import annotations

import os
import re
import stat
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from analysis.chunk import Chunk
from analysis.errors import InputError
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK


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


def lost_in_gap(t: np.ndarray, t_end: float, rate_hz: float) -> tuple[int, int]:
    """Where the data resume after a gap marked up to ``t_end`` and how many samples were lost
    in it: ``(k, n)``, ``k`` the index in ``t`` of the first sample after it and ``n`` the samples
    missing between ``t[k-1]`` and ``t[k]`` at ``rate_hz`` (0 when ``k`` has no sample on either
    side). A gap is marked by its first and last lost sample (a device numbering its samples) or
    by the samples either side of it (a BLE capture, a device counting by its clock): counted
    from the data either side of the hole, both give the same."""
    k = int(np.searchsorted(t, t_end - 0.25 / rate_hz, side="left"))
    return k, (int(round((t[k] - t[k - 1]) * rate_hz)) - 1 if 0 < k < len(t) else 0)


# a step between two samples this many sample periods long or longer lost a sample (lost_in_gap
# counts round(step) - 1 in it); a shorter one lost none
HOLE_STEP_PERIODS = 1.5
# the samples each side of such a step whose median time tells a hole (those after it stay a
# period or more late) from jitter (they come back): a BLE logger's times jitter by up to ±0.4 of
# a period (fixtures/ble_jitter_grade2.csv, thrust_ble_letup.csv), making one step in 15 that long
HOLE_SIDE_SAMPLES = 16
HOLE_ROUNDS = 8        # holes closer than HOLE_SIDE_SAMPLES are found one more in each round
# times jittered by up to half a period (simulate --jitter 0.5, the most it makes) step by less
# than this many periods, and all lie within one period of each other on the sample grid: a step
# this long or longer is a hole whatever the jitter; a shorter one only when the samples around it
# spread over more than a period (and this much more, for the grid's drift over them that a rate
# measured from jittered times leaves: 0.04 of a period at 0.1 % off)
JITTER_STEP_PERIODS = 2.0
JITTER_BAND_SLACK = 0.1
# a step of two periods as written may read this much shorter: times rounded to the µs (a 2 kHz
# logger's step of 1 ms, its ends each rounded half a µs), or to the last bit of a float
STEP_ROUNDING_PERIODS = 0.01


def holes_in_times(t: np.ndarray, rate_hz: float) -> np.ndarray:
    """Where samples are missing from the times ``t`` (s, increasing) of a stream at ``rate_hz``
    though no gap marks it (a file another tool exported across a Bluetooth dropout): the index
    in ``t`` of the first sample after each hole, as :func:`lost_in_gap` gives it.

    A hole is a step of :data:`HOLE_STEP_PERIODS` or more after which the samples stay late: the
    median of the :data:`HOLE_SIDE_SAMPLES` after it (the one right after left out) is half a
    period or more later on the sample grid than the median of those before it (the one right
    before left out); near either end of the stream, only those there are. A step that long made
    by jittered times is followed by short ones, and is no hole. Jitter of up to half a period
    makes no hole: a step shorter than :data:`JITTER_STEP_PERIODS` is one only when the samples
    around it lie further apart on the grid than jitter can put them; a step that long near
    either end, where fewer samples tell, is one. Holes near each other are taken largest first,
    each one's samples counted out of the times after it before the next is judged."""
    t = np.asarray(t, dtype=np.float64)
    n = len(t)
    if n < 2 or not rate_hz > 0:
        return np.empty(0, dtype=np.int64)
    steps = np.diff(t) * rate_hz
    cand = np.flatnonzero(steps >= HOLE_STEP_PERIODS) + 1          # first sample after each
    if not len(cand):                                               # (most files: no more arrays of n)
        return cand
    lost = np.round(steps[cand - 1]) - 1
    step = steps[cand - 1]
    resid = t * rate_hz - np.arange(n)                              # grows by k where k are lost
    side = np.arange(HOLE_SIDE_SAMPLES)
    before, after = cand[:, None] - 2 - side, cand[:, None] + 1 + side
    # (samples beyond either end are none: not the end's sample again, which outweighed the others)
    in_before, in_after = before >= 0, after < n
    before, after = np.clip(before, 0, n - 1), np.clip(after, 0, n - 1)
    at_end = ~(in_before.all(axis=1) & in_after.all(axis=1))
    found = np.zeros(len(cand), bool)
    for _ in range(HOLE_ROUNDS):
        shift = np.zeros(n)
        shift[cand[found]] = lost[found]
        r = resid - np.cumsum(shift)
        # each side with the sample at the step, which stands for it where it has none
        rb = np.column_stack([r[cand - 1], np.where(in_before, r[before], np.nan)])
        ra = np.column_stack([r[cand], np.where(in_after, r[after], np.nan)])
        lone_b, lone_a = ~in_before[:, 0], ~in_after[:, 0]
        mb = np.where(lone_b, rb[:, 0], np.nanmedian(np.where(lone_b[:, None], 0.0, rb[:, 1:]), axis=1))
        ma = np.where(lone_a, ra[:, 0], np.nanmedian(np.where(lone_a[:, None], 0.0, ra[:, 1:]), axis=1))
        spread = np.fmax(np.nanmax(ra, axis=1), np.nanmax(rb, axis=1)) - np.fmin(np.nanmin(ra, axis=1),
                                                                                 np.nanmin(rb, axis=1))
        sure = step >= JITTER_STEP_PERIODS - STEP_ROUNDING_PERIODS
        late = ~found & (((ma - mb >= 0.5) | (sure & at_end))
                         & (sure | (spread > 1.0 + JITTER_BAND_SLACK)))
        if not late.any():
            break
        # of the late steps near each other, the largest: the others may be late by its samples
        i = np.flatnonzero(late)
        w = HOLE_SIDE_SAMPLES + 1
        at = np.zeros(n + 2 * w)
        at[cand[i] + w] = steps[cand[i] - 1]
        nearby = np.lib.stride_tricks.sliding_window_view(at, 2 * w + 1).max(axis=1)   # (n,)
        found[i[steps[cand[i] - 1] >= nearby[cand[i]]]] = True
    return cand[found]


class FileSource(ArraySource):
    """A recording (anything ``replay`` accepts) played at real-time speed, for demos.

    A session folder's stored gaps (``session.json``'s ``gaps``) are told of as playback reaches
    them, as the device told of them live: a ``disconnected`` one as a "disconnected" notice
    once the samples before it are out and a "reconnected" one (with its end) as playback
    reaches its end; any other (``dropped samples``) as a "gap" notice at its end, with the
    samples it lost at the recording's rate; one where the played file's clock stepped back as a
    "clock" notice of its stream (the force's or the IMU's) as playback reaches its end (no sample
    lost: the times run on there)."""

    def __init__(self, path: str, speed: float = 1.0, audio: str | None = None, pacer: Pacer | None = None) -> None:
        from firmware_bridge.replay import load_input, marked_gaps

        self.spec = f"file:{path}"
        self.input = load_input(path, audio)
        streams = {}
        if self.input.force is not None:
            streams["force"] = (self.input.force.t_s, self.input.force.values)
        if self.input.imu is not None:
            streams["imu"] = (self.input.imu.t_s, self.input.imu.values)
        self._audio = None
        if self.input.audio_path is not None:
            # read in blocks as playback reaches it (whole, a two-hour file took gigabytes)
            self._audio = PlayedAudio(self.input)
            streams["audio"] = (self._audio.times, self._audio.samples)
            self.audio_rate_hz = float(self._audio.rate_hz)
        super().__init__(streams, speed=speed, pacer=pacer)
        m = self.input.meta
        # a bare CSV's sound has no place on its timeline until it is given one (replay's --audio,
        # --audio-start): sound beside it, named as it is, is not played, and said so on opening
        self._unplayed = (sound_beside(Path(path)) if m is None and audio is None and self.input.audio_path is None
                          else [])
        # as 'record' and the trainer's status line say it: "recording file s02.csv to …",
        # "reading session anna" (not "recording recording s02 to …")
        where = Path(path)
        self.info.update(name=f"{'session' if m is not None else 'file'} {where.name or where.resolve().name}",
                         rate_hz=self.input.force.rate_hz if self.input.force is not None else 0.0,
                         has_imu=self.input.imu is not None)
        if m is not None and m.r1_n is not None:
            self.info["calibration"] = {"r1_n": m.r1_n, "r2_n": m.r2_n}
        if m is not None and m.target:
            self.info["target"] = m.target
        if m is not None:                           # (one not a force is said on reading, and left out)
            from firmware_bridge.session_scheme import stored_min_amplitude

            self.min_amplitude_n = stored_min_amplitude(m)[0]
        # the stored gaps in the order they start: [start, end, reason, lost told, end told, stream]
        self._gaps = [[g.t_start, g.t_end, g.reason, False, False, g.stream]
                      for g in sorted(marked_gaps(self.input), key=lambda g: g.t_start)]
        self._gap_next = 0                          # the first not told of to its end
        main = self.input.force if self.input.force is not None else self.input.imu
        self._gap_rate_hz = main.rate_hz if main is not None else 0.0
        # the rate its samples come at, as a device's is measured (the status line's "rate 500
        # Hz"): its force's, or a worn IMU's alone; ``info`` gives no rate for a force it lacks
        self.stats.rate_hz = float(self._gap_rate_hz)
        self._main_t = main.t_s if main is not None else np.empty(0)
        # where its bad rows skipped lie in holes of its times (StreamData.skipped_at): rows said as
        # skipped, not samples lost, as replay counts them
        self._main_skipped_at = getattr(main, "skipped_at", None)
        # the device's sequence numbers jumped over the samples it lost, in force and IMU alike, and
        # over those it went on counting while away: per stream, the index of the first sample
        # after each such gap and the numbers skipped by then
        self._seq_jumps = {}
        lost = [(b, self._lost(a, b) if why != "disconnected" else max(1, int(round((b - a) * self._gap_rate_hz))))
                for a, b, why, *_ in self._gaps if self._gap_rate_hz > 0 and why != CLOCK_STEPPED_BACK]
        for name in ("force", "imu"):
            if name in self.streams and lost:
                cuts = np.searchsorted(self.streams[name][0], [b for b, _ in lost], side="right")
                self._seq_jumps[name] = (cuts, np.concatenate([[0], np.cumsum([n for _, n in lost])]))

    def open(self) -> None:
        """Start playing; what reading the recording found (bad rows skipped, audio left out) is
        told first, as ``replay`` warns of it: a recording made from it lacks those rows; and sound
        beside a CSV, which is not played, with the command that analyses the two together."""
        super().open()
        for w in self.read_warnings:
            self.notify("info", w)
        if self._unplayed:
            names = " and ".join(a.name for a in self._unplayed)
            main = self.input.force if self.input.force is not None and len(self.input.force.t_s) else self.input.imu
            start_s = float(main.t_s[0]) if main is not None and len(main.t_s) else 0.0     # (as replay places it)
            command = replay_with_sound(self.spec[len("file:"):], self._unplayed[0], start_s)
            self.notify("info", f"{self.spec}: {names} beside it {'is' if len(self._unplayed) == 1 else 'are'} "
                                f"not played or recorded (a CSV does not say where its sound starts); to analyse "
                                f"them together: {command}")

    @property
    def read_warnings(self) -> list[str]:
        """What reading the recording found (bad rows skipped, audio left out), each as it is told
        on opening, naming the played file: a recording made from it keeps them
        (session.json's ``extra.source_warnings``), as it lacks those rows. A played folder's
        missing session.json is not among them: the recording has its own, with the calibration it
        was made with."""
        from firmware_bridge.session import no_meta_warning

        played = Path(self.spec[len("file:"):])
        return [self._named_once(w) for w in self.input.warnings if w != no_meta_warning(played / "session.json")]

    def sound_range(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The lowest and highest sample of each channel of the sound it plays, when they may lie
        beyond full scale (a float file: libsndfile's FLOAT or DOUBLE), so that a recording can fit
        it to its own file once, from the start; None for any other (integer samples cannot), or
        without sound. The file is read once, in blocks, up to its tear; samples that are no
        numbers are left out (silence, as the analysis reads them)."""
        from analysis.cavitation import MAX_SAMPLE
        from firmware_bridge.replay.audio_file import read_until_torn
        from firmware_bridge.sound_files import open_sound, sound_info
        path = self.input.audio_path
        if path is None or sound_info(path).subtype not in ("FLOAT", "DOUBLE"):
            return None
        lo = hi = None
        with open_sound(path) as f:
            for blk in read_until_torn(f, 10 * f.samplerate):
                ok = np.abs(blk) < MAX_SAMPLE                 # (NaN, inf: not)
                bl, bh = np.where(ok, blk, np.inf).min(axis=0), np.where(ok, blk, -np.inf).max(axis=0)
                lo, hi = (bl, bh) if lo is None else (np.minimum(lo, bl), np.maximum(hi, bh))
        if lo is None:
            return None
        none = ~np.isfinite(lo)                             # (a channel of no numbers: silence)
        lo[none] = hi[none] = 0.0
        return lo.astype(np.float64), hi.astype(np.float64)

    def _named_once(self, warning: str) -> str:
        """A reading warning naming the played file or folder once: one in replay's words that
        begins with its name ("x.csv: 46 samples lost …", "anna: unfinished (still
        recording, or cut off) …") has the spec in its place; one that begins with a file inside the played
        folder ("anna/audio.flac: audio at 8000 Hz …") is said as replay says it, that file
        named in full (after the spec, it named the folder twice); any other after the spec."""
        import os

        given = str(Path(self.spec[len("file:"):]))
        if warning.startswith(given + ":"):
            return self.spec + warning[len(given):]
        if warning.startswith(given + os.sep):
            return warning
        return f"{self.spec}: {warning}"

    def close(self) -> None:
        super().close()
        if self._audio is not None:
            self._audio.close()

    def _lost(self, a: float, b: float) -> int | None:
        """Samples lost in the gap marked from ``a`` to ``b``, at the recording's rate; None when
        it has none: from the samples either side of the hole in the data (:func:`lost_in_gap`),
        as ``replay`` and ``screenshot --replay`` count it (less the bad rows skipped in the hole,
        which are said as such), and from ``a`` and ``b`` (its first and last lost sample) only
        where the data do not show the hole (none after it)."""
        rate = self._gap_rate_hz
        if not rate or rate <= 0:
            return None
        k, n = lost_in_gap(self._main_t, b, rate)
        if n <= 0:
            return int(round((b - a) * rate)) + 1
        if self._main_skipped_at is not None:
            n -= int(np.count_nonzero(self._main_skipped_at == k))
        return max(n, 0)

    @property
    def exhausted(self) -> bool:
        """Played to its end: its data, and the stored gaps told of (one may end after the data)."""
        return super().exhausted and self._gap_next >= len(self._gaps)

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        given = self._t_next                        # the data handed out so far reach this time
        out = super().read(timeout_s)
        self._tell_gaps(given, self._t_next)
        return [p for c in out for p in self._numbered(c)]

    def _numbered(self, c: Chunk) -> list[Chunk]:
        """``c`` (``seq0`` its first sample's index) with the device's sequence numbers, which
        jumped over the samples lost in a stored gap: split where they jump, as a device's are."""
        jumps = self._seq_jumps.get(c.stream)
        if jumps is None:
            return [c]
        cuts, lost_by = jumps
        i, j = c.seq0, c.seq0 + len(c)
        starts = [i, *np.unique(cuts[(cuts > i) & (cuts < j)]).tolist()]
        return [Chunk(c.t_s[a - i:b - i], c.values[a - i:b - i],
                      a + int(lost_by[np.searchsorted(cuts, a, side="right")]), c.stream, c.rate_hz)
                for a, b in zip(starts, starts[1:] + [j])]

    def _tell_gaps(self, given: float, upto: float) -> None:
        """Notices of the stored gaps playback has reached: a loss once the samples before it
        are out (``given``: what came after it would otherwise end it early), its end, or a gap of
        dropped samples, once playback reaches its end (``upto``: in the read that hands out the
        samples after it, whose notices come before them)."""
        name = self.info["name"]
        for g in self._gaps[self._gap_next:]:
            a, b, why, lost, done, stream = g
            if a > upto:
                break
            if done:
                continue
            if why == "disconnected":
                if not lost and (given >= a or b <= upto):
                    self.notify("disconnected", f"{name} at {a:.1f} s: the recorded sensor was lost for {b - a:.1f} s",
                                a)
                    g[3] = True
                if b <= upto:
                    self.notify("reconnected", f"{name} at {b:.1f} s: the recorded sensor is back", a, b)
                    g[4] = True
            elif why == CLOCK_STEPPED_BACK:
                if b <= upto:                   # (before the samples from b on: a new run from there)
                    self.notify("clock", f"{name} at {b:.2f} s: the played file's {'IMU ' if stream == 'imu' else ''}"
                                         f"clock stepped back here: the samples from here on are a new run, not "
                                         f"joined to those before", a, b, stream=stream)
                    g[4] = True
            elif b <= upto:
                n = self._lost(a, b)
                if n == 0:                      # (its hole is bad rows skipped, said so: as screenshot)
                    g[4] = True
                    continue
                lost_what = f"{n} sample{'s' if n != 1 else ''}" if n is not None else f"{b - a:.3f} s of samples"
                self.notify("gap", f"{name} at {a:.2f} s: {lost_what} lost in the recording", a, b, n)
                if n is not None:
                    self.stats.dropped += n
                g[4] = True
        while self._gap_next < len(self._gaps) and self._gaps[self._gap_next][4]:
            self._gap_next += 1


class PlayedAudio:
    """A recording's audio file read in blocks as playback reaches it, never whole: its samples
    (float32, (n, channels)) and their timeline times (s, float64, as
    ``ReplayInput.audio_times`` gives them), up to the tear of a torn file as replay reads it.

    ``times`` and ``samples`` stand for the two arrays of an :class:`ArraySource` stream: the
    times take ``len``, an index and ``searchsorted`` (which decodes up to the samples it
    counts, so that a tear found there shortens the stream first), the samples a slice from
    where the last one ended (playback goes forward; one further back is read again). What was
    handed out is let go."""

    def __init__(self, inp, block_s: float = 1.0) -> None:
        from firmware_bridge.replay.audio_file import audio_info

        self.path = inp.audio_path
        self.rate_hz, self.frames, self.channels = audio_info(self.path, count=True)  # (a torn file: fewer, once met)
        self._times_of = lambda k: inp.audio_times(k, self.rate_hz)
        self._per_s = float(inp.audio_rate_hz or self.rate_hz)
        self._t0 = float(inp.audio_t0_s)
        self._block = max(1, int(round(block_s * self.rate_hz)))
        self._file = self._blocks = None
        self._buf = np.zeros((0, self.channels), np.float32)    # decoded from frame _buf0, not let go
        self._buf0 = self._used = 0             # (_used: handed out up to)
        self.times, self.samples = _AudioTimes(self), _AudioSamples(self)

    def time(self, k: int) -> float:
        """The timeline time of sample ``k``, as the whole file's times would hold it."""
        return float(self._times_of(np.int64(k)))

    def count_upto(self, t_s: float) -> int:
        """Samples whose time is ``t_s`` or before (``np.searchsorted(times, t_s, "right")``),
        decoded by then: a torn file's tear met on the way shortens :attr:`frames` first."""
        k = (t_s - self._t0) * self._per_s
        j = int(min(max(np.floor(k) + 1, 0), self.frames)) if np.isfinite(k) else (self.frames if k > 0 else 0)
        while j > 0 and self.time(j - 1) > t_s:       # (the estimate's rounding, put right)
            j -= 1
        while j < self.frames and self.time(j) <= t_s:
            j += 1
        self._decode_to(j)
        return min(j, self.frames)

    def _decode_to(self, j: int) -> None:
        from firmware_bridge.replay.audio_file import read_until_torn
        from firmware_bridge.sound_files import open_sound
        end = self._buf0 + len(self._buf)
        if end >= j:
            return
        if self._blocks is None:
            self._file = open_sound(self.path)
            self._blocks = read_until_torn(self._file, self._block)
        new = [self._buf[self._used - self._buf0:]]         # (what was handed out, let go)
        self._buf0 = self._used
        while end < j:
            blk = next(self._blocks, None)
            if blk is None:                               # its end, or its tear: the stream ends here
                self.frames = end
                break
            new.append(blk)
            end += len(blk)
        self._buf = np.concatenate(new)

    def take(self, i: int, j: int) -> np.ndarray:
        """Samples ``i`` to ``j`` (float32, (j - i, channels)); those before ``j`` are let go."""
        if j <= i:
            return np.zeros((0, self.channels), np.float32)
        if i < self._buf0:                                # (back in the file: read again)
            from firmware_bridge.replay.audio_file import read_span
            from firmware_bridge.sound_files import open_sound
            with open_sound(self.path) as f:
                return read_span(f, i, j - i)
        self._decode_to(j)
        self._used = max(self._used, min(j, self._buf0 + len(self._buf)))
        return self._buf[i - self._buf0:j - self._buf0]

    def close(self) -> None:
        if self._blocks is not None:
            self._blocks.close()
        if self._file is not None:
            self._file.close()
        self._file = self._blocks = None


class _AudioTimes:
    """:class:`PlayedAudio`'s times, as far as a stream's times array is asked for them."""

    def __init__(self, audio: PlayedAudio) -> None:
        self.audio = audio

    def __len__(self) -> int:
        return self.audio.frames

    def __getitem__(self, k):
        a = self.audio
        if isinstance(k, slice):
            return a._times_of(np.arange(*k.indices(a.frames)))
        k = int(k) + (a.frames if k < 0 else 0)
        if not 0 <= k < a.frames:
            raise IndexError(k)
        return a._times_of(np.int64(k))

    def searchsorted(self, t_s: float, side: str = "right") -> int:
        if side != "right":
            raise ValueError("only side='right'")
        return self.audio.count_upto(float(t_s))


class _AudioSamples:
    """:class:`PlayedAudio`'s samples, as far as a stream's values array is asked for them."""

    def __init__(self, audio: PlayedAudio) -> None:
        self.audio = audio

    def __len__(self) -> int:
        return self.audio.frames

    def __getitem__(self, k: slice) -> np.ndarray:
        i, j, _ = k.indices(self.audio.frames)
        return self.audio.take(i, j)


def sound_beside(path: Path) -> list[Path]:
    """The audio files named as the data file ``path`` is (``x.flac``, ``x.wav`` beside
    ``x.csv``), as ``gradecoach simulate --audio`` writes them; a phone's recording too
    (``x.m4a``, ``x.mp4``), when PyAV is there to decode it."""
    from firmware_bridge.session import AUDIO_SUFFIXES, CONVERT_SUFFIXES
    from firmware_bridge.sound_files import decoder_installed

    found = []
    for suffix in AUDIO_SUFFIXES + (CONVERT_SUFFIXES if decoder_installed() else ()):
        for name in (path.stem + suffix, path.stem + suffix.upper()):
            a = path.with_name(name)
            if a != path and a.is_file() and a not in found:
                found.append(a)
    return found


def replay_with_sound(given: str, sound: Path, start_s: float = 0.0) -> str:
    """The command that analyses the data file ``given`` (as it was named) with the ``sound``
    beside it (:func:`sound_beside`), the sound started with the data at their first time
    ``start_s`` (s: a device's clock, ``simulate --t0``), as a sound recorded beside them is:
    "gradecoach replay x.csv --audio x.flac --audio-start 100 (if it began with the data, at 100 s)"."""
    import shlex

    from firmware_bridge.replay.inputs import ms_text

    return (f"gradecoach replay {shlex.quote(given)} --audio {shlex.quote(str(sound))}"
            + (f" --audio-start {ms_text(start_s)} (if it began with the data, at {ms_text(start_s)} s)"
               if start_s else ""))


SOURCES: dict[str, Callable[[str], Source]] = {}


def register_source(scheme: str, factory: Callable[[str], Source]) -> None:
    """``factory(rest_of_spec) -> Source``; one line per device kind."""
    SOURCES[scheme] = factory


def _emulator(rest: str) -> Source:
    from firmware_bridge.emulator import rate_error
    from firmware_bridge.scenarios import SCENARIOS

    scenario, at, rate = rest.partition("@")
    scenario = scenario or "mixed"
    if scenario not in SCENARIOS:
        raise InputError(f"emulator:{rest}: unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
    try:
        rate_hz = float(rate) if at else 1000.0
    except ValueError:
        raise InputError(f"emulator:{rest}: rate {rate!r} is not a number (emulator:SCENARIO@HZ)") from None
    if (why := rate_error(rate_hz, line=True)) is not None:
        raise InputError(f"emulator:{rest}: rate {why}")
    return EmulatorSource(scenario, rate_hz)


def _file(rest: str) -> Source:
    if not rest:
        raise InputError("file: give a recording, e.g. file:fixtures/demo_mixed.csv or file:sessions/anna")
    return FileSource(rest)


register_source("emulator", _emulator)
register_source("file", _file)


def open_source(spec: str) -> Source:
    """Build (not open) the source for ``spec``; unknown schemes are a one-line InputError."""
    for mod in ("firmware_bridge.serial_source", "firmware_bridge.ble"):
        try:
            __import__(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise
    scheme, _, rest = spec.partition(":")
    if scheme not in SOURCES:
        # (in one order, whichever module registered its kind first)
        kinds = [k for k in ("emulator", "file", "serial", "ble") if k in SOURCES]
        kinds += [k for k in SOURCES if k not in kinds]
        hint = ""
        if "serial" in SOURCES and (spec.startswith("/dev/") or re.fullmatch(r"(?i)com\d+", spec)
                                    or (os.path.exists(spec) and stat.S_ISCHR(os.stat(spec).st_mode))):
            hint = f"; did you mean serial:{spec}?"
        elif os.path.exists(spec) and "file" in SOURCES:
            hint = f"; did you mean file:{spec}?"
        raise InputError(f"unknown device spec {spec!r}{hint or '; use ' + ', '.join(f'{k}:...' for k in kinds)}")
    return SOURCES[scheme](rest)
