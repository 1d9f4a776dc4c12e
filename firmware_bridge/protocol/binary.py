"""The reference firmware's binary protocol: COBS-framed messages with CRC-16 (docs/protocol.md).

A frame on the wire is ``b"\\x00" + COBS(payload + crc16_le) + b"\\x00"``; the CRC is
CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over the payload. Payload byte 0 is the type:

* ``0x01`` samples: ``<I seq><I t_us><H dt_us><B n><B flags>`` then ``n`` float32 forces, then
  (flag bit 0) ``n × 6`` float32 IMU values (ax, ay, az m/s², gx, gy, gz rad/s); flag bit 1 means
  the forces are raw ADC counts (the identify message carries the calibration).
* ``0x02`` identify: UTF-8 JSON ``{"name", "firmware", "rate_hz", "units", "calibration", "has_imu"}``.
* ``0x10`` host command: ``<B command><f arg>`` (identify 1, start 2, stop 3, tare 4, set_rate 5).
* ``0x11`` acknowledgement: ``<B command><B status>`` (status 0 = done).
* ``0x12`` error: ``<B code>`` then a UTF-8 text.

The same bytes are produced by the plain-C encoder ``firmware_bridge/firmware/lib/gcframe``
(checked by the tests). Pure codec: bytes in, messages out, leftover bytes kept; a frame that
fails COBS, CRC or layout is counted and skipped, and the decoder resynchronises at the next
``0x00``. Nothing here raises on untrusted bytes.
"""

from __future__ import annotations

import binascii
import json
import struct
from dataclasses import dataclass, field

import numpy as np

from firmware_bridge import json_text

T_US_MODULUS = 2 ** 32          # the device's µs clock wraps after about 71.6 min
SEQ_MODULUS = 2 ** 32
MAX_FRAME = 4096                # longest encoded frame accepted; longer runs are garbage
MAX_SAMPLES_PER_BLOCK = 255
MAX_PAYLOAD = 1024              # the firmware's buffer: a sample block holds 252 samples, 36 with IMU
MSG_SAMPLES, MSG_IDENTIFY, MSG_COMMAND, MSG_ACK, MSG_ERROR = 0x01, 0x02, 0x10, 0x11, 0x12
COMMANDS = {"identify": 1, "start": 2, "stop": 3, "tare": 4, "set_rate": 5}
COMMAND_NAMES = {v: k for k, v in COMMANDS.items()}
FLAG_IMU, FLAG_RAW_COUNTS = 0x01, 0x02
_HEAD = struct.Struct("<BIIHBB")
_CMD = struct.Struct("<BBf")
_ACK = struct.Struct("<BBB")


@dataclass
class SampleBlock:
    """``n`` consecutive samples: sample ``k`` was taken at device time ``t_us + k·dt_us``.

    ``seq`` counts samples (not frames), so the next block starts at ``seq + n``.
    ``force`` is float64 (n,), in N or (``raw_counts``) ADC counts; ``imu`` is (n, 6) or None.
    """

    seq: int
    t_us: int
    dt_us: int
    force: np.ndarray
    imu: np.ndarray | None = None
    raw_counts: bool = False


@dataclass
class Identify:
    """What the device says about itself, answered to the ``identify`` command."""

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
    """A host command (the device side decodes these)."""

    name: str
    arg: float | None = None


@dataclass
class Ack:
    """The device carried out (``ok``) or refused a command."""

    command: str
    ok: bool = True


@dataclass
class Error:
    """The device reports a problem (e.g. ``code`` 1: ADC not found)."""

    code: int
    text: str = ""


Message = SampleBlock | Identify | Command | Ack | Error


def counts_to_n(counts: np.ndarray, calibration: dict) -> np.ndarray | None:
    """Raw ADC counts in N with an identify message's ``calibration``: ``(counts − offset) ·
    n_per_count``. None when it gives no usable ``n_per_count`` (missing, not a finite non-zero
    number) or ``offset``: the counts then stay counts."""
    try:
        scale = float(calibration["n_per_count"])
        offset = float(calibration.get("offset", 0.0))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not (np.isfinite(scale) and np.isfinite(offset) and scale != 0.0):
        return None
    return (counts - offset) * scale


def finite_runs(values: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` of the runs of finite values (a device's NaN or inf is no force)."""
    ok = np.isfinite(values)
    if ok.all():
        return [(0, len(values))] if len(values) else []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (``binascii.crc_hqx`` with init 0xFFFF)."""
    return binascii.crc_hqx(data, 0xFFFF)


def cobs_encode(data: bytes) -> bytes:
    """Consistent Overhead Byte Stuffing: the result holds no zero byte."""
    out = bytearray()
    for block in data.split(b"\x00"):
        while len(block) >= 254:
            out += b"\xff" + block[:254]
            block = block[254:]
        out += bytes([len(block) + 1]) + block
    return bytes(out)


def cobs_decode(data: bytes) -> bytes:
    """Inverse of :func:`cobs_encode`; ValueError on a block that runs past the end or a zero."""
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
    """Frame one payload: leading and trailing ``0x00`` around COBS(payload + CRC)."""
    # the leading delimiter means garbage on the line before a frame never spoils it
    return b"\x00" + cobs_encode(payload + struct.pack("<H", crc16(payload))) + b"\x00"


def encode_samples(seq: int, t_us: int, dt_us: int, force, imu=None, raw_counts: bool = False) -> bytes:
    """A whole framed sample message; ``force`` (n,) with 1 ≤ n ≤ 255, ``imu`` (n, 6) or None."""
    f = np.asarray(force, dtype="<f4").ravel()
    if not 1 <= len(f) <= MAX_SAMPLES_PER_BLOCK:
        raise ValueError(f"a sample block holds 1..{MAX_SAMPLES_PER_BLOCK} samples, not {len(f)}")
    flags = (FLAG_IMU if imu is not None else 0) | (FLAG_RAW_COUNTS if raw_counts else 0)
    body = _HEAD.pack(MSG_SAMPLES, seq % SEQ_MODULUS, int(t_us) % T_US_MODULUS, int(dt_us), len(f), flags)
    body += f.tobytes()
    if imu is not None:
        body += np.asarray(imu, dtype="<f4").reshape(len(f), 6).tobytes()
    if len(body) > MAX_PAYLOAD:
        raise ValueError(f"a sample block of {len(f)} samples{' with IMU' if imu is not None else ''} is "
                         f"{len(body)} bytes; a payload holds at most {MAX_PAYLOAD}")
    return encode_frame(body)


def encode_identify(msg: Identify) -> bytes:
    """A whole framed identify message (compact JSON)."""
    d = {"name": msg.name, "firmware": msg.firmware, "rate_hz": msg.rate_hz, "units": msg.units,
         "calibration": msg.calibration, "has_imu": msg.has_imu}
    return encode_frame(bytes([MSG_IDENTIFY]) + json.dumps(d, separators=(",", ":")).encode())


def encode_command(name: str, arg: float | None = None) -> bytes:
    """A whole framed host command: identify, start, stop, tare or set_rate (``arg`` in Hz)."""
    if name not in COMMANDS:
        raise ValueError(f"unknown command {name!r}; known: {', '.join(COMMANDS)}")
    return encode_frame(_CMD.pack(MSG_COMMAND, COMMANDS[name], float(arg or 0.0)))


def encode_ack(command: str, ok: bool = True) -> bytes:
    """A whole framed acknowledgement of ``command``."""
    return encode_frame(_ACK.pack(MSG_ACK, COMMANDS[command], 0 if ok else 1))


def encode_error(code: int, text: str = "") -> bytes:
    """A whole framed device error."""
    return encode_frame(bytes([MSG_ERROR, code & 0xFF]) + text.encode("utf-8"))


def decode_payload(p: bytes) -> Message:
    """One checked (de-COBSed, CRC-verified) payload → a message; ValueError when its layout is wrong."""
    if not p:
        raise ValueError("empty payload")
    kind = p[0]
    if kind == MSG_SAMPLES:
        if len(p) < _HEAD.size:
            raise ValueError("short sample header")
        _, seq, t_us, dt_us, n, flags = _HEAD.unpack_from(p)
        need = _HEAD.size + 4 * n * (7 if flags & FLAG_IMU else 1)
        if len(p) != need or n == 0:
            raise ValueError("sample block length mismatch")
        force = np.frombuffer(p, "<f4", n, _HEAD.size).astype(np.float64)
        imu = None
        if flags & FLAG_IMU:
            imu = np.frombuffer(p, "<f4", 6 * n, _HEAD.size + 4 * n).astype(np.float64).reshape(n, 6)
        return SampleBlock(seq, t_us, dt_us, force, imu, bool(flags & FLAG_RAW_COUNTS))
    if kind == MSG_IDENTIFY:
        try:
            d = json_text.loads(p[1:].decode("utf-8"))
            return Identify(str(d.get("name", "")), str(d.get("firmware", "")), float(d.get("rate_hz", 0.0)),
                            str(d.get("units", "N")), dict(d.get("calibration") or {}), bool(d.get("has_imu", False)))
        except (ValueError, TypeError, AttributeError, RecursionError) as e:
            raise ValueError(f"bad identify message ({type(e).__name__})") from None
    if kind == MSG_COMMAND:
        if len(p) != _CMD.size:
            raise ValueError("bad command length")
        _, cmd, arg = _CMD.unpack(p)
        if cmd not in COMMAND_NAMES:
            raise ValueError("unknown command")
        return Command(COMMAND_NAMES[cmd], arg)
    if kind == MSG_ACK:
        if len(p) != _ACK.size or p[1] not in COMMAND_NAMES:
            raise ValueError("bad acknowledgement")
        return Ack(COMMAND_NAMES[p[1]], p[2] == 0)
    if kind == MSG_ERROR:
        if len(p) < 2:
            raise ValueError("short error message")
        return Error(p[1], p[2:].decode("utf-8", "replace"))
    raise ValueError(f"unknown message type 0x{kind:02x}")


class BinaryDecoder:
    """Feed raw bytes in pieces of any size; returns the messages completed so far.

    Counters: ``crc_errors`` (frames whose CRC failed), ``resyncs`` (frames dropped for bad
    COBS, layout or length), ``seq_gaps`` (jumps in the sample counter) and ``dropped_samples``
    (samples those jumps skipped).
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.crc_errors = 0
        self.resyncs = 0
        self.seq_gaps = 0
        self.dropped_samples = 0
        self._next_seq: int | None = None

    def feed(self, data: bytes) -> list[Message]:
        self._buf += data
        out: list[Message] = []
        start = 0
        buf = self._buf
        while True:
            i = buf.find(0, start)
            if i < 0:
                break
            frame = bytes(buf[start:i])
            start = i + 1
            if frame:
                msg = self._frame(frame)
                if msg is not None:
                    out.append(msg)
        del buf[:start]
        if len(buf) > MAX_FRAME:            # a run without delimiters is garbage: drop it
            buf.clear()
            self.resyncs += 1
        return out

    def _frame(self, frame: bytes) -> Message | None:
        if len(frame) > MAX_FRAME:
            self.resyncs += 1
            return None
        try:
            raw = cobs_decode(frame)
        except ValueError:
            self.resyncs += 1
            return None
        if len(raw) < 3 or crc16(raw[:-2]) != raw[-2] | raw[-1] << 8:
            self.crc_errors += 1
            return None
        try:
            msg = decode_payload(raw[:-2])
        except ValueError:
            self.resyncs += 1
            return None
        if isinstance(msg, SampleBlock):
            if self._next_seq is not None and msg.seq != self._next_seq:
                gap = (msg.seq - self._next_seq) % SEQ_MODULUS
                self.seq_gaps += 1
                if gap < SEQ_MODULUS // 2:      # a counter that ran backwards is a restart, not a loss
                    self.dropped_samples += gap
            self._next_seq = (msg.seq + len(msg.force)) % SEQ_MODULUS
        return msg
