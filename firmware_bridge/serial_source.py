"""USB serial sensors: ``serial:PATH[@BAUD]``, binary or line protocol, detected from the bytes.

A reader thread reads the port, decodes (``firmware_bridge.protocol``), puts device samples on
the host timeline (:class:`~firmware_bridge.device_clock.DeviceClock`) and hands chunks over
through a bounded queue; ``read()`` drains it. Each force chunk's ``seq0`` is the device's
sample counter, so ``diff(seq) == 1`` shows nothing was lost; a jump posts a ``gap`` notice
with the missing samples' times. An unplug (``SerialException``/``OSError``, or the path
vanishing) posts ``disconnected``; the thread retries with backoff, finds the port again by USB
ids when it had them (``ports`` is injectable: pyserial does not list pseudo-terminals), and on
success posts ``reconnected`` with the gap's times, so a recording goes on in the same session.
A device whose clock starts again (a reset: its time back near 0) posts one ``info`` notice per
restart, naming the line or sample; what it sends after it goes on the same timeline, after
what came before, re-anchored as after a reconnect. The first second of blocks (at the start and
after a reconnect) is held back while the clock settles; ``release_held()`` hands it over at once
when a recording stops.
"""

from __future__ import annotations

import collections
import errno
import grp
import math
import os
import pwd
import queue
import stat
import threading
import time
from typing import Callable, Iterable

import numpy as np
import serial
from serial.tools import list_ports

from analysis.chunk import Chunk
from analysis.errors import DeviceError
from firmware_bridge.device_clock import DeviceClock
from firmware_bridge.emulator import left_behind
from firmware_bridge.protocol import binary
from firmware_bridge.protocol.line import LineDecoder
from firmware_bridge.sources import Notice, Source, register_source

QUEUE_CHUNKS = 4000           # about 40 s of 1 kHz in 10-sample frames before anything is dropped
BACKOFF_S = (0.1, 2.0)        # first retry, longest wait between retries
UNTIMED_FIRST_DT_S = 0.01     # spacing of the very first batch of untimed lines (no rate known yet)
WARMUP_S = 1.0                # blocks held back at the start, so a start-up burst does not set the clock
DETECT_BYTES = 512             # bytes without a whole frame or two lines before delimiters decide
START_SLACK_S = 0.02          # samples taken this little before the opening still start the timeline
                              # (a frame that straddles it); the timeline catches up within a second
LINE_DT_LINES = 8             # time steps between timed lines that give their period (and rate_hz)
RESTART_CONFIRM_LINES = 3     # lines whose times rise again after going back: a restarted clock, not garbage
JUMP_AHEAD_S = 0.25           # a timed line this far ahead of the one before, beyond the host time between
                              # them, waits for lines going on from it: noise in its time, or samples lost?
                              # (a digit of noise put into a time of 100 ms or more moves it 900 ms or more)
RESTART_NOTICES = 3           # restarts said one by one; more (a first column that is no clock) are counted
SILENT_S = 2.0                # no byte for this long (or 3 times the longest of the recent times between
                              # samples' arrivals, or 3 sample periods, of a slower device) with the port
                              # open: the device went silent, said and marked as a gap until it sends again
ARRIVALS_KEPT = 8             # recent times between samples' arrivals that set how long is silent
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
SLOW_LINK_S = 2.0             # samples lost steadily for this long (a gap a second or more, 5 % of them or
                              # more) at a byte rate a UART at one of BAUD_RATES carries: the link is too slow
RAW_NOTICE_LINES = 10         # raw ADC reading lines with no force between: an uncalibrated sketch, said once
                              # (bogde's HX711 full example prints 6 before its calibrated lines)
CALIBRATE_HINT = ("calibrate the sketch (a scale factor from a known weight) to print newtons, kg, g or lb, "
                  "e.g. 'Force: 12.3 N'")


def open_serial(path: str, baud: int) -> serial.Serial:
    """Open ``path`` for this program alone: pyserial's ``exclusive`` takes an advisory lock
    (POSIX ``flock``; Windows opens a port for one program anyway), so a port another gradecoach
    reads is refused (:class:`PortBusy`) instead of shared, its bytes split between the two and
    one's ``stop`` halting the device for the other."""
    try:
        return serial.Serial(path, baud, timeout=0.05, exclusive=True)
    except serial.SerialException as e:
        if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES) and "lock" in str(e):
            raise PortBusy(path) from None
        raise


def why_not_opened(path: str, e: BaseException) -> str:
    """One line on why opening ``path`` failed with ``e``: for a permission refused, what to do
    about it (the port's group, from its mode and owner); else pyserial's first line, with its
    errno said once rather than twice."""
    if getattr(e, "errno", None) == errno.EACCES and "lock" not in str(e):
        return no_permission(path)
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return f"cannot open ({text})"


def no_permission(path: str) -> str:
    """'no permission to open the port …' with the way to be given it: joining the port's group
    (dialout on Debian/Ubuntu) when the group may read and write it, else asking its owner."""
    try:
        st = os.stat(path)
    except OSError:
        return "no permission to open the port"
    try:
        group = grp.getgrgid(st.st_gid).gr_name
        members = grp.getgrgid(st.st_gid).gr_mem
    except KeyError:
        group, members = str(st.st_gid), []
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        me = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        me = str(os.getuid())
    mode = stat.filemode(st.st_mode)[1:]
    if st.st_mode & 0o060 == 0o060 and st.st_uid != os.getuid():
        if st.st_gid in os.getgroups() or st.st_gid == os.getgid():
            return f"no permission to open the port (its group is {group}, mode {mode})"
        if me in members:
            return (f"no permission to open the port (its group is {group}): you were added to {group} after "
                    f"this login began; log in again")
        return (f"no permission to open the port (its group is {group}): add yourself with "
                f"`sudo usermod -aG {group} $USER`, then log in again")
    return (f"no permission to open the port (it is {owner}'s, group {group}, mode {mode}): "
            f"ask its owner or root to let you read and write it")


class PortBusy(serial.SerialException):
    """The port is held by another program that locked it (another gradecoach recording,
    trainer or probe)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} is in use by another program (another gradecoach recording, trainer or probe?)")


class PortBusyError(DeviceError):
    """Opening a port another program holds (:class:`PortBusy`): one line for ``record``; the
    trainer waits for it to be free."""


def not_a_port(path: str) -> str | None:
    """Why ``path`` cannot be a serial port, or None (a serial port, a path that is not there, or
    a name such as COM3). A port is a terminal device: a folder, a regular file, a named pipe, a
    socket, a disk or a device of another kind (/dev/null) is none ("a file, not a serial port").
    Nothing is opened but a device Linux does not name in /sys (a pseudo-terminal) or any device
    elsewhere, and that without blocking; a named pipe is never opened (that waits for a writer)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        return "a folder, not a serial port"
    if stat.S_ISREG(mode):
        return "a file, not a serial port"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a serial port"
    if stat.S_ISSOCK(mode):
        return "a socket, not a serial port"
    if stat.S_ISBLK(mode):
        return "a disk (block device), not a serial port"
    if stat.S_ISCHR(mode) and not _terminal(path, st.st_rdev):
        return "a device that is not a serial port"
    return None


def _terminal(path: str, rdev: int) -> bool:
    """Whether the character device ``path`` is a terminal (a serial port, a pseudo-terminal);
    True when it cannot be told (no permission to open it: opening the port says why)."""
    if not hasattr(os, "O_NOCTTY"):
        return True
    kind = f"/sys/dev/char/{os.major(rdev)}:{os.minor(rdev)}/subsystem"
    if os.path.exists(kind):                       # (Linux names each device's kind: no open)
        return os.path.basename(os.path.realpath(kind)) == "tty"
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return True
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


class SerialSource(Source):
    """A serial sensor. ``clock`` (host seconds) and ``ports`` (port lister) are injectable."""

    def __init__(self, path: str, baud: int = 115200, clock: Callable[[], float] = time.monotonic,
                 open_timeout_s: float = 5.0, ports: Callable[[], Iterable] = list_ports.comports) -> None:
        super().__init__()
        self.spec, self.path, self.baud = f"serial:{path}", path, baud
        self.clock, self.ports, self.open_timeout_s = clock, ports, open_timeout_s
        self.info.update(name=f"serial {path}", port=path)
        self.usb_id: tuple | None = None          # (vid, pid, serial number) of the port first opened
        self.error: BaseException | None = None
        self._q: queue.Queue = queue.Queue(maxsize=QUEUE_CHUNKS)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._release_asked = threading.Event()   # release_held() asks the reader thread ...
        self._released = threading.Event()        # ... which answers once the held blocks are out
        self._away = False                        # the device is lost, the reader reconnecting
        self._silent: float | None = None         # the device went silent (port open): its last sample's time
        self._silent_since = 0.0                  # ... and the clock's time of its last byte
        self._thread: threading.Thread | None = None
        self._port: serial.Serial | None = None
        self._proto: str | None = None
        self._seen = bytearray()          # bytes looked at while the protocol is not known yet
        self._t0 = 0.0
        self.bytes_in = 0                 # bytes read from the port, samples in them or not
        self._said_counts = False         # an unusable counts calibration is named once
        self._last_t = 0.0                # the timeline starts at open(); nothing goes before it
        self._rate_mark: tuple[float, int] | None = None
        self.restarts = 0                 # times the device's clock started again (a reset)
        self._link: tuple[float, int, int, int] | None = None   # (host time, bytes, samples, lost) at the first sample
        self._gaps_n = 0                  # sequence jumps told
        self._said_slow = False
        self._said_ratio = False          # a device clock far off the computer's is named once
        self._reset_stream()

    def _reset_stream(self) -> None:
        """New decoders and clock (at open and after a reconnect: the device may have restarted)."""
        self._bin, self._line = binary.BinaryDecoder(), LineDecoder()
        self._clock_map = DeviceClock()
        self._clock_map.reset(not_before_s=self._last_t)
        self._next_seq: int | None = None
        self._t_us_last: int | None = None
        self._t_dev_end = 0.0             # device time of the last sample (s), for a restart's notice
        self._t_us_base = 0
        self._line_seq = 0
        self._line_dt: float | None = None
        self._line_steps: list[float] = []    # time steps (ms) between the first lines, for _line_dt
        self._line_prev: float | None = None
        self._line_prev_at = 0.0          # when the line of time _line_prev arrived (host timeline)
        self._line_ahead: list[tuple[float, float, int]] = []  # lines far ahead of the last: a jump?
        self._arrival_prev: float | None = None
        self._line_run_end: tuple[int | None, float] = (None, 0.0)
        self._line_cand: list[tuple[float, float, int]] = []   # lines that went back: a new clock?
        self._joined = False
        self._held: list[tuple] = []
        self._held_since: float | None = None
        self._arrived_at: float | None = None     # when samples last came (host timeline)
        self._arrivals: collections.deque = collections.deque(maxlen=ARRIVALS_KEPT)  # times between them

    # --- life cycle -------------------------------------------------------------------
    def _find_path(self) -> str:
        """The port to (re)open: the same USB device if it was one, else the same path."""
        if self.usb_id is not None:
            for p in self.ports():
                if (p.vid, p.pid, p.serial_number) == self.usb_id:
                    return p.device
        return self.path

    def _open_port(self) -> None:
        path = self._find_path()
        self._port = open_serial(path, self.baud)
        self.info["port"] = path
        if self.usb_id is None:
            real = os.path.realpath(path)
            for p in self.ports():
                if p.vid is not None and os.path.realpath(p.device) == real:
                    self.usb_id = (p.vid, p.pid, p.serial_number)
        try:
            self._port.write(binary.encode_command("identify") + binary.encode_command("start"))
        except (serial.SerialException, OSError):
            pass                     # a read-only or line-protocol device: it streams anyway

    def open(self) -> None:
        # (a dead emulator's link first: the terminal it names may since be another program's, or
        # no one's, and either way what to do is start the emulator again)
        if (pid := left_behind(self.path)) is not None:
            raise DeviceError(f"{self.spec}: a link left by an emulator that is no longer running (pid {pid}); "
                              f"the terminal it leads to may be another program's: start the emulator again")
        if why := not_a_port(self.path):
            raise DeviceError(f"{self.spec}: {why}")
        if not os.path.exists(self.path) and "://" not in self.path:
            raise DeviceError(f"{self.spec}: cannot open (no such port; 'gradecoach devices' lists them)")
        deadline = self.clock() + self.open_timeout_s
        while True:
            try:
                self._open_port()
                break
            except PortBusy:
                raise PortBusyError(f"{self.spec}: port busy: another program holds {self.path} "
                                    f"(another gradecoach recording, trainer or probe?); stop it first") from None
            except (serial.SerialException, OSError) as e:
                if self.clock() >= deadline:
                    raise DeviceError(f"{self.spec}: {why_not_opened(self.path, e)}") from None
                time.sleep(0.1)
        self._t0 = self.clock()
        self._thread = threading.Thread(target=self._run, name="serial-reader", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2.0)
        if self._port is not None:
            try:
                self._port.write(binary.encode_command("stop"))
                self._port.close()
            except (serial.SerialException, OSError):
                pass

    def release_held(self, timeout_s: float = 1.0) -> None:
        """Hand over at once what the reader holds back while the device's clock settles (its first
        second, and its first after a reconnect), with the bytes the port has waiting: a recording
        that stops takes them (``read()``), so nothing the device sent before the stop is left out.
        They go on the timeline by the clock as it is so far. Waits at most ``timeout_s``."""
        if self._thread is None or not self._thread.is_alive() or self._away:
            return                          # (a lost device's held samples went out when it was lost)
        self._released.clear()
        self._release_asked.set()
        self._released.wait(timeout_s)

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        out = []
        try:
            out.append(self._q.get(timeout=timeout_s))
            while True:
                out.append(self._q.get_nowait())
        except queue.Empty:
            pass
        if self.error is not None:
            err, self.error = self.error, None
            raise err
        return out

    def notify(self, kind: str, message: str, t_s: float | None = None, t_end_s: float | None = None,
               samples: int | None = None) -> None:
        with self._lock:              # the reader thread posts, the consumer drains
            self._notices.append(Notice(kind, message, t_s, t_end_s, samples))

    def notices(self) -> list[Notice]:
        with self._lock:
            out, self._notices = self._notices, []
        return out

    def now_s(self) -> float:
        """The host timeline's current time (seconds since open)."""
        return self.clock() - self._t0

    def silent(self, seconds: float) -> str:
        if not self.bytes_in:
            return super().silent(seconds)
        if self._proto == "line" and self._line.raw_lines:
            n, text = self._line.first_raw
            raw = self._line.raw_lines
            return (f"{self.bytes_in} bytes in {seconds:g} s but no samples: {raw} line{'s' if raw != 1 else ''} of "
                    f"raw ADC readings (line {n}: {text!r}), not forces; {CALIBRATE_HINT}")
        if self._proto == "line" and self._line.record_lines and not self.stats.crc_errors:
            n, text = self._line.first_record
            k = self._line.record_lines
            return (f"{self.bytes_in} bytes in {seconds:g} s but no samples: {k} line{'s' if k != 1 else ''} of text "
                    f"in fields (line {n}: {text[:60]!r}{'…' if len(text) > 60 else ''}), such as a GPS prints: "
                    f"not a force sensor (text)")
        text = self._line.lines - self.stats.crc_errors      # lines of words only: a sketch's talk
        bad = self.stats.crc_errors
        what = {"binary": f"{bad} bad frame{'s' if bad != 1 else ''}",
                "line": f"{bad} unreadable line{'s' if bad != 1 else ''}" + (
                    f", {text} line{'s' if text != 1 else ''} of text without a number" if text > 0 else ""),
                None: "no frame or line"}[self._proto]
        return (f"{self.bytes_in} bytes in {seconds:g} s but no samples ({what}): not the binary or line "
                f"protocol at {self.baud} baud; a wrong baud rate (serial:PORT@BAUD) or not a sensor?")

    # --- reader thread ------------------------------------------------------------------
    def _silent_after_s(self) -> float:
        """How long without a byte the device is said to be silent: ``SILENT_S``, or three sample
        periods, or three times the longest of the recent times between samples' arrivals, of a
        device slower than that allows (a sketch printing every 2.5 s); never while neither is
        known (an untimed sketch's samples came once)."""
        rate = self.stats.rate_hz or self.info.get("rate_hz") or 0.0
        if rate <= 0 and not self._arrivals:
            return math.inf         # samples came once: how often it sends is not known yet
        after = max(SILENT_S, 3.0 / rate) if rate > 0 else SILENT_S
        return max(after, 3.0 * max(self._arrivals)) if self._arrivals else after

    def _arrived(self, t_host: float) -> None:
        """Samples came at ``t_host``: the time since the ones before counts towards how long is
        silent (measured as they arrive, so a device slower than ``SILENT_S`` is not said silent
        before its rate is known), unless a silence was said between them."""
        if self._arrived_at is not None and self._silent is None and t_host > self._arrived_at:
            self._arrivals.append(t_host - self._arrived_at)
        self._arrived_at = t_host

    def _run(self) -> None:
        idle_since = self.clock()
        while not self._stop.is_set():
            releasing = self._release_asked.is_set()
            if releasing:
                self._release_asked.clear()
            try:
                # whatever is waiting, or block (≤ timeout) for the first byte: no added latency
                data = self._port.read(self._port.in_waiting or (0 if releasing else 1))
                if not data and self._held and self.now_s() - self._held_since >= WARMUP_S:
                    self._release_held()            # a device that sent a burst and went quiet
                if not data and self.clock() - idle_since > 0.5:
                    if not os.path.exists(self.info["port"]):
                        raise serial.SerialException(f"{self.info['port']} vanished")
                    quiet = self.clock() - idle_since
                    if self._silent is None and self.stats.samples and quiet >= (after := self._silent_after_s()):
                        self._went_silent(after, idle_since)
            except (serial.SerialException, OSError) as e:
                self._reconnect(str(e).splitlines()[0] if str(e) else type(e).__name__)
                continue
            if data:
                idle_since = self.clock()
                if self._silent is not None:
                    self._arrival_prev = None   # untimed lines after it are not spread over the silence
                self.bytes_in += len(data)
                try:
                    self._decode(data, self.now_s())
                except Exception as e:      # a decoder bug must not vanish in this thread
                    self.error = e
                    self._released.set()
                    return
            if releasing:
                if self._held:
                    self._release_held()
                self._released.set()

    def _went_silent(self, quiet_s: float, since: float) -> None:
        """The port is open but nothing came for ``quiet_s`` (the threshold, not the time measured,
        which a reader delayed on a loaded machine overshoots): said, and a hole from the last
        sample's time, as a disconnect is (``disconnected``, then ``reconnected`` with the hole's
        end when samples come again: :meth:`_emit`), so it is marked as a gap, not left unsaid.
        ``since`` is the clock's time of the last byte."""
        if self._held:
            self._release_held()
        self._silent, self._silent_since = self._last_t, since
        self.notify("disconnected", f"no data from {self.spec} for {quiet_s:.3g} s (the port is "
                                    f"open: the device stopped sending or hangs); what it does not send is "
                                    f"marked as a gap", self._silent)

    def _reconnect(self, why: str) -> None:
        if self._held:                  # a device lost in its first second: what it sent is kept,
            self._release_held()        # on the clock it had (the reconnect starts a new one)
        t_lost = max(self.now_s(), self._last_t)
        if self._silent is not None:    # silent, then lost: one hole from its last sample
            t_lost, self._silent = self._silent, None
        self._away = True
        self._released.set()            # (nothing held: a release asked for is answered)
        self.notify("disconnected", f"{self.spec}: connection lost ({why}), reconnecting", t_lost)
        try:
            self._port.close()
        except (serial.SerialException, OSError):
            pass
        backoff = BACKOFF_S[0]
        said_left = False
        while not self._stop.wait(backoff):
            backoff = min(BACKOFF_S[1], backoff * 2)
            if (pid := left_behind(self.path)) is not None:
                if not said_left:           # (its terminal may be another program's since: not read)
                    said_left = True
                    self.notify("info", f"{self.spec}: the emulator that made this link is no longer running "
                                        f"(pid {pid}); the terminal it leads to may be another program's, so it "
                                        f"is not read: start the emulator again")
                continue
            try:
                self._open_port()
            except (serial.SerialException, OSError):
                continue
            self.stats.reconnects += 1
            self._last_t = max(self._last_t, self.now_s())
            self._reset_stream()            # samples from here on come after the gap's end
            self._away = False
            self.notify("reconnected", f"{self.spec}: back on {self.info['port']}", t_lost, self._last_t)
            return

    def _decode(self, data: bytes, t_host: float) -> None:
        if self._proto is None:
            data = self._detect(data)
            if self._proto is None:
                return
            self.info["protocol"] = self._proto
        if not self._joined:
            # joining a running stream: skip to the first delimiter, so a cut frame or line is
            # neither counted as an error nor read as a sample
            i = data.find(b"\x00" if self._proto == "binary" else b"\n")
            if i < 0:
                return
            data, self._joined = data[i + 1:] if self._proto == "line" else data[i:], True
            self._line.lines = 1          # that was line 1, whole or not: lines are numbered as sent
        if self._proto == "binary":
            self._decode_binary(data, t_host)
        else:
            self._decode_line(data, t_host)

    def _detect(self, data: bytes) -> bytes:
        """Tell the protocols apart on evidence: a frame whose CRC checks, or two numeric lines.

        Joining a running stream, the first bytes are a cut-off piece of a frame or a line; a
        frame's tail has no 0x00 but may hold 0x0A, so a delimiter alone is not enough. Only
        when ``DETECT_BYTES`` arrived without either proof do the delimiters decide. Returns
        every byte seen so far once decided (decoded from the first delimiter on).
        """
        self._seen += data
        seen = bytes(self._seen)
        if binary.BinaryDecoder().feed(seen):
            self._proto = "binary"
        elif len(LineDecoder().feed(seen)) >= 2:
            self._proto = "line"
        elif len(seen) >= DETECT_BYTES:
            self._proto = "binary" if b"\x00" in seen else ("line" if b"\n" in seen else None)
            if self._proto is None:
                del self._seen[:-DETECT_BYTES]
        if self._proto is not None:
            self._seen = bytearray()
        return seen

    def _decode_binary(self, data: bytes, t_host: float) -> None:
        crc0, res0 = self._bin.crc_errors, self._bin.resyncs
        for m in self._bin.feed(data):
            if isinstance(m, binary.SampleBlock):
                self._block(m, t_host)
            elif isinstance(m, binary.Identify):
                self.info.update(m.to_dict())
                self.info["name"] = m.name or self.info["name"]
            elif isinstance(m, binary.Error):
                self.notify("info", f"{self.spec}: device error {m.code}: {m.text}")
        self.stats.crc_errors += (self._bin.crc_errors - crc0) + (self._bin.resyncs - res0)

    def _block(self, m: binary.SampleBlock, t_host: float) -> None:
        self._arrived(t_host)
        n = len(m.force)
        if self._t_us_last is not None and (m.t_us - self._t_us_last) % binary.T_US_MODULUS >= 2 ** 31:
            # device clock jumped back: it restarted (a frame's CRC vouches for its time)
            self._said_restart(f"sample {m.seq}", self._t_dev_end, m.t_us * 1e-6)
            self._restart_clock()
        if self._t_us_last is not None and m.t_us < self._t_us_last:
            self._t_us_base += binary.T_US_MODULUS     # the µs counter wrapped
        self._t_us_last = m.t_us
        t_dev = (self._t_us_base + m.t_us + np.arange(n) * float(m.dt_us)) * 1e-6
        self._t_dev_end = float(t_dev[-1])
        missing = 0 if self._next_seq is None else (m.seq - self._next_seq) % binary.SEQ_MODULUS
        self._next_seq = (m.seq + n) % binary.SEQ_MODULUS
        force = m.force
        if m.raw_counts:
            cal = self.info.get("calibration") or {}
            in_n = binary.counts_to_n(force, cal)
            if in_n is not None:
                force = in_n
                self.info["force_units"] = "N"
            else:
                if "n_per_count" in cal and not self._said_counts:
                    self._said_counts = True
                    self.notify("info", f"{self.spec}: the device's calibration (offset {cal.get('offset')!r}, "
                                        f"n_per_count {cal['n_per_count']!r}) is not usable; forces stay in ADC counts")
                self.info["force_units"] = "counts"
        self.info["rate_hz"] = 1e6 / m.dt_us if m.dt_us else 0.0
        missing = missing if 0 < missing < 2 ** 31 else 0
        # a force that is not a number (a failed ADC read) would stop the live analysis for good:
        # such samples are left out, and counted and marked as lost like a sequence jump
        prev = 0
        for a, b in binary.finite_runs(force):
            gap = (missing + a - prev, m.dt_us * 1e-6) if missing + a - prev > 0 else None
            self._deliver(t_dev[a:b], force[a:b], (m.seq + a) % binary.SEQ_MODULUS,
                          m.imu[a:b] if m.imu is not None else None, gap, t_host)
            missing, prev = 0, b
        if prev < n:                        # the block ends in bad values: the next one says so
            self._next_seq = (m.seq + prev) % binary.SEQ_MODULUS

    def _deliver(self, t_dev: np.ndarray, force: np.ndarray, seq0: int, imu, gap: tuple | None,
                 t_host: float) -> None:
        """Map device times to the host timeline and emit; at the start, hold blocks for WARMUP_S."""
        if not self._clock_map.anchored:
            self._clock_map.observe(float(t_dev[-1]), t_host)
            self._say_ratio()
            self._held.append((t_dev, force, seq0, imu, gap))
            self._held_since = t_host if self._held_since is None else self._held_since
            if t_host - self._held_since >= WARMUP_S:
                self._release_held()
            return
        self._clock_map.observe(float(t_dev[-1]), t_host)
        self._say_ratio()
        self._emit_block(t_dev, force, seq0, imu, gap)

    def _say_ratio(self) -> None:
        """Say once that the device's clock runs far off the computer's, so its times are kept."""
        if self._clock_map.ratio is not None and not self._said_ratio:
            self._said_ratio = True
            self.notify("info", f"{self.spec}: device clock runs {self._clock_map.ratio:.1f}× the computer's: "
                                f"its own times are kept")

    def _release_held(self) -> None:
        held, self._held, self._held_since = self._held, [], None
        if not self._clock_map.anchored and held and self._last_t == 0.0:
            held = self._taken_since_open(held)
        for item in held:
            self._emit_block(*item)

    def _taken_since_open(self, held: list[tuple]) -> list[tuple]:
        """The held blocks without the samples taken before the port was opened.

        A sensor that streamed with nobody reading sends what its transmit buffer kept first
        (then, if the buffer overflowed, a jump of its sequence number or clock), then the
        samples of the moment. Kept, that backlog would start the timeline (which starts at
        ``open()``): every later sample would be late by the backlog's age, catching up only at
        the clock's slew rate (20 ms a second: 150 ms took 7 s, a second almost a minute), and a
        jump would be counted as samples lost. The clock offset from the least delayed blocks
        dates the samples; it can only overestimate the delay, so a sample it puts before the
        opening was taken before it. Those are left out, whatever their age (but for the last
        ``START_SLACK_S``), and a jump among them is not a loss of this recording."""
        off = self._clock_map.target_offset(float(held[-1][0][-1]))
        for k, (t_dev, force, seq0, imu, _) in enumerate(held):
            i = int(np.searchsorted(t_dev + off, -START_SLACK_S))   # device times rise within the warm-up
            if i < len(t_dev):
                break
        else:
            return []
        if k == 0 and i == 0:
            return held
        seq = seq0[i:] if isinstance(seq0, np.ndarray) else (seq0 + i) % binary.SEQ_MODULUS
        return [(t_dev[i:], force[i:], seq, imu[i:] if imu is not None else None, None)] + held[k + 1:]

    def _emit_block(self, t_dev, force, seq0, imu, gap) -> None:
        t = self._clock_map.map(t_dev, None)
        if gap is not None:
            missing, dt = gap[0], gap[1] * (1 + self._clock_map.drift)
            if isinstance(seq0, int):
                self._gap(missing, float(t[0]) - missing * dt, float(t[0]) - dt)
        if isinstance(seq0, np.ndarray):
            self._emit_runs(t, force, seq0)
        else:
            self._emit(t, force, seq0, imu)

    def _said_restart(self, where: str, old_s: float, new_s: float) -> None:
        """Tell once per restart that the device's clock started again; its samples are kept,
        after the ones before it on the timeline (re-anchored as after a reconnect)."""
        self.restarts += 1
        if self.restarts > RESTART_NOTICES:
            return
        more = "; further restarts are counted, not told" if self.restarts == RESTART_NOTICES else ""
        self.notify("info", f"{self.spec}: device clock restarted at {where} (from {old_s:.3f} s back to "
                            f"{new_s:.3f} s: device reset?); the samples after it are kept{more}")

    def _restart_clock(self) -> None:
        if self._held:
            self._release_held()                       # what came before the restart, on the old clock
        self._clock_map.reset(not_before_s=self._last_t)
        self._t_us_last, self._t_us_base, self._next_seq = None, 0, None

    def _gap(self, missing: int, t_start: float, t_end: float) -> None:
        if self._silent is not None:    # samples it skipped while silent: in the silence's gap
            return
        self.stats.dropped += missing
        self._gaps_n += 1
        self.notify("gap", f"{self.spec}: {missing} sample{'s' if missing != 1 else ''} lost", t_start, t_end,
                    missing)
        if not self._said_slow and (why := self._slow_link()):
            self._said_slow = True
            self.notify("info", why)

    def _slow_link(self) -> str | None:
        """Why the samples lost are a link too slow for the sample rate, or None: lost steadily
        (``SLOW_LINK_S`` at least, a gap a second or more, 5 % of the samples or more) while the
        bytes come as fast as a UART at a usual baud rate carries them (10 bits a byte), slower
        than the samples need."""
        if self._link is None:
            return None
        t0, bytes0, samples0, lost0 = self._link
        span = self.now_s() - t0
        got, lost = self.stats.samples - samples0, self.stats.dropped - lost0
        if span < SLOW_LINK_S or got <= 0 or self._gaps_n < span or lost < 0.05 * (got + lost):
            return None
        carried = (self.bytes_in - bytes0) / span                # bytes a second that came
        need = carried * (got + lost) / got                     # ... and that all the samples need
        baud = next((b for b in BAUD_RATES if 0.9 * b <= 10.0 * carried <= 1.04 * b), None)
        if baud is None and 10.0 * need <= self.baud:
            return None                  # neither a UART's rate nor more than the port's: lost elsewhere
        baud = baud or self.baud
        enough = next((b for b in BAUD_RATES if b >= 12.5 * need), BAUD_RATES[-1])
        rate = self.info.get("rate_hz") or (got + lost) / span
        return (f"{self.spec}: the samples lost match a link too slow for {rate:g} Hz: about {carried:.0f} bytes/s "
                f"come, as a UART at {baud} baud carries, but all of them need about {need:.0f} bytes/s; set the "
                f"sensor's baud rate and serial:PORT@BAUD to {enough} or more (native-USB boards ignore it)")

    def _decode_line(self, data: bytes, t_host: float) -> None:
        bad0 = self._line.bad_lines
        rows = self._line.feed(data)
        self.stats.crc_errors += self._line.bad_lines - bad0
        if self._line.raw_run >= RAW_NOTICE_LINES and not self._said_counts:
            self._said_counts = True        # counts are no newtons: not recorded as forces
            n, text = self._line.first_raw
            self.notify("info", f"{self.spec}: line {n} {text!r} is a raw ADC reading, not a force: such lines "
                                f"are not recorded; {CALIBRATE_HINT}")
        if not rows:
            return
        self._arrived(t_host)
        timed = [(r[0], r[1], n) for r, n in zip(rows, self._line.row_lines) if r[0] is not None]
        if timed:
            for restart, t_ms, f in self._line_runs(timed, t_host):
                if restart is not None:                # the sketch restarted its millis()
                    self._said_restart(*restart)
                    self._restart_clock()
                    self._line_prev, self._line_run_end = None, (None, 0.0)
                seq = self._line_index(t_ms)
                self._line_prev, self._line_prev_at = float(t_ms[-1]), t_host
                if self._line_dt:
                    self.info["rate_hz"] = 1000.0 / self._line_dt
                self._deliver(t_ms * 1e-3, f, seq, None, None, t_host)
        else:   # untimed sketch: spread the batch over the time since the previous batch
            f = np.array([r[1] for r in rows])
            prev = self._arrival_prev if self._arrival_prev is not None else t_host - len(f) * UNTIMED_FIRST_DT_S
            t = np.linspace(max(prev, self._last_t), t_host, len(f) + 1)[1:]
            self._emit(t, f, self._line_seq, None)
            self._line_seq += len(f)
        self._arrival_prev = t_host

    def _line_runs(self, timed: list[tuple[float, float, int]], t_host: float) -> list[tuple]:
        """Timed lines ``(t_ms, force, line number)`` that arrived at ``t_host`` as runs in clock
        order: ``(restart, t_ms, force)``, ``restart`` None or ``(where, old_s, new_s)`` when the
        run starts a new clock.

        A time not after the one before is a bad line (garbage, or a first column that is no
        clock) unless the device's clock started again: ``RESTART_CONFIRM_LINES`` lines rising
        from it, all still before the old clock's last time. A time further ahead of the one
        before than the host's time between their arrivals allows (by ``JUMP_AHEAD_S``) is a
        bad line too (a byte of noise in the time column: '1234' read as '12934'; followed, the
        timeline would leave every later line behind it) unless lines go on from it: as many,
        each within ``JUMP_AHEAD_S`` (or two periods) of the one before (samples the device lost,
        a backlog sent at connect). Such lines wait for that proof across reads (a slow sketch
        sends one line a read), then go on as a run."""
        prev, prev_at, cand, ahead = self._line_prev, self._line_prev_at, self._line_cand, self._line_ahead
        reach_ms = 1000.0 * JUMP_AHEAD_S
        t = np.array([r[0] for r in timed])
        if not cand and not ahead and (prev is None or prev < t[0] <= prev + reach_ms + 1000.0 * (t_host - prev_at)) \
                and (np.diff(t) > 0).all() and (np.diff(t) <= reach_ms).all():
            return [(None, t, np.array([r[1] for r in timed]))]      # the usual case: all in order
        runs: list[tuple] = []
        cur: list[tuple[float, float, int]] = []
        restart = None
        step_ms = reach_ms + 2.0 * (self._line_dt or 0.0)
        for row in timed:
            if cand:
                if cand[-1][0] < row[0] <= prev:
                    cand.append(row)
                    if len(cand) >= RESTART_CONFIRM_LINES:
                        if cur:
                            runs.append((restart, cur))
                        restart, cur = (f"line {cand[0][2]}", prev / 1000.0, cand[0][0] / 1000.0), cand
                        prev, prev_at, cand = row[0], t_host, []
                    continue
                self.stats.crc_errors += len(cand)       # they went back, and the old clock went on
                cand = []
            if ahead:
                if ahead[-1][0] < row[0] <= ahead[-1][0] + step_ms:
                    ahead.append(row)
                    if len(ahead) >= RESTART_CONFIRM_LINES:
                        cur += ahead                     # the clock did jump
                        prev, prev_at, ahead = row[0], t_host, []
                    continue
                self.stats.crc_errors += len(ahead)      # the clock went on from before it: noise
                ahead = []
            if prev is None or row[0] > prev:
                if prev is not None and row[0] - prev > reach_ms + 1000.0 * (t_host - prev_at):
                    ahead = [row]
                    continue
                cur.append(row)
                prev, prev_at = row[0], t_host
            else:
                cand = [row]
        if cur:
            runs.append((restart, cur))
        self._line_cand, self._line_ahead = cand, ahead
        return [(r, np.array([x[0] for x in c]), np.array([x[1] for x in c])) for r, c in runs]

    def _line_index(self, t_ms: np.ndarray) -> np.ndarray:
        """Sample numbers for timed lines: a jump of over 1.5 periods counts the samples it skipped."""
        prev = self._line_prev
        full = np.concatenate([[prev], t_ms]) if prev is not None else t_ms
        d = np.diff(full)
        if self._line_dt is None:           # (a slow sketch's lines come one or two a read)
            self._line_steps += [float(x) for x in d[d > 0]]
            if len(self._line_steps) >= LINE_DT_LINES:
                self._line_dt = float(np.median(self._line_steps))
        steps = np.ones(len(d), np.int64)
        if self._line_dt:
            steps = np.maximum(1, np.rint(d / self._line_dt).astype(np.int64))
            steps[d <= 1.5 * self._line_dt] = 1
        idx = np.concatenate([[0], np.cumsum(steps)])
        idx = idx[1:] if prev is not None else idx
        base = self._line_seq - (1 if prev is not None else 0)
        seq = base + idx
        self._line_seq = int(seq[-1]) + 1
        return seq

    def _emit_runs(self, t: np.ndarray, f: np.ndarray, seq: np.ndarray) -> None:
        """Emit consecutive-sequence runs as chunks; the jumps before them are gaps."""
        prev_seq, prev_t = self._line_run_end
        bounds = [0] + list(np.flatnonzero(np.diff(seq) != 1) + 1) + [len(seq)]
        for start, end in zip(bounds[:-1], bounds[1:]):
            if prev_seq is not None and seq[start] - prev_seq > 1:
                self._gap(int(seq[start] - prev_seq - 1), prev_t, float(t[start]))
            self._emit(t[start:end], f[start:end], int(seq[start]), None)
            prev_seq, prev_t = int(seq[end - 1]), float(t[end - 1])
        self._line_run_end = (prev_seq, prev_t)

    def _emit(self, t: np.ndarray, force: np.ndarray, seq0: int, imu) -> None:
        keep = t > np.maximum.accumulate(np.concatenate([[self._last_t], t[:-1]]))
        if not keep.all():                # never deliver time running backwards
            t, force = t[keep], force[keep]
            imu = imu[keep] if imu is not None else None
            seq0 += int(np.argmax(keep)) if keep.any() else 0
        if not len(t):
            return
        if self._silent is not None:      # the first samples after a silence end its gap
            t_from, self._silent = self._silent, None
            self._rate_mark = None
            quiet = f"{self.spec}: data again after {self.clock() - self._silent_since:.1f} s"
            rate = self.info.get("rate_hz") or 0.0
            if rate > 0 and float(t[0]) - t_from <= 1.5 / rate:     # what it held came late: none lost
                self.notify("reconnected", f"{quiet}, all of it: what the device took meanwhile came late; "
                                           f"no gap")
            else:
                self.notify("reconnected", f"{quiet}; {float(t[0]) - t_from:.1f} s without samples marked as a "
                                           f"gap", t_from, float(t[0]))
        if self._link is None:
            self._link = (self.now_s(), self.bytes_in, self.stats.samples, self.stats.dropped)
        if self._rate_mark is None:
            self._rate_mark = (float(t[0]), self.stats.samples)
        self._last_t = float(t[-1])
        self.stats.samples += len(t)
        t0, n0 = self._rate_mark           # samples per second of timeline, not of arrival
        if self._last_t - t0 >= 1.0:
            self.stats.rate_hz = (self.stats.samples - n0 - 1) / (self._last_t - t0)
            self._rate_mark = (self._last_t, self.stats.samples - 1)
        items = [Chunk(t, np.asarray(force, float), seq0, "force", self.info.get("rate_hz", 0.0))]
        if imu is not None:
            self.info["has_imu"] = True
            items.append(Chunk(t, imu, seq0, "imu", self.info.get("rate_hz", 0.0)))
        for c in items:
            try:
                self._q.put_nowait(c)
            except queue.Full:            # the consumer stalled for tens of seconds: count, never block
                if c.stream == "force":
                    self.stats.dropped += len(c)


def _factory(rest: str) -> Source:
    path, _, baud = rest.partition("@")
    if not path:
        raise DeviceError("serial: give a port, e.g. serial:/dev/ttyACM0 or serial:./sensor.pty@230400")
    try:
        rate = int(baud) if baud else 115200
    except ValueError:
        raise DeviceError(f"serial:{rest}: baud rate {baud!r} is not a number") from None
    if rate <= 0:
        raise DeviceError(f"serial:{rest}: baud rate {rate} must be positive, e.g. 115200 "
                          f"(native-USB boards ignore it)")
    return SerialSource(path, rate)


register_source("serial", _factory)


def probe(path: str, baud: int = 115200, timeout_s: float = 1.0) -> str:
    """What answers on a port: the reference firmware (asked to identify), a line-protocol
    sketch, something else, or nothing. One line; never raises for a device problem."""
    if (pid := left_behind(path)) is not None:
        return (f"not probed: a link left by an emulator that is no longer running (pid {pid}); the terminal "
                f"it leads to may be another program's")
    try:
        port = open_serial(path, baud)
    except PortBusy:
        return "busy: another program holds the port (a recording?); not probed, so it is not disturbed"
    except (serial.SerialException, OSError) as e:
        return why_not_opened(path, e)
    dec, lines, got, n_lines = binary.BinaryDecoder(), LineDecoder(), b"", 0
    deadline = time.monotonic() + timeout_s
    try:
        port.write(binary.encode_command("identify"))
        while time.monotonic() < deadline:
            data = port.read(port.in_waiting or 1)
            got += data
            for m in dec.feed(data):
                if isinstance(m, binary.Identify):
                    return f"gradecoach binary protocol: {m.name} firmware {m.firmware}, {m.rate_hz:g} Hz, {m.units}" + \
                           (", IMU" if m.has_imu else "")
            n_lines += len(lines.feed(data))     # a sketch's lines may come one read at a time
            if n_lines >= 3:
                return "line protocol (t_ms,force or force lines)"
            if lines.raw_lines >= 3:
                return f"line protocol, but raw ADC readings ({lines.first_raw[1]!r}), not forces: {CALIBRATE_HINT}"
    except (serial.SerialException, OSError) as e:
        return f"went away while probing ({str(e).splitlines()[0]})"
    finally:
        try:
            port.write(binary.encode_command("stop"))
            port.close()
        except (serial.SerialException, OSError):
            pass
    return "sends data, protocol not recognised" if got else "silent"
