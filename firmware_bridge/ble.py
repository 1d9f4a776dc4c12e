"""Bluetooth LE sensors as a source: ``ble:NAME_OR_ADDRESS``.

bleak runs on an asyncio loop in a worker thread the source owns, so the same class serves the
command line and the Qt GUI. The notification callback only decodes and enqueues chunks into a
bounded queue; :meth:`BleSource.read` drains it. A supervisor task reconnects after a
disconnect (backoff, rescan, re-subscribe, start command re-sent) and marks the gap with
``disconnected``/``reconnected`` notices. Supported devices are in ``firmware_bridge.ble_profiles``;
``firmware_bridge.ble_timeline`` orders and times their notifications.

The radio is reached only through two injectable objects with bleak's interface: a scanner
(``find_device_by_filter``, ``discover``) and a client factory returning a ``BleakClient``-like
object. Tests replay recorded notification bytes there (docs/ble.md).
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from typing import Callable

from analysis.chunk import Chunk, joined_chunks
from analysis.errors import DeviceError
from firmware_bridge.ble_profiles import PROFILES, Batch, Profile, profile_for_services
from firmware_bridge.ble_timeline import Reorder, Timeline
from firmware_bridge.sources import Notice, Source, register_source


def _radio_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the radio or the device said no" rather than a bug."""
    from bleak.exc import BleakError
    return (BleakError, OSError, EOFError)


def _default_client_factory(device, disconnected_callback, timeout_s: float):
    from bleak import BleakClient
    return BleakClient(device, disconnected_callback=disconnected_callback, timeout=timeout_s)


def _default_scanner():
    from bleak import BleakScanner
    return BleakScanner


# D-Bus answers meaning nothing owns the name org.bluez: BlueZ is not installed or not running
_NO_BLUEZ = ("org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner")


def _unavailable(e: BaseException) -> str | None:
    """Why this machine has no Bluetooth to use, in plain words, or None when ``e`` is about
    one device or one attempt rather than the machine."""
    from bleak.exc import BleakBluetoothNotAvailableError, BleakDBusError
    if isinstance(e, (FileNotFoundError, ConnectionRefusedError)):    # no socket, or no daemon at it
        return "no system D-Bus: is BlueZ installed and running?"
    if isinstance(e, PermissionError):
        return "the system D-Bus does not let this user in"
    if isinstance(e, BleakDBusError) and e.dbus_error in _NO_BLUEZ:
        return "BlueZ is not running on the system D-Bus: is it installed, and the bluetooth service started?"
    if isinstance(e, BleakDBusError) and e.dbus_error == "org.freedesktop.DBus.Error.AccessDenied":
        return "the system D-Bus does not let this user use BlueZ"
    if isinstance(e, BleakBluetoothNotAvailableError):    # no adapter, switched off, denied
        return str(e.args[0] if e.args else type(e).__name__).splitlines()[0].rstrip(".")
    return None


def _scan_error(e: BaseException, spec: str | None = None) -> DeviceError:
    """One line for a scan that failed: ``no Bluetooth here (why)`` when the machine has none to
    use, else ``scan failed (bleak's first line)``; prefixed with the device spec when given."""
    why = _unavailable(e)
    text = f"no Bluetooth here ({why})" if why else f"scan failed ({_first_line(e)})"
    return DeviceError(f"{spec}: {text}" if spec else text)


def _first_line(e: BaseException) -> str:
    return str(e).splitlines()[0] if str(e).strip() else type(e).__name__


def _shown_name(name) -> str:
    """An advertised name as the user sees it: without the NULs or spaces a firmware pads its
    fixed-size name field with, control characters escaped so it stays on one line."""
    text = str(name or "").strip("\x00 \t\r\n")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _matches(target: str, device, adv) -> bool:
    t = target.strip().casefold()
    names = {_shown_name(getattr(adv, "local_name", None)).casefold(),
             _shown_name(getattr(device, "name", None)).casefold()}
    return str(device.address).casefold() == t or t in names


class BleSource(Source):
    """Streams force (and IMU) from a BLE sensor.

    Parameters
    ----------
    target : str
        Advertised name or address (MAC, or the UUID macOS shows).
    profile : str, optional
        Force a profile (``gradecoach``, ``nus``, ``progressor``); default: from the services.
    scanner, client_factory :
        bleak's ``BleakScanner`` and ``BleakClient(device, disconnected_callback=, timeout=)``
        unless given (replay tests pass recorded-notification fakes here).
    clock : callable
        Host clock in s; sample times are seconds since :meth:`open` on this clock.
    find_timeout_s, connect_timeout_s : float
        How long a device may stay silent before :class:`DeviceError` names it.
    backoff_s : (float, float)
        First and longest wait between reconnect attempts (doubling).
    queue_size : int
        Notifications held for :meth:`read`; past that, samples are dropped and counted.
    tap : callable, optional
        ``tap(t_host_s, char_uuid, data)`` sees every raw notification (``ble_record`` uses it
        to record a real device's stream for replay tests). Must be quick.
    """

    def __init__(self, target: str, *, profile: str | None = None, scanner=None,
                 client_factory: Callable | None = None, clock: Callable[[], float] = time.monotonic,
                 find_timeout_s: float = 10.0, connect_timeout_s: float = 15.0,
                 backoff_s: tuple[float, float] = (0.5, 8.0), queue_size: int = 4096,
                 tap: Callable[[float, str, bytes], None] | None = None) -> None:
        self.spec = f"ble:{target}"
        super().__init__()
        if not target.strip():
            raise DeviceError("ble: give a device's advertised name or address, e.g. ble:Progressor_1A2B "
                              "or ble:C0:FF:EE:12:34:56 (gradecoach devices --ble lists them)")
        if profile is not None and profile not in PROFILES:
            raise DeviceError(f"{self.spec}: unknown BLE profile {profile!r}; known: {', '.join(PROFILES)}")
        self.target, self.profile_name = target.strip(), profile
        self._scanner = scanner
        self._client_factory = client_factory or _default_client_factory
        self._clock = clock
        self._tap = tap
        self.find_timeout_s, self.connect_timeout_s = find_timeout_s, connect_timeout_s
        self.backoff_s = backoff_s
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client = None
        self._profile: Profile | None = None
        self._timeline: Timeline | None = None
        self._reorder: Reorder | None = None
        self._lost: asyncio.Event | None = None
        self._supervisor = None
        self._closing = False
        self._error: BaseException | None = None
        self._pending_info: dict | None = None
        self._t0 = 0.0
        self._t_lost_s: float | None = None
        self._rate_window: list[tuple[float, int]] = []
        self.overflows = 0
        self._notes_in = 0          # notifications received

    # --- thread-safe notices -------------------------------------------------------------
    def notify(self, kind: str, message: str, t_s: float | None = None, t_end_s: float | None = None,
               samples: int | None = None) -> None:
        with self._lock:
            self._notices.append(Notice(kind, message, t_s, t_end_s, samples))

    def notices(self) -> list[Notice]:
        with self._lock:
            out, self._notices = self._notices, []
        return out

    def silent(self, seconds: float) -> str:
        why = self._profile.no_samples() if self._profile is not None else None
        if why is None or not self._notes_in:
            return super().silent(seconds)
        return (f"{self._notes_in} notification{'s' if self._notes_in != 1 else ''} in {seconds:g} s but no "
                f"samples: {why}")

    def _now_s(self) -> float:
        return self._clock() - self._t0

    # --- life cycle (caller's thread) ----------------------------------------------------
    def open(self) -> None:
        if self._thread is not None:
            return
        self._t0 = self._clock()
        self._closing = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name=self.spec, daemon=True)
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._connect(), self._loop)
        try:
            fut.result(timeout=self.find_timeout_s + self.connect_timeout_s + 5.0)
            self._supervisor = asyncio.run_coroutine_threadsafe(self._supervise(), self._loop)
        except TimeoutError:
            fut.cancel()
            self._stop_loop()
            raise DeviceError(f"{self.spec}: no answer from {self.target!r}") from None
        except BaseException:
            fut.cancel()
            self._stop_loop()
            raise

    def close(self) -> None:
        """Stop the device and let it go. What was still held (:meth:`release_held`) is handed
        over first: :meth:`read` still returns it, once, after closing."""
        if self._thread is None:
            return
        self._closing = True
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=5.0)
        except _radio_errors() + (TimeoutError,):
            pass    # the device is gone or not answering; the samples already read are kept
        self._stop_loop()

    def release_held(self, timeout_s: float = 1.0) -> None:
        """Hand over at once what is held back: samples after a hole in the sequence numbers,
        waiting for a late notification (:class:`~firmware_bridge.ble_timeline.Reorder`), with the
        hole then counted as lost; and samples held for a doubtful device time, counted with the
        CRC errors (nothing after them tells whether they were good). A recording that stops
        takes them with :meth:`read`, so nothing received before the stop is left out. Waits at
        most ``timeout_s``."""
        if self._thread is None or self._loop is None:
            return
        fut = asyncio.run_coroutine_threadsafe(self._release_all(), self._loop)
        try:
            fut.result(timeout=timeout_s)
        except TimeoutError:
            fut.cancel()

    async def _release_all(self) -> None:
        if self._reorder is not None:
            self._hand_on(self._reorder.flush())
        if self._timeline is not None:
            self._timeline.release()
            self.stats.crc_errors = self._profile.errors - getattr(self._profile, "text_lines", 0) + self._timeline.bad_times
        n_text = getattr(self._profile, "text_lines", 0)
        if n_text > getattr(self, "_text_said", 0):      # (said once each time more came)
            self._text_said = n_text
            _, text = self._profile.first_text or (0, "")
            text = text if len(text) <= 40 else text[:37] + "..."
            self.notify("info", f"{self.spec}: {n_text} text line{'s' if n_text != 1 else ''} that "
                                f"{'are' if n_text != 1 else 'is'} not samples (the sketch's messages, the first "
                                f"{text!r}), left out")

    def _release_due(self) -> None:
        if self._reorder is not None and self._reorder.held:
            self._hand_on(self._reorder.due(self._now_s()))

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10.0)
        self._thread = None

    def _run_loop(self) -> None:
        loop = self._loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    # --- pulling (caller's thread) -------------------------------------------------------
    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        """Chunks received since the last call (contiguous pieces merged), waiting ≤ ``timeout_s``."""
        if self._error is not None:
            err, self._error = self._error, None
            raise err
        if self._thread is None:
            if self._queue.empty():
                raise DeviceError(f"{self.spec}: source not opened")
            timeout_s = 0.0         # closed: what it held when it was closed
        elif self._reorder is not None and self._reorder.held:
            # samples waiting for a late notification go on once it is too late, even if the
            # device has gone quiet (this is the loop's to do: the reorder state is its own)
            self._loop.call_soon_threadsafe(self._release_due)
        items = []
        try:
            items.append(self._queue.get(timeout=timeout_s) if timeout_s > 0 else self._queue.get_nowait())
            while True:
                items.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        if self._pending_info is not None:
            info, self._pending_info = self._pending_info, None
            self.info.update(info)
        chunks = _merge(items)
        rates = [c.rate_hz for c in chunks if c.stream == "force" and c.rate_hz]
        if rates:
            self.info["rate_hz"] = rates[-1]
        n_force = sum(len(c) for c in chunks if c.stream == "force")
        now = self._now_s()
        self._rate_window = [(t, n) for t, n in self._rate_window if t > now - 1.0] + [(now, n_force)]
        span = now - self._rate_window[0][0]
        if span > 0.5:
            self.stats.rate_hz = sum(n for _, n in self._rate_window[1:]) / span
        return chunks

    # --- the asyncio side (worker thread) ------------------------------------------------
    async def _find(self):
        scanner = self._scanner or _default_scanner()
        try:
            device = await scanner.find_device_by_filter(
                lambda d, ad: _matches(self.target, d, ad), timeout=self.find_timeout_s)
        except _radio_errors() as e:
            raise _scan_error(e, self.spec) from None
        if device is None:
            raise DeviceError(f"{self.spec}: no device named or at {self.target!r} answered within "
                              f"{self.find_timeout_s:g} s (switched on, in range, not connected elsewhere?)")
        return device

    async def _connect(self) -> None:
        device = await self._find()
        self._lost = self._lost or asyncio.Event()
        client = self._client_factory(device, self._on_disconnect, self.connect_timeout_s)
        name = _shown_name(getattr(device, "name", None)) or self.target
        try:
            await asyncio.wait_for(client.connect(), self.connect_timeout_s)
        except asyncio.TimeoutError:
            raise DeviceError(f"{self.spec}: {name} did not answer within {self.connect_timeout_s:g} s") from None
        except _radio_errors() as e:
            if (why := _unavailable(e)) is not None:
                raise DeviceError(f"{self.spec}: no Bluetooth here ({why})") from None
            raise DeviceError(f"{self.spec}: could not connect to {name} ({_first_line(e)})") from None
        try:
            await self._subscribe(client, name)
        except BaseException:
            await _quietly(client.disconnect())
            raise
        self._client = client

    async def _subscribe(self, client, name: str) -> None:
        services = client.services
        pname = self.profile_name or profile_for_services(
            getattr(s, "uuid", s) for s in _iter_services(services))
        if pname is None:
            raise DeviceError(f"{self.spec}: {name} offers none of the supported services ({', '.join(PROFILES)})")
        if self._profile is None or self._profile.name != pname:
            self._profile = PROFILES[pname]()
            self._timeline = Timeline(self._profile.clock_wrap_us, self._profile.seq_modulus)
            by = self._profile.reorder_by
            self._reorder = Reorder(by, self._profile.seq_modulus if by == "seq" else self._profile.clock_wrap_us,
                                    clock_wrap_us=self._profile.clock_wrap_us)
            self.info.update(name=name, profile=pname, address=str(getattr(client, "address", self.target)))
        else:
            self._hand_on(self._reorder.flush())    # on the timeline they came on, before the outage
            self._profile.reset()
            self._timeline.new_epoch()
        prof = self._profile
        try:
            await client.start_notify(prof.notify_uuid, self._on_notify)
            char = services.get_characteristic(prof.control_uuid) if prof.start_commands() else None
            for cmd in prof.start_commands():
                with_response = char is not None and "write" in getattr(char, "properties", ())
                await client.write_gatt_char(prof.control_uuid, cmd, response=with_response)
        except _radio_errors() as e:
            raise DeviceError(f"{self.spec}: {name} refused to stream ({_first_line(e)})") from None

    def _on_disconnect(self, client) -> None:
        if self._closing or client is not self._client:
            return
        self._t_lost_s = self._now_s()
        self.notify("disconnected", f"{self.spec}: connection lost, reconnecting", self._t_lost_s)
        self._lost.set()

    async def _supervise(self) -> None:
        while not self._closing:
            await self._lost.wait()
            self._lost.clear()
            delay, last = self.backoff_s[0], ""
            while not self._closing:
                await asyncio.sleep(delay)
                try:
                    await self._connect()
                    break
                except DeviceError as e:
                    delay, last = min(delay * 2.0, self.backoff_s[1]), str(e)
                    self.notify("info", f"still trying: {last}")
            else:
                return
            self.stats.reconnects += 1
            t1 = self._now_s()
            self.notify("reconnected", f"{self.spec}: reconnected after {t1 - self._t_lost_s:.1f} s",
                        self._t_lost_s, t1)

    async def _shutdown(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
        await self._release_all()
        client, prof = self._client, self._profile
        if client is None or not getattr(client, "is_connected", False):
            return
        for cmd in prof.stop_commands():
            await _quietly(client.write_gatt_char(prof.control_uuid, cmd, response=False))
        await _quietly(client.disconnect())

    def _on_notify(self, sender, data: bytearray) -> None:
        """bleak's callback: decode, place on the timeline, enqueue. Nothing else."""
        try:
            t_host = self._now_s()
            prof, tl = self._profile, self._timeline
            if self._tap is not None:
                self._tap(t_host, str(getattr(sender, "uuid", sender)), bytes(data))
            self._notes_in += 1
            batches = prof.decode(bytes(data))
            for note in prof.notes():
                self.notify("info", f"{self.spec}: {note}")
            steps = tl.clock_steps
            self._hand_on(self._reorder.push(batches, t_host))
            if tl.clock_steps != steps:
                self._reorder.restart()         # the device's clock started again: so does its order
            self.stats.crc_errors = prof.errors - getattr(prof, "text_lines", 0) + tl.bad_times
            if prof.info and any(self.info.get(k) != v for k, v in prof.info.items()):
                self._pending_info = dict(prof.info)
        except BaseException as e:     # a bug: surface it in read() instead of losing it in bleak
            self._error = e

    def _hand_on(self, notes: list[tuple[list[Batch], float]]) -> None:
        """Place notifications' batches on the timeline (in the order given) and enqueue them."""
        tl = self._timeline
        for batches, t_host in notes:
            for b in batches:
                p = tl.place(b, t_host)
                force = b.stream == "force"
                if force and p.missing:
                    self.stats.dropped += p.missing
                    n = p.missing
                    # (no times: a late notification from before the first samples, left out)
                    self.notify("gap", f"{self.spec}: {n} sample{'s' if n != 1 else ''} lost",
                                *(p.gap_s or (None, None)), n)
                if not len(p.t_s):
                    continue        # held back or dropped: a doubtful device time (Timeline)
                chunk = Chunk(p.t_s, p.values, p.seq0, b.stream, p.rate_hz)
                try:
                    self._queue.put_nowait(chunk)
                except queue.Full:
                    self.overflows += 1
                    if force:
                        self.stats.dropped += len(chunk)
                    continue
                if force:
                    self.stats.samples += len(chunk)


def _iter_services(services):
    if services is None:
        return []
    if hasattr(services, "services"):
        return list(services.services.values())
    return list(services)


async def _quietly(coro) -> None:
    try:
        await asyncio.wait_for(coro, 2.0)
    except _radio_errors() + (asyncio.TimeoutError,):
        pass    # best effort while letting go of a device that may already be gone


def _merge(chunks: list[Chunk]) -> list[Chunk]:
    """Join consecutive chunks of a stream whose sequence numbers continue."""
    out: list[Chunk] = []
    run: dict[str, list[Chunk]] = {}
    order: list[str] = []
    for c in chunks:
        r = run.get(c.stream)
        if r and r[-1].seq0 + len(r[-1]) == c.seq0:
            r.append(c)
            continue
        if r:
            out.append(joined_chunks(r))
        run[c.stream] = [c]
        if c.stream not in order:
            order.append(c.stream)
    out.extend(joined_chunks(run[s]) for s in order if run.get(s))
    return sorted(out, key=lambda c: (c.t_s[0] if len(c) else 0.0))


def scan(timeout_s: float = 5.0, scanner=None) -> list[dict]:
    """BLE devices advertising a supported service, strongest first.

    Returns
    -------
    list of dict
        ``name``, ``address``, ``profile``, ``rssi`` (dBm) and ``spec`` (``ble:ADDRESS``).

    Raises
    ------
    DeviceError
        One line: ``no Bluetooth here (why)`` when there is no D-Bus, no BlueZ or no adapter
        to use, else ``scan failed (...)``.
    """
    scanner = scanner or _default_scanner()
    box: dict = {}

    def run() -> None:
        try:
            box["found"] = asyncio.run(scanner.discover(timeout=timeout_s, return_adv=True))
        except BaseException as e:
            box["error"] = e

    t = threading.Thread(target=run, name="ble scan", daemon=True)
    t.start()
    t.join()
    if "error" in box:
        e = box["error"]
        if isinstance(e, _radio_errors()):
            raise _scan_error(e) from None
        raise e
    out = []
    for address, (device, adv) in box["found"].items():
        name = _shown_name(adv.local_name) or _shown_name(getattr(device, "name", None))
        profile = profile_for_services(adv.service_uuids or [])
        if profile is None and name.startswith("Progressor"):
            profile = "progressor"     # Progressors do not always put their service in the advert
        if profile:
            out.append(dict(name=name, address=address, profile=profile, rssi=adv.rssi, spec=f"ble:{address}"))
    return sorted(out, key=lambda d: -(d["rssi"] if d["rssi"] is not None else -999))


register_source("ble", lambda rest: BleSource(rest))
