"""USB serial sensors: ``serial:PATH[@BAUD]``, binary or line protocol, detected from the bytes.

A reader thread reads the port, decodes (``firmware_bridge.protocol``), puts device samples on
the host timeline and hands chunks over through a bounded queue; ``read()`` drains it. An unplug
(``SerialException``/``OSError``) posts a ``disconnected`` notice; the thread retries with
backoff, and on success posts ``reconnected`` with the gap's times, so a recording goes on in the
same session. Device time (µs or ms) is mapped to the host clock by an offset taken at the first
samples (and again after a reconnect) that then follows the least-delayed arrivals and the
clocks' drift at no more than 20 ms per second, so times never run backwards.
"""

from __future__ import annotations

import queue
import threading
import time

import numpy as np
import serial

from analysis.chunk import Chunk
from analysis.errors import DeviceError
from firmware_bridge.protocol import binary
from firmware_bridge.protocol.line import LineDecoder
from firmware_bridge.sources import Source, register_source


class SerialSource(Source):
    def __init__(self, path: str, baud: int = 115200, clock=time.monotonic, open_timeout_s: float = 5.0) -> None:
        super().__init__()
        self.spec, self.path, self.baud = f"serial:{path}", path, baud
        self.clock = clock
        self.open_timeout_s = open_timeout_s
        self.info.update(name=f"serial {path}")
        self._q: queue.Queue = queue.Queue(maxsize=2000)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port = None
        self._proto: str | None = None
        self._bin = binary.BinaryDecoder()
        self._line = LineDecoder()
        self._offset: float | None = None     # host seconds minus device seconds
        self._t0 = 0.0
        self._line_seq = 0
        self._last_t = -np.inf
        self._last_dev: float | None = None
        self.error: BaseException | None = None

    # --- life cycle -------------------------------------------------------------------
    def _open_port(self) -> None:
        self._port = serial.Serial(self.path, self.baud, timeout=0.05)
        try:
            self._port.write(binary.encode_command("identify") + binary.encode_command("start"))
        except (serial.SerialException, OSError):
            pass

    def open(self) -> None:
        deadline = self.clock() + self.open_timeout_s
        while True:
            try:
                self._open_port()
                break
            except (serial.SerialException, OSError) as e:
                if self.clock() >= deadline:
                    raise DeviceError(f"{self.spec}: cannot open ({str(e).splitlines()[0]})") from None
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

    # --- reader thread ------------------------------------------------------------------
    def _run(self) -> None:
        backoff = 0.1
        while not self._stop.is_set():
            try:
                data = self._port.read(4096)
            except (serial.SerialException, OSError) as e:
                t_lost = self.clock() - self._t0
                self.notify("disconnected", f"{self.spec}: {str(e).splitlines()[0]}", t_lost)
                try:
                    self._port.close()
                except (serial.SerialException, OSError):
                    pass
                while not self._stop.is_set():
                    time.sleep(backoff)
                    backoff = min(2.0, backoff * 2)
                    try:
                        self._open_port()
                        break
                    except (serial.SerialException, OSError):
                        continue
                backoff = 0.1
                self.stats.reconnects += 1
                self._bin, self._line, self._offset = binary.BinaryDecoder(), LineDecoder(), None
                self._last_dev = None
                self.notify("reconnected", f"{self.spec}: back", t_lost, self.clock() - self._t0)
                continue
            if data:
                try:
                    self._decode(data, self.clock() - self._t0)
                except Exception as e:      # a decoder bug must not vanish in this thread
                    self.error = e
                    return

    def _decode(self, data: bytes, t_host: float) -> None:
        if self._proto is None:
            self._proto = "binary" if b"\x00" in data else ("line" if b"\n" in data else None)
            if self._proto is None:
                return
            self.info["protocol"] = self._proto
        if self._proto == "binary":
            for m in self._bin.feed(data):
                if isinstance(m, binary.SampleBlock):
                    t_dev = (m.t_us + np.arange(len(m.force)) * m.dt_us) * 1e-6
                    self._emit(t_dev, m.force, m.seq, t_host, m.imu)
                    self.info["rate_hz"] = 1e6 / m.dt_us if m.dt_us else 0.0
                elif isinstance(m, binary.Identify):
                    self.info.update(m.to_dict())
            gaps_before = self.stats.dropped
            self.stats.dropped = self._bin.dropped_samples
            self.stats.crc_errors = self._bin.crc_errors
            if self.stats.dropped > gaps_before:
                self.notify("gap", f"{self.stats.dropped - gaps_before} samples lost", t_host)
        else:
            rows = self._line.feed(data)
            self.stats.crc_errors = self._line.bad_lines
            if not rows:
                return
            if rows[0][0] is not None:
                t_dev = np.array([r[0] for r in rows if r[0] is not None]) * 1e-3
                f = np.array([r[1] for r in rows if r[0] is not None])
            else:   # untimed sketch: spread the batch back from its arrival at the measured rate
                f = np.array([r[1] for r in rows])
                rate = self.info.get("rate_hz") or 100.0
                t_dev = t_host - (len(f) - 1 - np.arange(len(f))) / rate
            self._emit(t_dev, f, self._line_seq, t_host, None)
            self._line_seq += len(f)

    def _emit(self, t_dev: np.ndarray, force: np.ndarray, seq0: int, t_host: float, imu) -> None:
        if self._offset is None:
            # anchor the device clock to the host at the first samples (and again after a
            # reconnect, never earlier than what was already delivered)
            self._offset = max(t_host - float(t_dev[-1]), self._last_t - float(t_dev[0]) + 1e-6)
        else:
            # follow the earliest arrivals (least delayed) and the devices' clock drift, but
            # gradually: at most 20 ms per second of device time, so times never run backwards
            off = t_host - float(t_dev[-1])
            if off < self._offset and self._last_dev is not None:
                self._offset -= min(self._offset - off, 0.02 * max(0.0, float(t_dev[0]) - self._last_dev))
        self._last_dev = float(t_dev[-1])
        t = t_dev + self._offset
        keep = t > self._last_t
        if not keep.all():
            t, force = t[keep], force[keep]
            imu = imu[keep] if imu is not None else None
        if not len(t):
            return
        self._last_t = float(t[-1])
        self.stats.samples += len(t)
        items = [Chunk(t, np.asarray(force, float), seq0, "force", self.info.get("rate_hz", 0.0))]
        if imu is not None:
            self.info["has_imu"] = True
            items.append(Chunk(t, imu, seq0, "imu"))
        for c in items:
            try:
                self._q.put_nowait(c)
            except queue.Full:
                self.stats.dropped += len(c)


def _factory(rest: str) -> Source:
    path, _, baud = rest.partition("@")
    if not path:
        raise DeviceError("serial: give a port, e.g. serial:/dev/ttyACM0 or serial:./sensor.pty@230400")
    return SerialSource(path, int(baud) if baud else 115200)


register_source("serial", _factory)
