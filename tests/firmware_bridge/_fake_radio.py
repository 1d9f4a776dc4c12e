"""A stand-in BLE radio, scanner and client that play recorded Progressor traffic."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from types import SimpleNamespace

from firmware_bridge import ble_profiles as bp
from firmware_bridge.ble_record import read_stream

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "ble"


class Radio:
    """One recorded device on the air, shared by the fake scanner and every fake client.

    ``records``: replay these ``(t_host_s, char, bytes)`` notifications instead of a fixture.

    ``drop_after``: the link drops after that many notifications and stays down ``outage_s``
    of recorded time; notifications sent meanwhile are lost (their indices in ``lost``).
    """

    def __init__(self, name: str, *, visible: bool = True, answers: bool = True,
                 drop_after: int | None = None, outage_s: float = 0.5,
                 records: list | None = None) -> None:
        if records is None:
            self.meta, self.records = read_stream(FIXTURE_DIR / f"{name}.jsonl")
        else:      # a hand-made stream: ``name`` is the profile, records are (t_host_s, char, bytes)
            self.meta, self.records = {"profile": name}, records
        profile = bp.PROFILES[self.meta["profile"]]()
        self.service, self.notify_uuid, self.control_uuid = (
            profile.service_uuid, profile.notify_uuid, profile.control_uuid)
        self.start_commands = profile.start_commands()
        self.device = SimpleNamespace(name=f"{name}-sensor", address="C0:FF:EE:00:00:01")
        self.adv = SimpleNamespace(local_name=self.device.name, service_uuids=[self.service], rssi=-60)
        self.visible, self.answers = visible, answers
        self.drop_after, self.outage_s = drop_after, outage_s
        self.t_host_s = 0.0
        self.resume_t_s: float | None = None
        self.pos = 0
        self.lost: list[int] = []
        self.writes: list[bytes] = []
        self.connects = 0
        self.done = threading.Event()

    def clock(self) -> float:
        return self.t_host_s


class FakeScanner:
    def __init__(self, radio: Radio) -> None:
        self.radio = radio

    async def find_device_by_filter(self, filterfunc, timeout: float = 10.0):
        r = self.radio
        if r.visible and filterfunc(r.device, r.adv):
            return r.device
        await asyncio.sleep(timeout)
        return None

    async def discover(self, timeout: float = 5.0, return_adv: bool = False):
        r = self.radio
        return {r.device.address: (r.device, r.adv)}


class FakeClient:
    """The slice of ``BleakClient`` BleSource uses, fed from the radio's recording."""

    def __init__(self, radio: Radio, device, disconnected_callback, timeout: float) -> None:
        self.radio, self.address = radio, device.address
        self._disconnected_callback = disconnected_callback
        self.is_connected = False
        self._callback = None
        self._task = None
        self._chars = {u: SimpleNamespace(uuid=u, properties=["write"] if u == radio.control_uuid else ["notify"])
                       for u in (radio.notify_uuid, radio.control_uuid)}
        self.services = SimpleNamespace(services={1: SimpleNamespace(uuid=radio.service)},
                                        get_characteristic=self._chars.get)

    async def connect(self) -> None:
        if not self.radio.answers:
            await asyncio.Event().wait()      # a device that never answers
        self.radio.connects += 1
        self.is_connected = True
        if self.radio.resume_t_s is not None:      # the outage has lasted until now
            self.radio.t_host_s, self.radio.resume_t_s = self.radio.resume_t_s, None

    async def disconnect(self) -> None:
        self.is_connected = False
        if self._task is not None:
            self._task.cancel()

    async def start_notify(self, uuid: str, callback) -> None:
        assert self.is_connected and uuid == self.radio.notify_uuid
        self._callback = callback
        if not self.radio.start_commands:          # NUS sketches stream as soon as subscribed
            self._start()

    async def write_gatt_char(self, uuid: str, data, response: bool | None = None) -> None:
        assert uuid == self.radio.control_uuid and response is not None
        self.radio.writes.append(bytes(data))
        if bytes(data) == self.radio.start_commands[-1]:
            self._start()

    def _start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._feed())

    async def _feed(self) -> None:
        r = self.radio
        char = self._chars[r.notify_uuid]
        while r.pos < len(r.records):
            t, _, data = r.records[r.pos]
            r.t_host_s = t
            r.pos += 1
            self._callback(char, bytearray(data))
            if r.drop_after is not None and r.pos == r.drop_after:
                r.drop_after = None
                self.is_connected = False
                while r.pos < len(r.records) and r.records[r.pos][0] < t + r.outage_s:
                    r.lost.append(r.pos)
                    r.pos += 1
                r.resume_t_s = t + r.outage_s
                # bleak schedules the disconnected callback on the loop
                asyncio.get_running_loop().call_soon(self._disconnected_callback, self)
                return
            await asyncio.sleep(0)
        r.done.set()
