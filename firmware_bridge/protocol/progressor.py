"""Tindeq Progressor notification codec: pure, bytes in, samples out.

The Progressor is a hand-held force gauge with a public BLE protocol. Commands are single
bytes written to the control characteristic; the device answers on the data characteristic
with one message per notification::

    [code: u8][length: u8][payload: length bytes]

Code ``0x01`` (weight) carries ``length / 8`` little-endian pairs ``float32 kg, uint32 µs``;
the µs counter is the device's own clock and wraps after 2**32 µs (about 71.6 min). Code
``0x00`` answers a command (the battery command answers a ``uint32`` in mV), ``0x04`` is a
low-battery warning. The sample rate is not documented (about 80 Hz): derive it from the
device timestamps. Forces are converted kg → N with standard gravity.

Nothing here raises on bad input: malformed notifications are counted and skipped, so the
decoder survives any bytes a radio can deliver.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

SERVICE_UUID = "7e4e1701-1ea6-40c9-9dcc-13d34ffead57"
DATA_UUID = "7e4e1702-1ea6-40c9-9dcc-13d34ffead57"      # notify
CONTROL_UUID = "7e4e1703-1ea6-40c9-9dcc-13d34ffead57"   # write

STANDARD_GRAVITY_M_S2 = 9.80665   # kg-force → N (CGPM 1901 conventional value)
DEVICE_CLOCK_WRAP_US = 2 ** 32

COMMANDS = {"tare": 0x64, "start": 0x65, "stop": 0x66, "sleep": 0x6E, "battery": 0x6F}

CODE_RESPONSE = 0x00
CODE_WEIGHT = 0x01
CODE_LOW_POWER = 0x04

_PAIR = np.dtype([("kg", "<f4"), ("t_us", "<u4")])


@dataclass(frozen=True)
class WeightSamples:
    """Samples of one weight notification.

    Attributes
    ----------
    t_us : ndarray of int64, shape (n,)
        Device clock in µs, as sent (wraps at 2**32; the source unwraps it).
    force_n : ndarray of float64, shape (n,)
        Force in N (kg × standard gravity); non-finite samples are removed.
    """

    t_us: np.ndarray
    force_n: np.ndarray


@dataclass(frozen=True)
class CommandResponse:
    """Answer to a command; ``payload`` is raw, ``battery_mv`` the uint32 reading if 4 bytes."""

    payload: bytes

    @property
    def battery_mv(self) -> int | None:
        return struct.unpack("<I", self.payload)[0] if len(self.payload) == 4 else None


@dataclass(frozen=True)
class LowPowerWarning:
    """The device says its battery is low."""


@dataclass
class ProgressorDecoder:
    """Decodes one notification at a time; counts what it had to skip.

    ``malformed`` counts notifications (or samples) that did not fit the layout: a length
    byte pointing past the end, a weight payload that is not a whole number of pairs, or a
    non-finite weight. ``unknown`` counts messages with codes this decoder does not use.
    """

    malformed: int = 0
    unknown: int = 0

    def feed(self, data: bytes | bytearray | memoryview) -> list:
        """Decode one notification into zero or one message."""
        data = bytes(data)
        if len(data) < 2:
            self.malformed += 1
            return []
        code, length = data[0], data[1]
        payload = data[2:2 + length]
        if len(payload) < length:
            self.malformed += 1     # truncated: keep the whole pairs that did arrive
        if code == CODE_WEIGHT:
            return self._weights(payload, length)
        if code == CODE_RESPONSE:
            return [CommandResponse(payload)]
        if code == CODE_LOW_POWER:
            return [LowPowerWarning()]
        self.unknown += 1
        return []

    def _weights(self, payload: bytes, length: int) -> list:
        n = len(payload) // _PAIR.itemsize
        if len(payload) == length and length % _PAIR.itemsize:
            self.malformed += 1
        if n == 0:
            return []
        pairs = np.frombuffer(payload, _PAIR, count=n)
        kg = pairs["kg"].astype(np.float64)
        ok = np.isfinite(kg)
        if not ok.all():
            self.malformed += int((~ok).sum())
        if not ok.any():
            return []
        return [WeightSamples(pairs["t_us"][ok].astype(np.int64), kg[ok] * STANDARD_GRAVITY_M_S2)]


def encode_command(name: str) -> bytes:
    """The byte to write to the control characteristic for ``name`` (see ``COMMANDS``)."""
    try:
        return bytes([COMMANDS[name]])
    except KeyError:
        raise ValueError(f"unknown Progressor command {name!r}; known: {', '.join(COMMANDS)}") from None


def encode_weights(kg: np.ndarray, t_us: np.ndarray) -> bytes:
    """One weight notification (what the device sends); at most 31 pairs fit the length byte."""
    kg = np.asarray(kg, np.float32)
    t_us = np.asarray(t_us, np.int64) % DEVICE_CLOCK_WRAP_US
    if len(kg) != len(t_us) or len(kg) * _PAIR.itemsize > 255:
        raise ValueError(f"{len(kg)} weights / {len(t_us)} times: need equal counts, at most 31")
    pairs = np.empty(len(kg), _PAIR)
    pairs["kg"], pairs["t_us"] = kg, t_us
    return bytes([CODE_WEIGHT, pairs.nbytes]) + pairs.tobytes()


def encode_response(payload: bytes) -> bytes:
    """A command response notification (e.g. battery: ``struct.pack('<I', mv)``)."""
    return bytes([CODE_RESPONSE, len(payload)]) + payload
