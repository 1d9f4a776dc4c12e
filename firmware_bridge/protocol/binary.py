"""The reference firmware's binary protocol: COBS-framed messages with CRC-16 (docs/protocol.md).

A frame on the wire is ``b"\\x00" + COBS(payload + crc16_le) + b"\\x00"``; the CRC is CRC-16/CCITT-FALSE
(poly 0x1021, init 0xFFFF) over the payload. Payload byte 0 is the message type:

* ``0x01`` samples: ``<I seq><I t_us><H dt_us><B n><B flags>`` then ``n`` float32 forces, then
  (flag bit 0) ``n × 6`` float32 IMU values (ax, ay, az m/s², gx, gy, gz rad/s); flag bit 1 means
  the forces are raw ADC counts (the identify message carries the calibration).
* ``0x02`` identify: UTF-8 JSON ``{"name", "firmware", "rate_hz", "units", "calibration", "has_imu"}``.
* ``0x10`` host command: ``<B command><f arg>`` (identify 1, start 2, stop 3, tare 4, set_rate 5).

Pure codec: bytes in, messages out, leftover bytes kept; a frame that fails COBS, CRC or layout
is counted and skipped, so the decoder resynchronises at the next ``0x00``.
"""

from __future__ import annotations

import binascii
import json
import struct
from dataclasses import dataclass, field

import numpy as np

T_US_MODULUS = 2 ** 32
SEQ_MODULUS = 2 ** 32
MAX_FRAME = 4096
MSG_SAMPLES, MSG_IDENTIFY, MSG_COMMAND = 0x01, 0x02, 0x10
COMMANDS = {"identify": 1, "start": 2, "stop": 3, "tare": 4, "set_rate": 5}
_HEAD = struct.Struct("<BIIHBB")


@dataclass
class SampleBlock:
    seq: int
    t_us: int
    dt_us: int
    force: np.ndarray
    imu: np.ndarray | None = None
    raw_counts: bool = False


@dataclass
class Identify:
    name: str = ""
    firmware: str = ""
    rate_hz: float = 0.0
    units: str = "N"
    calibration: dict = field(default_factory=dict)
    has_imu: bool = False

    def to_dict(self) -> dict:
        return {"name": self.name, "firmware": self.firmware, "rate_hz": self.rate_hz,
                "force_units": self.units, "calibration": self.calibration, "has_imu": self.has_imu}


@dataclass
class Command:
    name: str
    arg: float | None = None


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (``binascii.crc_hqx`` with init 0xFFFF)."""
    return binascii.crc_hqx(data, 0xFFFF)


def cobs_encode(data: bytes) -> bytes:
    out = bytearray()
    for block in data.split(b"\x00"):
        while len(block) >= 254:
            out += b"\xff" + block[:254]
            block = block[254:]
        out += bytes([len(block) + 1]) + block
    return bytes(out)


def cobs_decode(data: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        code = data[i]
        if code == 0 or i + code > n:
            raise ValueError("COBS block runs past the frame")
        out += data[i + 1:i + code]
        i += code
        if code < 0xFF and i < n:
            out.append(0)
    return bytes(out)


def encode_frame(payload: bytes) -> bytes:
    # a leading delimiter too, so garbage on the line before a frame never spoils it
    return b"\x00" + cobs_encode(payload + struct.pack("<H", crc16(payload))) + b"\x00"


def encode_samples(seq: int, t_us: int, dt_us: int, force, imu=None, raw_counts: bool = False) -> bytes:
    f = np.asarray(force, dtype="<f4")
    flags = (1 if imu is not None else 0) | (2 if raw_counts else 0)
    body = _HEAD.pack(MSG_SAMPLES, seq % SEQ_MODULUS, int(t_us) % T_US_MODULUS, int(dt_us), len(f), flags) + f.tobytes()
    if imu is not None:
        body += np.asarray(imu, dtype="<f4").reshape(len(f), 6).tobytes()
    return encode_frame(body)


def encode_identify(msg: Identify) -> bytes:
    d = {"name": msg.name, "firmware": msg.firmware, "rate_hz": msg.rate_hz, "units": msg.units,
         "calibration": msg.calibration, "has_imu": msg.has_imu}
    return encode_frame(bytes([MSG_IDENTIFY]) + json.dumps(d, separators=(",", ":")).encode())


def encode_command(name: str, arg: float | None = None) -> bytes:
    if name not in COMMANDS:
        raise ValueError(f"unknown command {name!r}; known: {', '.join(COMMANDS)}")
    return encode_frame(struct.pack("<BBf", MSG_COMMAND, COMMANDS[name], float(arg or 0.0)))


def decode_payload(p: bytes):
    """One checked payload → a message; ValueError when its layout is wrong."""
    if not p:
        raise ValueError("empty payload")
    kind = p[0]
    if kind == MSG_SAMPLES:
        if len(p) < _HEAD.size:
            raise ValueError("short sample header")
        _, seq, t_us, dt_us, n, flags = _HEAD.unpack_from(p)
        need = _HEAD.size + 4 * n * (7 if flags & 1 else 1)
        if len(p) != need or n == 0:
            raise ValueError("sample block length mismatch")
        force = np.frombuffer(p, "<f4", n, _HEAD.size).astype(np.float64)
        imu = np.frombuffer(p, "<f4", 6 * n, _HEAD.size + 4 * n).astype(np.float64).reshape(n, 6) if flags & 1 else None
        return SampleBlock(seq, t_us, dt_us, force, imu, bool(flags & 2))
    if kind == MSG_IDENTIFY:
        try:
            d = json.loads(p[1:].decode("utf-8"))
            return Identify(str(d.get("name", "")), str(d.get("firmware", "")), float(d.get("rate_hz", 0.0)),
                            str(d.get("units", "N")), dict(d.get("calibration") or {}), bool(d.get("has_imu", False)))
        except (ValueError, TypeError, AttributeError) as e:
            raise ValueError(f"bad identify message ({e})") from None
    if kind == MSG_COMMAND:
        if len(p) != 6:
            raise ValueError("bad command length")
        _, cmd, arg = struct.unpack("<BBf", p)
        names = {v: k for k, v in COMMANDS.items()}
        if cmd not in names:
            raise ValueError("unknown command")
        return Command(names[cmd], arg)
    raise ValueError(f"unknown message type 0x{kind:02x}")


class BinaryDecoder:
    """Feed raw bytes in any pieces; returns decoded messages. Counters say what went wrong."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.crc_errors = 0
        self.resyncs = 0          # frames dropped for bad framing or layout
        self.seq_gaps = 0
        self.dropped_samples = 0
        self._next_seq: int | None = None

    def feed(self, data: bytes) -> list:
        self._buf += data
        out = []
        while True:
            i = self._buf.find(0)
            if i < 0:
                if len(self._buf) > MAX_FRAME:          # garbage without delimiters: drop it
                    self._buf.clear()
                    self.resyncs += 1
                return out
            frame = bytes(self._buf[:i])
            del self._buf[:i + 1]
            if not frame:
                continue
            try:
                raw = cobs_decode(frame)
            except ValueError:
                self.resyncs += 1
                continue
            if len(raw) < 3 or crc16(raw[:-2]) != struct.unpack("<H", raw[-2:])[0]:
                self.crc_errors += 1
                continue
            try:
                msg = decode_payload(raw[:-2])
            except ValueError:
                self.resyncs += 1
                continue
            if isinstance(msg, SampleBlock):
                if self._next_seq is not None and msg.seq != self._next_seq:
                    gap = (msg.seq - self._next_seq) % SEQ_MODULUS
                    self.seq_gaps += 1
                    if gap < SEQ_MODULUS // 2:
                        self.dropped_samples += gap
                self._next_seq = (msg.seq + len(msg.force)) % SEQ_MODULUS
            out.append(msg)
