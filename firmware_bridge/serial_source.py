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

:class:`SerialSource` is the port and its reader thread (opening, reconnecting, silences); its
parts are in modules of their own: :mod:`firmware_bridge.serial_stream` (the mix-in that decodes
the bytes and puts them on the timeline) and :mod:`firmware_bridge.serial_ports` (opening a port,
why it failed, what is no port, and :func:`probe`).
"""

from __future__ import annotations

import collections
import math
import os
import queue
import threading
import time
from typing import Callable, Iterable

import serial
from serial.tools import list_ports

from analysis.chunk import Chunk
from analysis.errors import DeviceError
from firmware_bridge.device_clock import DeviceClock
from firmware_bridge.emulator import left_behind
from firmware_bridge.protocol import binary
from firmware_bridge.protocol.line import LineDecoder
from firmware_bridge.serial_ports import PortBusy, PortBusyError, not_a_port, open_serial, probe, why_not_opened
from firmware_bridge.serial_stream import CALIBRATE_HINT, START_SLACK_S, WARMUP_S, SerialStream
from firmware_bridge.sources import Notice, Source, register_source

__all__ = ["PortBusyError", "START_SLACK_S", "SerialSource", "not_a_port", "probe"]

QUEUE_CHUNKS = 4000           # about 40 s of 1 kHz in 10-sample frames before anything is dropped
BACKOFF_S = (0.1, 2.0)        # first retry, longest wait between retries
SILENT_S = 2.0                # no byte for this long (or 3 times the longest of the recent times between
                              # samples' arrivals, or 3 sample periods, of a slower device) with the port
                              # open: the device went silent, said and marked as a gap until it sends again
ARRIVALS_KEPT = 8             # recent times between samples' arrivals that set how long is silent


class SerialSource(SerialStream, Source):
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
