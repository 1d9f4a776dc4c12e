"""An emulated sensor on a pseudo-terminal: any client opens the link as a serial port.

It speaks the reference firmware's binary protocol (or, with ``line=True``, ``t_ms,force``
lines), answers identify/start/stop/tare/set_rate with the documented messages, and streams a
scenario's force (``firmware_bridge.scenarios``) in real time, or ``speed`` times faster for
tests, paced by :class:`~firmware_bridge.source_base.Pacer` so timing errors never pile up. The
scenario's ground truth (cycles with their grades, thrusts) is kept in ``truth`` on the
device's clock; ``stop()`` leaves in it only the events that end by the last sample taken (a cycle
by its ``t_end``, a thrust by its peak), so a recording compared with it misses none it was not sent. ``unplug()``/``open_pty()`` simulate a cable pulled and plugged back.

Like a real board it keeps sampling while nobody reads, on time: what the terminal does not take
waits in a transmit buffer of ``tx_buffer_bytes`` (the reference firmware's 8 KiB, times
``speed``), and a frame that does not fit is lost, which shows as a jump of the sequence number
(binary) or of ``t_ms`` (lines). So a reader that comes back gets at most that backlog, then the
samples of the moment, never the whole stall in a burst. ``baud`` limits the byte rate
as a UART would (a native-USB board has no limit); ``drift_ppm`` makes its clock run fast and
``t0_us`` starts its µs counter elsewhere than 0 (to see it wrap); ``lose_frames`` are frame
numbers it takes but never writes.

One emulator serves a link at a time: ``start()`` takes a lock named after the link (in the
temporary folder, held until ``stop()`` or the process ends) and raises :class:`LinkBusy` when
another emulator holds it, instead of pointing the link away from a sensor still streaming.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
import tty
from collections import deque
from pathlib import Path

import numpy as np

from analysis.errors import DeviceError
from firmware_bridge.protocol import binary
from firmware_bridge.scenarios import R1_N, R2_N, scenario_signal
from firmware_bridge.sources import Pacer

TRUTH_TIME_KEYS = ("t_start", "t_end", "t_crest", "t_onset", "t_peak")
TX_BUFFER_BYTES = 8192       # the reference firmware's Serial.setTxBufferSize (firmware/src/main.cpp)
MAX_RATE_HZ = 4000.0
LINE_BATCH_S = 0.01          # lines written together (as a USB packet would carry them), at most 10
MIN_BINARY_RATE_HZ = 1e6 / 65535   # the samples message's dt_us is a u16 (docs/protocol.md): ≈ 15.3 Hz


def rate_error(rate_hz: float, line: bool = False) -> str | None:
    """Why the emulator cannot sample at ``rate_hz`` (Hz) with this protocol, or None when it
    can. The reason starts with the rate, so a caller can put the option's name before it."""
    if line and not 0 < rate_hz <= MAX_RATE_HZ:
        return f"{rate_hz:g} Hz: give more than 0 and at most {MAX_RATE_HZ:g} Hz"
    if not line and not MIN_BINARY_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        slower = ", or the line protocol (--line) for a slower sensor" if 0 < rate_hz < MIN_BINARY_RATE_HZ else ""
        return (f"{rate_hz:g} Hz: the binary protocol carries {MIN_BINARY_RATE_HZ:.2f}..{MAX_RATE_HZ:g} Hz "
                f"(its sample interval is a 16-bit count of µs); give a rate in that range{slower}")
    return None


def truth_end_s(event: dict) -> float:
    """When a ground-truth event is over (s, scenario time): the latest of its times, a cycle's
    ``t_end``, a thrust's ``t_peak``."""
    return max(event[k] for k in TRUTH_TIME_KEYS if k in event)


class LinkBusy(DeviceError):
    """Another emulator, alive, serves the link; ``reason`` says so without naming the link."""

    def __init__(self, link: Path, reason: str) -> None:
        super().__init__(f"{link}: {reason}")
        self.reason = reason


def _lock_path(link: Path) -> Path:
    """The lock file of ``link``: one per absolute link path (the link itself not followed)."""
    where = os.path.join(os.path.realpath(link.parent), link.name)
    return Path(tempfile.gettempdir()) / f"gradecoach-emulate-{hashlib.sha1(where.encode()).hexdigest()[:16]}.lock"


def lock_link(link: Path) -> tuple[int, Path]:
    """Take the lock of ``link``: its file descriptor and file; :class:`LinkBusy` when another
    emulator holds it. The kernel drops the lock when its holder ends, however it ends, so a link
    left behind by a killed emulator is free."""
    path = _lock_path(link)
    while True:
        try:
            fd, mine = os.open(path, os.O_RDWR | os.O_CREAT, 0o644), True
        except PermissionError:                # another user's lock file: it still locks
            fd, mine = os.open(path, os.O_RDONLY), False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            who = f"another emulator (pid {pid})" if pid.isdigit() else "another emulator"
            raise LinkBusy(link, f"{who} serves this link; stop it first or choose another link") from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:              # its holder removed it as we took it: take the new one
            same = False
        if same:
            if mine:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
            return fd, path
        os.close(fd)


def unlock_link(fd: int, path: Path) -> None:
    """Give a lock taken by :func:`lock_link` back, removing its file while still holding it."""
    try:
        path.unlink()
    except OSError:                            # gone already, or another user's (left for them)
        pass
    os.close(fd)


def left_behind(link: str | Path) -> int | None:
    """The process id of the emulator that made the link ``link`` when it is no longer running
    (killed, so it could not remove the link: the terminal the link leads to may since be another
    program's), else None. Told by the link's lock file, which names its holder; the lock itself
    is not touched (an emulator starting on the link at that moment would find it taken)."""
    p = Path(link)
    if not p.is_symlink():
        return None
    try:
        pid = int(_lock_path(p).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    except OSError:                            # (another user's: it runs)
        return None
    return None


class PtyEmulator:
    """The emulated sensor. ``start()`` creates the terminal and the streaming thread."""

    def __init__(self, link: str | Path, scenario: str = "mixed", rate_hz: float = 1000.0, line: bool = False,
                 speed: float = 1.0, seed: int = 0, per_frame: int | None = None, autostart: bool = True,
                 baud: int | None = None, drift_ppm: float = 0.0, lose_frames: frozenset[int] = frozenset(),
                 t0_us: int = 0, tx_buffer_bytes: int | None = None) -> None:
        scenario_signal(scenario, 10.0, seed)          # an unknown scenario fails here, in the caller
        if (why := rate_error(rate_hz, line)) is not None:
            raise ValueError(f"rate {why}")
        self.link, self.scenario, self.rate_hz, self.line = Path(link), scenario, float(rate_hz), line
        if per_frame is None:      # the firmware packs 10 samples a frame; a sketch prints each line
            per_frame = max(1, min(10, int(rate_hz * LINE_BATCH_S))) if line else 10
        self.speed, self.seed, self.per_frame = speed, seed, per_frame
        self.baud, self.drift_ppm, self.lose_frames, self.t0_us = baud, drift_ppm, lose_frames, t0_us
        # faster than real time, the buffer holds as many wall-clock seconds as at real time
        self.tx_buffer_bytes = tx_buffer_bytes if tx_buffer_bytes is not None else int(TX_BUFFER_BYTES * max(1.0, speed))
        self.streaming = autostart
        self.sent = 0                  # samples taken so far (= next sequence number)
        self.t_last_s: float | None = None   # scenario time of the last sample taken
        self.lost = 0                  # samples taken but never written (nobody reading, baud too low)
        self.frames = 0
        self.tare_n = 0.0
        self.truth: list[dict] = []
        self.commands: list[binary.Command] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._dec = binary.BinaryDecoder()
        self._byte_time = 0.0          # data time at which the UART is free again
        self._tx: deque[list] = deque()   # [bytes not yet written, samples in them] in order
        self._tx_bytes = 0
        self._tx_fd = -1               # the terminal the waiting bytes are for
        self.started_at: float | None = None   # monotonic time at which device time 0 was due
        self.master = self.slave = -1
        self._pty_name = ""            # the terminal ``link`` points at while plugged in
        self._lock: tuple[int, Path] | None = None   # the link's lock, held from start() to stop()

    # --- the terminal ---------------------------------------------------------------------
    def open_pty(self) -> None:
        """Create the pseudo-terminal and point ``link`` at it (plug the cable in)."""
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        name = os.ttyname(slave)
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(name)
        self.master, self.slave, self._pty_name = master, slave, name

    def unplug(self) -> None:
        """Close the terminal: the client sees the device vanish."""
        master, slave = self.master, self.slave
        self.master = self.slave = -1
        for fd in (master, slave):
            if fd >= 0:
                os.close(fd)
        # only our own link: another emulator started on the same path since then keeps its own
        if self.link.is_symlink() and os.readlink(self.link) == self._pty_name:
            self.link.unlink()

    def owns_link(self) -> bool:
        """Whether ``link`` still leads to this emulator's terminal (plugged in, and nobody
        removed the link or pointed it elsewhere)."""
        try:
            return self.master >= 0 and os.readlink(self.link) == self._pty_name
        except OSError:
            return False

    def claim(self) -> None:
        """Take the link's lock (:class:`LinkBusy` when another emulator serves it), so a caller
        can learn before preparing anything else that the link is its own; ``start()`` takes it
        when it was not taken, ``release()`` or ``stop()`` gives it back."""
        if self._lock is None:
            self._lock = lock_link(self.link)

    def release(self) -> None:
        if self._lock is not None:
            unlock_link(*self._lock)
            self._lock = None

    def start(self) -> None:
        """Take the link (:class:`LinkBusy` when another emulator serves it) and stream."""
        self.claim()
        try:
            self.open_pty()
        except BaseException:
            self.release()
            raise
        self._thread = threading.Thread(target=self._run, name="pty-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2.0)
        self.unplug()
        self._flush()                  # what was still waiting to be written is lost
        self.release()
        # a scenario pass's truth is added as the pass starts: what came after the last sample is
        # none of the sensor's (a recording compared with it would count it missed)
        last = self.t_last_s if self.t_last_s is not None else -np.inf
        self.truth = [e for e in self.truth if truth_end_s(e) <= last]

    # --- host commands --------------------------------------------------------------------
    def identify(self) -> binary.Identify:
        return binary.Identify("gradecoach emulator", "emu-1.0", self.rate_hz, "N",
                               {"r1_n": R1_N, "r2_n": R2_N, "scenario": self.scenario}, False)

    def _commands(self) -> bool:
        """Answer waiting host commands; True when the sample rate changed."""
        if self.master < 0 or self.line:
            return False
        try:
            data = os.read(self.master, 4096)
        except (BlockingIOError, OSError):
            return False
        changed = False
        for m in self._dec.feed(data):
            if not isinstance(m, binary.Command):
                continue
            self.commands.append(m)
            ok = True
            if m.name == "identify":
                self._write(binary.encode_identify(self.identify()))
            elif m.name in ("start", "stop"):
                self.streaming = m.name == "start"
            elif m.name == "tare":
                self.tare_n = self._last_force
            elif m.name == "set_rate":
                ok = m.arg is not None and rate_error(m.arg) is None
                if ok and m.arg != self.rate_hz:
                    self.rate_hz, changed = float(m.arg), True
            self._write(binary.encode_ack(m.name, ok))
        return changed

    def _write(self, data: bytes, t_data: float | None = None, samples: int = 0) -> bool:
        """Queue one frame or batch of lines taken at data time ``t_data`` for the terminal and
        write what it takes, never waiting; False when it was lost (unplugged, transmit buffer
        or UART full). An answer to a command (``t_data`` None) waits behind what the UART holds."""
        if self.baud:
            need = len(data) * 10.0 / self.baud          # 8N1: ten bit times per byte
            if t_data is None:
                t_data = self._byte_time
            elif self._byte_time - t_data > 0.05:        # the UART's buffer is full: this frame is lost
                return False
            self._byte_time = max(self._byte_time, t_data) + need
        self._flush()
        if self.master < 0 or self._tx_bytes + len(data) > max(self.tx_buffer_bytes, len(data)):
            return False
        self._tx.append([memoryview(data), samples])
        self._tx_bytes += len(data)
        self._flush()
        return True

    def _flush(self) -> None:
        """Write what the terminal takes now. Bytes queued for a terminal since closed are lost,
        and so are the samples in them."""
        if self._tx_fd != self.master:
            self.lost += sum(n for _, n in self._tx)
            self._tx.clear()
            self._tx_bytes, self._tx_fd = 0, self.master
        while self._tx:
            view = self._tx[0][0]
            try:
                n = os.write(self._tx_fd, view)
            except BlockingIOError:
                return
            except OSError:                              # closed under us: the next call drops the rest
                self._tx_fd = -2
                return
            self._tx_bytes -= n
            if n < len(view):
                self._tx[0][0] = view[n:]
                return
            self._tx.popleft()

    # --- streaming -----------------------------------------------------------------------
    def _run(self) -> None:
        pacer = Pacer(self.speed)
        t_off, seed = 0.0, self.seed
        self._last_force = 0.0
        nxt = scenario_signal(self.scenario, self.rate_hz, seed)   # ready before the clock starts
        pacer.start(0.0)
        self.started_at = pacer._t0_wall
        while not self._stop.is_set():
            rate = self.rate_hz
            t, y, truth = nxt if nxt is not None else scenario_signal(self.scenario, rate, seed)
            nxt = None
            t = t + t_off
            self.truth += [dict(e, **{k: e[k] + t_off for k in TRUTH_TIME_KEYS if k in e}) for e in truth]
            i = 0
            while i < len(t) and not self._stop.is_set():
                if self._commands():
                    t_off = float(t[i])                 # go on from here at the new rate
                    # (what was being sent is never finished: the new rate starts a new signal)
                    self.truth = [e for e in self.truth if truth_end_s(e) <= t_off]
                    break
                k = min(self.per_frame, len(t) - i)
                wait = pacer.due(float(t[i + k - 1]))
                if wait > 0:
                    self._flush()
                    self._stop.wait(min(wait, 0.02))
                    continue
                self._send(t[i:i + k], y[i:i + k] - self.tare_n, rate)
                self._last_force = float(y[i + k - 1])
                i += k
            else:
                t_off = float(t[-1]) + 1.0 / rate
                seed += 1

    def signal(self, n: int) -> tuple:
        """The first ``n`` samples the device took, ``(t_s, force_n)`` on its own clock (no rate change)."""
        ts, ys, t_off, seed, have = [], [], 0.0, self.seed, 0
        while have < n:
            t, y, _ = scenario_signal(self.scenario, self.rate_hz, seed)
            ts.append(t + t_off)
            ys.append(y)
            have += len(t)
            t_off, seed = float(t[-1] + t_off) + 1.0 / self.rate_hz, seed + 1
        return np.concatenate(ts)[:n], np.concatenate(ys)[:n]

    def _send(self, t, y, rate: float) -> None:
        k = len(t)
        t_dev = t * (1.0 + self.drift_ppm * 1e-6)
        frame = self.frames
        self.frames += 1
        ok = False
        if self.streaming and self.master >= 0 and frame not in self.lose_frames:
            if self.line:
                data = "".join(f"{t_dev[j] * 1000:.3f},{y[j]:.3f}\n" for j in range(k)).encode()
            else:
                data = binary.encode_samples(self.sent, self.t0_us + int(round(t_dev[0] * 1e6)), int(round(1e6 / rate)), y)
            ok = self._write(data, float(t[0]), k)
        if self.streaming and not ok:
            self.lost += k
        self.sent += k
        self.t_last_s = float(t[-1])
