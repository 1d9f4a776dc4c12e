"""A recorded BLE notification stream (``python -m firmware_bridge.ble_record``'s capture) read
and played back through :class:`firmware_bridge.ble.BleSource`, for ``gradecoach replay``.

The capture is JSON lines: ``{"meta": {"profile": ...}}`` first, then one
``{"t_host_s", "char", "hex"}`` per notification as the host received it. Playing it back hands
each notification's bytes to the BLE source's own notification callback at its recorded arrival
time, through a radio stand-in that answers as bleak's scanner and client do: the profile's
decoder, the reordering and the timeline are the code a live device runs through, so the force
(and IMU) samples, their times, the samples lost and the bad frames are those the live source
gave when the capture was made.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from analysis.errors import DeviceError, InputError
from firmware_bridge import json_text
from firmware_bridge.ble_profiles import PROFILES

FORMAT_HINT = 'a BLE capture is JSON lines: {"meta": {"profile": ...}}, then {"t_host_s", "char", "hex"} per line'


def _bad(path: Path, line: int | None, why: str) -> InputError:
    return InputError(f"{path}{'' if line is None else f':{line}'}: {why}")


def _short(text: str, n: int = 40) -> str:
    text = text.strip()
    return repr(text if len(text) <= n else text[:n] + "…")


class Records(list):
    """A capture's notifications, ``(t_host_s, char, bytes)`` each; ``torn``, the number of its
    last line when that line was cut off (a recording killed while writing it) and left out."""

    torn: int | None = None


def _ended(raw) -> bool:
    return raw.endswith(b"\n" if isinstance(raw, bytes) else "\n")


def _more(lines) -> bool:
    """Whether any of the ``lines`` left holds anything (read on through them)."""
    return any(r.strip() for r in lines)


def parse_capture(lines, path: str | os.PathLike = "capture") -> tuple[dict, Records]:
    """``(meta, [(t_host_s, char, bytes)])`` of a capture's lines (str or bytes, line ends
    optional); anything else than the format is a one-line :class:`InputError` naming ``path``
    and the line. Blank lines are skipped. The notifications must come from the profile's notify
    characteristic, in order of arrival. The last line, without its line end, that does not read
    (a recording killed while writing it) is left out, its number in ``records.torn``; such a
    line with others after it (lines given without their ends) is an error as any other."""
    path = Path(path)
    meta, records, prof, last_t, n = None, Records(), None, -math.inf, 0
    before_t, last_n = math.inf, 0       # (the time of the notification before the last; the last one's line)
    it = iter(lines)
    for n, raw in enumerate(it, 1):
        # (only the last line can be torn: whether any follows is looked at once one does not read)
        torn_ok = meta is not None and not _ended(raw)
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                if torn_ok and not _more(it):
                    records.torn = n
                    break
                raise _bad(path, n, f"not UTF-8 text; {FORMAT_HINT}") from None
        text = raw.lstrip("\ufeff") if n == 1 else raw
        if not text.strip():
            continue
        try:
            d = json_text.loads(text)
        except (ValueError, RecursionError):
            if torn_ok and not _more(it):
                records.torn = n
                break
            raise _bad(path, n, f"not a JSON object ({_short(text)}); {FORMAT_HINT}") from None
        if not isinstance(d, dict):
            raise _bad(path, n, f"not a JSON object ({_short(text)}); {FORMAT_HINT}")
        if meta is None:
            if not isinstance(d.get("meta"), dict):
                raise _bad(path, n, f'its first line is not the capture\'s {{"meta": {{...}}}}; {FORMAT_HINT}')
            meta = d["meta"]
            name = meta.get("profile")
            if name is None:
                raise _bad(path, n, f"no profile in its meta line (one of {', '.join(PROFILES)})")
            if not isinstance(name, str) or name not in PROFILES:
                raise _bad(path, n, f"profile {name!r} is none of the supported ones ({', '.join(PROFILES)})")
            prof = PROFILES[name]
            continue
        if "meta" in d:
            raise _bad(path, n, "a second meta line; a capture has one, first")
        t, char, hx = d.get("t_host_s"), d.get("char"), d.get("hex")
        if t is None:
            raise _bad(path, n, "no t_host_s (the notification's arrival time in s)" if "t_host_s" not in d else
                       "t_host_s null is not a time in s (a number, 0 or more)")
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t < 0:
            raise _bad(path, n, f"t_host_s {t!r} is not a time in s (a number, 0 or more)")
        if t < last_t:
            if before_t <= t:            # (it goes on from the line before the last: that one is odd)
                raise _bad(path, last_n, f"t_host_s {last_t:g} is after the next line's {t:g}, which goes on "
                                         f"from the line before ({before_t:g}); a capture is in order of arrival")
            raise _bad(path, n, f"t_host_s {t:g} is before the previous line's {last_t:g}; a capture is in "
                                f"order of arrival")
        if not isinstance(char, str) or char.strip().lower() != prof.notify_uuid:
            raise _bad(path, n, f"characteristic {char!r} is not the one the {meta['profile']} profile "
                                f"notifies on ({prof.notify_uuid})")
        try:
            if not isinstance(hx, str):
                raise ValueError
            data = bytes.fromhex(hx)
        except ValueError:
            raise _bad(path, n, f"hex {_short(str(hx))} is not the notification's bytes in hexadecimal") from None
        records.append((float(t), prof.notify_uuid, data))
        before_t, last_t, last_n = (last_t if len(records) > 1 else math.inf), float(t), n
    if meta is None:
        raise _bad(path, None, f"empty; {FORMAT_HINT}")
    return meta, records


def read_capture(path: str | os.PathLike) -> tuple[dict, Records]:
    """``(meta, [(t_host_s, char, bytes)])`` of a capture file; see :func:`parse_capture`."""
    p = Path(path)
    try:
        with open(p, "rb") as f:
            return parse_capture(f, p)
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: a folder, not a capture file") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None


def is_capture(path: str | os.PathLike, head: bytes) -> bool:
    """Whether a file is meant as a BLE capture: named ``.jsonl``, or
    its first line (``head``: the file's first bytes) the capture's meta line."""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return first.startswith(b'{"meta"') or Path(path).suffix.lower() == ".jsonl"


@dataclass
class Played:
    """What the BLE source gave for a capture: its chunks, notices and counts."""

    chunks: list
    notices: list
    dropped: int
    crc_errors: int
    notifications: int
    info: dict = field(default_factory=dict)
    silent: str = ""                # why no sample came (the source's own words)


class _Air:
    """The captured device on the air: shared by the scanner and client stand-ins."""

    def __init__(self, profile: str, records: list) -> None:
        p = PROFILES[profile]()
        self.notify_uuid, self.control_uuid = p.notify_uuid, p.control_uuid
        self.start_commands = p.start_commands()
        self.records, self.t = records, 0.0
        self.device = SimpleNamespace(name="capture", address="capture")
        self.done = threading.Event()
        self.started = False
        self.error: BaseException | None = None

    def clock(self) -> float:
        return self.t


class _Scanner:
    def __init__(self, air: _Air) -> None:
        self.air = air

    async def find_device_by_filter(self, filterfunc, timeout: float = 10.0):
        return self.air.device


class _Client:
    """The part of ``BleakClient`` the source uses; the notifications come from the capture."""

    def __init__(self, air: _Air) -> None:
        self.air, self.address, self.is_connected = air, "capture", False
        self.services = SimpleNamespace(services={}, get_characteristic=lambda uuid: None)
        self._callback = None

    async def connect(self) -> None:
        self.is_connected = True

    async def disconnect(self) -> None:
        self.is_connected = False

    async def start_notify(self, uuid: str, callback) -> None:
        self._callback = callback
        if not self.air.start_commands:          # (a NUS sketch streams once subscribed)
            self._start()

    async def write_gatt_char(self, uuid: str, data, response: bool | None = None) -> None:
        if self.air.start_commands and bytes(data) == self.air.start_commands[-1]:
            self._start()

    def _start(self) -> None:
        self.air.started = True
        asyncio.get_running_loop().create_task(self._feed())

    async def _feed(self) -> None:
        air = self.air
        char = SimpleNamespace(uuid=air.notify_uuid)
        try:
            for i, (t, _, data) in enumerate(air.records):
                air.t = t
                self._callback(char, bytearray(data))
                if i % 256 == 255:
                    await asyncio.sleep(0)
        except BaseException as e:       # (the callback keeps its own errors for read())
            air.error = e
        finally:
            air.done.set()


def play(meta: dict, records: list, name: str = "capture") -> Played:
    """The capture's notifications through a :class:`~firmware_bridge.ble.BleSource` (the
    profile ``meta`` names), at their recorded arrival times; what it gave, once it was over
    and had handed on what it held (as a recording that stops takes it)."""
    from firmware_bridge.ble import BleSource

    air = _Air(meta["profile"], records)
    src = BleSource(name, profile=meta["profile"], scanner=_Scanner(air),
                    client_factory=lambda device, cb, timeout: _Client(air), clock=air.clock,
                    queue_size=0)
    chunks: list = []
    src.open()
    try:
        if records and not air.started:      # (subscribed and started: the feeding is under way)
            raise RuntimeError(f"{meta['profile']} profile never asked for the notifications")
        if records:
            air.done.wait()
        if air.error is not None:
            raise air.error
        while got := src.read(0.0):
            chunks += got
        src.release_held(timeout_s=30.0)
        while got := src.read(0.0):
            chunks += got
        notices = src.notices()
    finally:
        src.close()
    try:
        while got := src.read(0.0):      # (what closing handed over, if anything)
            chunks += got
    except DeviceError:                  # (nothing: a closed source with none says it is not open)
        pass
    notices += src.notices()
    if getattr(records, "torn", None) is not None:
        from firmware_bridge.sources import Notice
        notices.insert(0, Notice("info", f"ble:{name}: its last line, {records.torn}, is cut off (the recording "
                                         f"was stopped while writing it): left out, the notifications before it "
                                         f"replayed"))
    span = records[-1][0] - records[0][0] if records else 0.0
    return Played(chunks, notices, src.stats.dropped, src.stats.crc_errors, len(records), dict(src.info),
                  src.silent(span))


def joined(chunks: list, stream: str) -> tuple[np.ndarray, np.ndarray] | None:
    """One stream's samples of ``chunks`` in order: ``(t_s, values)``, or None without any."""
    cs = [c for c in chunks if c.stream == stream and len(c)]
    if not cs:
        return None
    cs.sort(key=lambda c: c.t_s[0])
    return np.concatenate([c.t_s for c in cs]), np.concatenate([c.values for c in cs])
