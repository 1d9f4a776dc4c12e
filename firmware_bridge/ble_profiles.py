"""What each supported BLE device says and how to talk to it (used by ``firmware_bridge.ble``).

A profile names the GATT service that identifies the device, the characteristic it notifies
on, the one commands are written to, and turns one notification into :class:`Batch` es.
Profiles are pure: no I/O, no clocks. Three are supported (docs/ble.md):

``gradecoach``  the reference firmware's own service: each notification carries binary frames
                (firmware_bridge/protocol/binary.py) with several samples each, so 1 kHz fits.
``nus``         the Nordic UART Service carrying the ASCII line protocol (``t_ms,force`` or
                ``force`` per line; lines may be split across notifications).
``progressor``  the Tindeq Progressor force gauge (firmware_bridge/protocol/progressor.py).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from firmware_bridge.protocol import progressor

# The reference firmware's GATT service (documented in docs/ble.md). 128-bit UUIDs differing
# only in the first group; the firmware sketch uses the same constants.
GRADECOACH_SERVICE_UUID = "34940001-1310-4cf0-a210-d454d5e2e25f"
GRADECOACH_DATA_UUID = "34940002-1310-4cf0-a210-d454d5e2e25f"      # notify: binary frames
GRADECOACH_CONTROL_UUID = "34940003-1310-4cf0-a210-d454d5e2e25f"   # write: binary commands

NUS_SERVICE_UUID = "6e400001-b5a3-f393-e0a9-e50e24dcca9e"
NUS_RX_UUID = "6e400002-b5a3-f393-e0a9-e50e24dcca9e"   # write (host → device)
NUS_TX_UUID = "6e400003-b5a3-f393-e0a9-e50e24dcca9e"   # notify (device → host)
MAX_T_MS = 1e12   # line-protocol timestamps beyond this (31 years) are garbage, not time
# The first line after subscribing is taken as whole (not the tail of a line cut by joining the
# stream) when the next line's sketch time follows it within this: a sketch printing 10 lines a
# second or more; a cut line's time has lost its leading digits.
FIRST_LINE_BEFORE_MS = 100.0
# raw ADC reading lines with no force between: an uncalibrated sketch, said once (as over serial)
RAW_NOTICE_LINES = 10
CALIBRATE_HINT = ("calibrate the sketch (a scale factor from a known weight) to print newtons, kg, g or lb, "
                  "e.g. 'Force: 12.3 N'")


@dataclass(frozen=True)
class Batch:
    """Samples decoded from one notification, before they are placed on the host timeline.

    Attributes
    ----------
    stream : str
        ``"force"`` (values (n,) in N) or ``"imu"`` (values (n, 6)).
    values : ndarray
    t_dev_us : ndarray of int64, shape (n,), or None
        Device clock per sample in µs; None when the device sends no time (host arrival is used).
    seq0 : int or None
        Device sequence number of the first sample; None when the device numbers nothing.
    """

    stream: str
    values: np.ndarray
    t_dev_us: np.ndarray | None = None
    seq0: int | None = None


class Profile:
    """Base class: one supported kind of BLE device."""

    name = ""
    service_uuid = ""
    notify_uuid = ""
    control_uuid = ""
    clock_wrap_us: int | None = None      # device clock modulus, None if it never wraps
    seq_modulus: int | None = None        # sequence number modulus, None if not numbered
    reorder_by: str | None = None         # what shows a late notification (Reorder): "seq", "time"

    def __init__(self) -> None:
        self.info: dict = {}          # device facts learned from the stream (name, rate_hz, ...)
        self.errors = 0               # notifications/frames the decoder had to skip

    def start_commands(self) -> list[bytes]:
        """Writes to the control characteristic that make the device stream."""
        return []

    def stop_commands(self) -> list[bytes]:
        return []

    def reset(self) -> None:
        """Forget partial input (after a reconnect)."""

    def notes(self) -> list[str]:
        """What the user should be told about the stream since the last call (each said once)."""
        return []

    def no_samples(self) -> str | None:
        """Why notifications came but gave no sample, when the profile can tell."""
        return None

    def decode(self, data: bytes) -> list[Batch]:
        raise NotImplementedError


class GradecoachProfile(Profile):
    """The reference firmware: binary frames (COBS, CRC, seq, µs time) inside notifications."""

    name = "gradecoach"
    reorder_by = "seq"
    service_uuid = GRADECOACH_SERVICE_UUID
    notify_uuid = GRADECOACH_DATA_UUID
    control_uuid = GRADECOACH_CONTROL_UUID

    def __init__(self) -> None:
        super().__init__()
        from firmware_bridge.protocol import binary

        self._binary = binary
        self._notes: list[str] = []
        self._cal_said = False
        self.clock_wrap_us = getattr(binary, "T_US_MODULUS", None)
        self.seq_modulus = getattr(binary, "SEQ_MODULUS", None)
        self.reset()

    def reset(self) -> None:
        # frames skipped for bad COBS, CRC or layout; kept across the decoder a reconnect renews
        self._errors_before = getattr(self, "_errors_before", 0) + getattr(self, "_errors_now", 0)
        self._errors_now = 0
        self._decoder = self._binary.BinaryDecoder()

    def start_commands(self) -> list[bytes]:
        return [self._binary.encode_command("identify"), self._binary.encode_command("start")]

    def stop_commands(self) -> list[bytes]:
        return [self._binary.encode_command("stop")]

    def decode(self, data: bytes) -> list[Batch]:
        out = []
        for msg in self._decoder.feed(data):
            if isinstance(msg, self._binary.SampleBlock):
                n = len(msg.force)
                t = int(msg.t_us) + np.arange(n, dtype=np.int64) * int(msg.dt_us)
                force = np.asarray(msg.force, np.float64)
                if getattr(msg, "raw_counts", False):
                    force = self._counts_to_n(force)
                # a force that is not a number is left out: the sequence jump counts it as lost
                for a, b in self._binary.finite_runs(force):
                    out.append(Batch("force", force[a:b], t[a:b], int(msg.seq) + a))
                    if msg.imu is not None:
                        self.info["has_imu"] = True
                        out.append(Batch("imu", np.asarray(msg.imu, np.float64)[a:b], t[a:b], int(msg.seq) + a))
            elif isinstance(msg, self._binary.Identify):
                self.info.update(_identify_info(msg))
                if "n_per_count" in (self.info.get("calibration") or {}):
                    self.info["force_units"] = "N"      # counts are converted on arrival
        self._errors_now = self._decoder.crc_errors + self._decoder.resyncs
        self.errors = self._errors_before + self._errors_now
        return out

    def _counts_to_n(self, counts: np.ndarray) -> np.ndarray:
        """Raw ADC counts to N with the identify message's calibration (docs/protocol.md).

        ``force_n = (counts − offset) · n_per_count``. Without a calibration the counts are
        passed on unchanged and ``info["force_units"]`` says ``counts``.
        """
        cal = self.info.get("calibration") or {}
        in_n = self._binary.counts_to_n(counts, cal)
        self.info["force_units"] = "counts" if in_n is None else "N"    # (also when it is not usable)
        if in_n is None and "n_per_count" in cal and not self._cal_said:
            self._cal_said = True
            self._notes.append(f"the device's calibration (offset {cal.get('offset')!r}, n_per_count "
                               f"{cal['n_per_count']!r}) is not usable; forces stay in ADC counts")
        return counts if in_n is None else in_n

    def notes(self) -> list[str]:
        out, self._notes = self._notes, []
        return out


def _identify_info(msg) -> dict:
    """Device facts from an Identify message, under the names ``Source.info`` uses."""
    d = msg.to_dict() if hasattr(msg, "to_dict") else dict(vars(msg))
    info = {k: d[k] for k in ("name", "firmware", "rate_hz", "force_units", "calibration", "has_imu") if k in d}
    if "calibration" in info:
        info["calibration"] = dict(info["calibration"] or {})
    if "device_name" in d:
        info["name"] = d["device_name"]
    return info


class NusProfile(Profile):
    """Nordic UART Service carrying the ASCII line protocol."""

    name = "nus"
    service_uuid = NUS_SERVICE_UUID
    notify_uuid = NUS_TX_UUID
    control_uuid = NUS_RX_UUID

    def __init__(self) -> None:
        super().__init__()
        from firmware_bridge.protocol import line

        self._line = line
        self._bad = 0
        self._raw_said = False
        self._raw_seen: tuple[int, tuple[int, str] | None] = (0, None)   # before the decoder renewed
        self.reset()

    def reset(self) -> None:
        decoder = getattr(self, "_decoder", None)
        if decoder is not None:      # the count goes on across the decoder a reconnect renews
            self._bad += decoder.bad_lines
            self._raw_seen = (self._raw_seen[0] + decoder.raw_lines, self._raw_seen[1] or decoder.first_raw)
        self._decoder = self._line.LineDecoder()
        # notifications may begin in the middle of a line (a sketch already printing when
        # subscribed to, or again after a reconnect): the first line's row waits for the next one
        self._first: bytes | None = b""         # its bytes while it comes, None once it is whole
        self._first_rows: list = []             # its row, until the next row tells whether it was cut
        self._first_lines = 0                   # lines seen up to and with it

    def _first_line_checked(self, rows: list) -> list:
        """The rows with the first line's in front, if the row after it shows that it was whole:
        the same kind (timed or not) and, timed, at most ``FIRST_LINE_BEFORE_MS`` before it. A
        cut line ("45" of "12.45", "4,5.6" of "1234,5.6") is no sample."""
        if not self._first_rows or not rows:
            return rows
        first, self._first_rows = self._first_rows, []
        t0 = first[0][0]
        if (t0 is None) != (rows[0][0] is None):
            return rows
        if t0 is not None and not 0 <= rows[0][0] - t0 <= FIRST_LINE_BEFORE_MS:
            return rows
        return first + rows

    def decode(self, data: bytes) -> list[Batch]:
        if self._first is not None:
            i = data.find(b"\n")
            if i < 0 and len(self._first) + len(data) <= self._line.MAX_LINE:
                self._first += data
                return []
            first, data, self._first = self._first + data[:i + 1], data[i + 1:], None
            if i < 0:      # no line end within a line's length: not lines at all, as they come
                data, first = first + data, b""
            bad0 = self._decoder.bad_lines
            self._first_rows = self._decoder.feed(first)
            self._first_lines = self._decoder.lines
            if not self._first_rows:       # not a number: a cut line is no bad line either
                self._bad -= self._decoder.bad_lines - bad0
        rows = self._decoder.feed(data)
        if self._first_rows and not rows and self._decoder.lines > self._first_lines:
            rows, self._first_rows = self._first_rows, []    # the next line tells nothing: kept
        rows = self._first_line_checked(rows)
        bad = 0
        timed = [(t, f) for t, f in rows if t is not None]
        if timed:
            # a sketch's clock: milliseconds since it started, at most ~31 years of them
            t_ms = np.array([t for t, _ in timed], np.float64)
            force = np.array([f for _, f in timed], np.float64)
            ok = np.isfinite(force) & np.isfinite(t_ms) & (t_ms >= 0) & (t_ms < MAX_T_MS)
            bad += len(rows) - int(ok.sum())     # untimed lines in a timed stream count as bad
            out = [Batch("force", force[ok], np.round(t_ms[ok] * 1000.0).astype(np.int64))] if ok.any() else []
        else:
            force = np.array([f for _, f in rows], np.float64)
            ok = np.isfinite(force)
            bad += len(rows) - int(ok.sum())
            out = [Batch("force", force[ok])] if ok.any() else []
        self._bad += bad
        self.errors = self._bad + self._decoder.bad_lines
        return out

    def notes(self) -> list[str]:
        if self._raw_said or self._decoder.raw_run < RAW_NOTICE_LINES:
            return []
        self._raw_said = True       # counts are no newtons: not recorded as forces
        n, text = self._decoder.first_raw
        return [f"line {n} {text!r} is a raw ADC reading, not a force: such lines are not recorded; {CALIBRATE_HINT}"]

    def no_samples(self) -> str | None:
        raw = self._raw_seen[0] + self._decoder.raw_lines
        if not raw:
            return None
        n, text = self._raw_seen[1] or self._decoder.first_raw
        return f"{raw} lines of raw ADC readings (line {n}: {text!r}), not forces; {CALIBRATE_HINT}"


class ProgressorProfile(Profile):
    """Tindeq Progressor: weight notifications of float32 kg + uint32 µs pairs."""

    name = "progressor"
    reorder_by = "time"       # µs per sample; a NUS notification is a piece of text, cut anywhere
    service_uuid = progressor.SERVICE_UUID
    notify_uuid = progressor.DATA_UUID
    control_uuid = progressor.CONTROL_UUID
    clock_wrap_us = progressor.DEVICE_CLOCK_WRAP_US

    def __init__(self) -> None:
        super().__init__()
        self.info = {"model": "Tindeq Progressor", "force_units": "N"}
        self._decoder = progressor.ProgressorDecoder()

    def start_commands(self) -> list[bytes]:
        return [progressor.encode_command("start")]

    def stop_commands(self) -> list[bytes]:
        return [progressor.encode_command("stop")]

    def decode(self, data: bytes) -> list[Batch]:
        out = []
        for msg in self._decoder.feed(data):
            if isinstance(msg, progressor.WeightSamples):
                out.append(Batch("force", msg.force_n, msg.t_us))
            elif isinstance(msg, progressor.CommandResponse) and msg.battery_mv is not None:
                self.info["battery_mv"] = msg.battery_mv
            elif isinstance(msg, progressor.LowPowerWarning):
                self.info["low_battery"] = True
        self.errors = self._decoder.malformed
        return out


PROFILES: dict[str, type[Profile]] = {p.name: p for p in (GradecoachProfile, NusProfile, ProgressorProfile)}
SERVICE_TO_PROFILE = {p.service_uuid: name for name, p in PROFILES.items()}


def profile_for_services(uuids) -> str | None:
    """The profile whose service is among ``uuids`` (lower-case 128-bit strings), if any."""
    for u in uuids:
        name = SERVICE_TO_PROFILE.get(str(u).lower())
        if name:
            return name
    return None


@dataclass(frozen=True)
class Placed:
    """Samples placed on the host timeline: times, first sequence number, samples missing before.

    ``values`` are the samples placed, which may differ from the batch's: samples with an
    impossible device time are held back or dropped (:class:`Timeline`).
    """

    t_s: np.ndarray
    seq0: int
    missing: int
    gap_s: tuple[float, float] | None
    rate_hz: float
    values: np.ndarray | None = None


# A sample cannot be taken after it arrived: a device time placing it later than its arrival by
# more than this is wrong (the margin covers a start-up burst that set the offset late).
AHEAD_TOL_S = 1.0
# How far back (s of samples counted at the measured rate) arrivals are looked at to time samples
# that carry no time: longer than a burst of notifications, short enough that a rate measured a
# little wrong does not shift them far.
ARRIVAL_WINDOW_S = 2.0
# Doubtful device times (ahead of arrival, or not after the previous sample) in a row, over at
# least two notifications, that mean the device clock itself stepped or restarted.
CLOCK_STEP_SAMPLES = 3
# Holes counted as lost, and notifications placed, remembered per stream: samples of a hole coming
# later still (a notification delivered late) are dropped without being counted a second time, and
# a notification delivered again is known at once.
GAPS_KEPT = 16


# A notification the radio hands over late (a retransmission delivered after the one that followed
# it) is put back in its place when it comes within this much arrival time of the first one after
# the hole it left: samples after a hole wait this long before they are handed on.
REORDER_S = 0.2


class Reorder:
    """Hands notifications on in the device's order, whatever order they arrived in.

    A notification is the batches decoded from it, keyed by its first force batch's ``seq0``
    (``by="seq"``, a device numbering its samples) or first device time (``by="time"``). One
    that continues the last handed on goes on at once, so an unbroken stream waits for nothing.
    One after a hole (a jump in the sequence numbers; a device-time step longer than 1.5 sample
    periods) is held, with any after it, until a late notification fills the hole (then they
    all go on in order) or ``window_s`` of arrival time has passed since the first held one came
    (then they go on, and :class:`Timeline` counts the hole as lost). One coming after that, or
    repeating samples handed on, goes on as it is: the timeline drops it (inside a hole it
    counted: not counted again). A notification without a key goes on at once, and so does
    everything with ``by=None``.
    """

    def __init__(self, by: str | None = "seq", modulus: int | None = None,
                 window_s: float = REORDER_S) -> None:
        self.by, self.modulus, self.window_s = by, modulus, window_s
        self._ref: int | None = None        # seq expected next, or last device time; None: take any
        self._period_us = 0.0               # by time: the device's sample period, from within notifications
        self.held: list[tuple[int, list[Batch], float]] = []    # (key, batches, t_host_s), in order

    def _d(self, a: int, b: int) -> int:
        return _signed(a - b, self.modulus) if self.modulus else a - b

    def _force(self, batches: list[Batch]) -> list[Batch]:
        if self.by == "seq":
            return [b for b in batches if b.stream == "force" and b.seq0 is not None]
        if self.by == "time":
            return [b for b in batches if b.stream == "force" and b.t_dev_us is not None and len(b.values)]
        return []

    def _key(self, batches: list[Batch]) -> int | None:
        f = self._force(batches)
        if not f:
            return None
        return int(f[0].seq0) if self.by == "seq" else int(f[0].t_dev_us[0])

    def _where(self, key: int) -> int:
        """−1: before what was handed on (late past its window, or a repeat); 0: continues it; 1:
        after a hole."""
        d = self._d(key, self._ref)
        if self.by == "seq":
            return (d > 0) - (d < 0)
        if d <= 0:
            return -1
        return int(bool(self._period_us) and d > 1.5 * self._period_us)

    def restart(self) -> None:
        """Take any notification next (the device's clock or numbering started again)."""
        if not self.held:
            self._ref = None

    def push(self, batches: list[Batch], t_host_s: float) -> list[tuple[list[Batch], float]]:
        """One notification's batches in; the notifications to hand on now, in order, out."""
        out = self.due(t_host_s)
        key = self._key(batches)
        if key is None or self._ref is None or (not self.held and self._where(key) <= 0):
            self._go(batches, t_host_s, out)
            return out
        pos = sum(1 for k, _, _ in self.held if self._d(k, key) <= 0)
        self.held.insert(pos, (key, batches, t_host_s))
        self._release(out, give_up=False)
        return out

    def due(self, t_host_s: float) -> list[tuple[list[Batch], float]]:
        """What has waited ``window_s`` for a late notification, and what follows it, by ``t_host_s``."""
        out: list = []
        while self.held and t_host_s - min(t for _, _, t in self.held) >= self.window_s:
            self._release(out, give_up=True)
        return out

    def flush(self) -> list[tuple[list[Batch], float]]:
        """Everything held, in order (the stream stops here, or starts again after a reconnect)."""
        out: list = []
        while self.held:
            self._release(out, give_up=True)
        self._ref = None
        return out

    def _release(self, out: list, give_up: bool) -> None:
        """Hand on the held notifications that continue the stream; with ``give_up``, the first
        held one after its hole as well."""
        while self.held and (give_up or self._where(self.held[0][0]) <= 0):
            _, batches, t = self.held.pop(0)
            self._go(batches, t, out)
            give_up = False

    def _go(self, batches: list[Batch], t_host_s: float, out: list) -> None:
        out.append((batches, t_host_s))
        f = self._force(batches)
        if not f:
            return
        if self.by == "seq":
            end = int(f[-1].seq0) + len(f[-1].values)
        else:
            end = int(f[-1].t_dev_us[-1])
            steps = np.diff(np.asarray(f[-1].t_dev_us, np.int64))
            if self.modulus:
                steps %= self.modulus
            if len(steps) and (steps > 0).any():
                self._period_us = float(np.median(steps[steps > 0]))
        if self.modulus:
            end %= self.modulus
        if self._ref is None or self._d(end, self._ref) > 0:
            self._ref = end


def _signed(d: int, modulus: int) -> int:
    """``d`` modulo ``modulus``, as the nearest difference: in [−modulus/2, modulus/2)."""
    d %= modulus
    return d - modulus if d >= modulus // 2 else d


class Timeline:
    """Maps device time (µs) onto the host timeline (s) and counts missing samples.

    The offset host − device is the minimum of ``t_host − t_dev`` over the notifications of
    the last ``window_s`` of device time: radio latency only ever delays arrival, so the
    smallest difference is the best estimate, and forgetting old ones lets a device clock that
    runs slow against the host be followed too (a fast one makes new minima anyway). Between
    updates the device's own sample spacing is kept exactly. Times stay strictly increasing.

    Devices that send no time get their samples spaced by the rate measured from arrivals
    (before 0.5 s of arrivals: spread evenly since the previous notification).

    Missing samples come from sequence numbers when the device numbers its samples, otherwise
    from device-time gaps longer than 1.5 sample periods (period = median of recent steps).
    After :meth:`new_epoch` (a reconnect) the offset is re-anchored; numbered samples still
    count their gap, while time-only devices (whose clock may restart) do not.

    Samples that lie wholly inside one of the last ``GAPS_KEPT`` holes already counted as
    missing (a notification delivered too late to be put back in its place, see :class:`Reorder`)
    are dropped and not counted again. A batch with the first and last device times of one of
    the last ``GAPS_KEPT`` placed is a notification delivered again: counted in ``bad_times``.

    A device time that is not after the previous one, or that would place a sample more than
    ``AHEAD_TOL_S`` after its arrival, is doubtful: the sample is held back. Good samples after
    it make it a bad time (dropped, counted in ``bad_times`` for force); ``CLOCK_STEP_SAMPLES``
    doubtful samples that continue one another make it a device clock that stepped or
    restarted: the timeline is re-anchored there, as after a reconnect, and they are placed.
    """

    def __init__(self, clock_wrap_us: int | None = None, seq_modulus: int | None = None,
                 window_s: float = 20.0) -> None:
        self.clock_wrap_us, self.seq_modulus, self.window_s = clock_wrap_us, seq_modulus, window_s
        self._minima: deque[tuple[int, float]] = deque()   # (t_dev_us, candidate), increasing
        self._streams: dict[str, dict] = {}
        self.bad_times = 0      # force samples dropped for an impossible device time
        self.clock_steps = 0    # times the device clock was found to have stepped (re-anchored)

    def new_epoch(self) -> None:
        self._minima.clear()
        for stream, st in self._streams.items():
            self._drop_held(stream, st)
            st["epoch_new"] = True
            st["gaps"].clear()       # nothing comes late across a new connection or clock
            st["placed"].clear()
            # arrivals across the outage say nothing about the rate: measure it again
            st.update(host_first_s=None, host_prev_s=None, host_first_n=0, host_count=0, host_v_s=None)
            st["host_minima"].clear()

    def release(self) -> None:
        """The stream stops here: samples held for a doubtful device time are dropped and counted
        in ``bad_times`` (no sample after them can show them good, nor a run of them a clock step)."""
        for stream, st in self._streams.items():
            self._drop_held(stream, st)

    def _state(self, stream: str) -> dict:
        return self._streams.setdefault(stream, dict(
            wrap_us=0, last_dev_us=None, last_t_s=-np.inf, seq_next=0, numbered=None,
            steps_us=[], host_first_s=None, host_prev_s=None, host_first_n=0, host_count=0,
            host_rate_hz=0.0, host_v_s=None, host_minima=deque(), epoch_new=False, held=[],
            gaps=deque(maxlen=GAPS_KEPT), placed=deque(maxlen=GAPS_KEPT)))

    def place(self, batch: Batch, t_host_s: float) -> Placed:
        st = self._state(batch.stream)
        values = np.asarray(batch.values)
        if batch.t_dev_us is None:
            t_s, rate_hz = self._arrival_times(st, len(values), t_host_s)
            return self._finish(st, t_s, values, batch.seq0, 0, rate_hz)
        t_us = self._unwrap(st, np.asarray(batch.t_dev_us, np.int64))
        seq0 = batch.seq0
        if len(t_us) and self._in_counted_gap(st, t_us, seq0):
            return Placed(np.zeros(0), int(st["seq_next"]), 0, None, 0.0, values[:0])
        if len(t_us) > 1 and (int(t_us[0]), int(t_us[-1])) in st["placed"]:
            self._count_bad(batch.stream, len(t_us))      # delivered again: no new sample
            return Placed(np.zeros(0), int(st["seq_next"]), 0, None, 0.0, values[:0])
        if st["last_dev_us"] is not None and not st["epoch_new"] and len(t_us):
            ok = self._plausible(st, t_us, t_host_s)
            if seq0 is not None and not ok.all():
                ok[int(np.argmin(ok)):] = False      # numbered: only the run before the first doubt
            if not ok.all():
                values, t_us, seq0 = self._sort_out(batch.stream, st, values, t_us, seq0, ok, t_host_s)
            elif st["held"]:                  # good samples after doubtful ones: bad times
                self._drop_held(batch.stream, st)
        elif st["held"]:                      # re-anchored: held samples that lead here come first
            values, t_us, seq0 = self._with_held(batch.stream, st, values, t_us, seq0, t_host_s)
        if not len(t_us):
            return Placed(np.zeros(0), int(st["seq_next"]), 0, None, 0.0, values)
        missing = 0
        rate_hz, period_us = self._period(st, t_us)
        if seq0 is None and st["last_dev_us"] is not None and not st["epoch_new"] and period_us:
            step = t_us[0] - st["last_dev_us"]
            if step > 1.5 * period_us:
                missing = int(round(step / period_us)) - 1
                st["gaps"].append(("us", st["last_dev_us"], int(t_us[0])))
        st["last_dev_us"] = int(t_us[-1])
        st["placed"].append((int(t_us[0]), int(t_us[-1])))
        t_s = t_us * 1e-6 + self._offset(t_host_s, int(t_us[-1]))
        return self._finish(st, t_s, values, seq0, missing, rate_hz)

    def _finish(self, st: dict, t_s: np.ndarray, values: np.ndarray, seq0: int | None,
                missing: int, rate_hz: float) -> Placed:
        n = len(values)
        if seq0 is not None:
            if st["numbered"]:
                d = seq0 - st["seq_next"]
                if self.seq_modulus:
                    d %= self.seq_modulus
                    d = d if d < self.seq_modulus // 2 else -1
                missing = max(d, 0)
                if missing:
                    st["gaps"].append(("seq", st["seq_next"], seq0))
            st["numbered"] = True
            st["seq_next"] = seq0 + n
        else:
            seq0 = st["seq_next"] + missing
            st["seq_next"] = seq0 + n
        st["epoch_new"] = False
        start = st["last_t_s"] if np.isfinite(st["last_t_s"]) else (t_s[0] - 1e-6 if n else 0.0)
        floor = start + 1e-6 * np.arange(1, n + 1)
        if n and (t_s[0] <= floor[0] or np.any(np.diff(t_s) <= 0)):
            # strictly increasing, at least 1 µs apart (a running maximum alone leaves ties:
            # equal device times, or a sample spacing of 0)
            step = 1e-6 * np.arange(n)
            t_s = np.maximum.accumulate(np.maximum(t_s, floor) - step) + step
        gap = (float(st["last_t_s"]), float(t_s[0])) if missing and n else None
        if n:
            st["last_t_s"] = float(t_s[-1])
        return Placed(np.asarray(t_s, np.float64), int(seq0), int(missing), gap, float(rate_hz), values)

    def _in_counted_gap(self, st: dict, t_us: np.ndarray, seq0: int | None) -> bool:
        """Whether the samples lie wholly inside a hole already counted as missing: numbered, by
        their sequence numbers; else by their device times (strictly between the hole's ends)."""
        for kind, a, b in st["gaps"]:
            if kind == "seq" and seq0 is not None:
                m = self.seq_modulus
                lo, hi = seq0 - a, seq0 + len(t_us) - b
                if m:
                    lo, hi = _signed(lo, m), _signed(hi, m)
                if lo >= 0 and hi <= 0:
                    return True
            elif kind == "us" and seq0 is None and a < t_us[0] and t_us[-1] < b:
                return True
        return False

    # --- doubtful device times ---------------------------------------------------------------
    def _plausible(self, st: dict, t_us: np.ndarray, t_host_s: float) -> np.ndarray:
        """Samples taken no later than they arrived and not before an earlier good one."""
        ok = np.ones(len(t_us), bool)
        if self._minima:
            ok &= t_us * 1e-6 + self._minima[0][1] <= t_host_s + AHEAD_TOL_S
        before = np.maximum.accumulate(np.concatenate([[st["last_dev_us"]], np.where(ok, t_us, 0)]))[:-1]
        ok &= t_us >= before      # equal: a millisecond clock printing faster
        # ... but not the end of a run of earlier times: a notification delivered again ends
        # on the previous one's last time, and is repeated samples, not new ones
        for i in np.flatnonzero(ok[1:] & (t_us[1:] == before[1:])) + 1:
            ok[i] = ok[i - 1]
        return ok

    def _sort_out(self, stream: str, st: dict, values, t_us, seq0, ok, t_host_s):
        """Place the good samples; hold the doubtful tail; re-anchor on a clock step."""
        good = np.flatnonzero(ok)
        tail = (int(good[-1]) + 1) if len(good) else 0
        if len(good):       # good samples after doubtful ones: those were bad times
            self._drop_held(stream, st)
            self._count_bad(stream, tail - len(good))
        if tail < len(t_us):
            self._hold(stream, st, values[tail:], t_us[tail:],
                       None if seq0 is None else seq0 + tail, t_host_s)
        if len(good):
            return values[good], t_us[good], seq0
        held = st["held"]
        if (sum(len(h[0]) for h in held) >= CLOCK_STEP_SAMPLES and len(held) >= 2
                and not self._repeats(st, held[0][2])):
            st["held"] = []
            self._minima.clear()                # the device clock stepped: start again from here
            self.clock_steps += 1
            for other in self._streams.values():
                other["epoch_new"] = True
                other["gaps"].clear()
                other["placed"].clear()
            return (np.concatenate([h[0] for h in held]), np.concatenate([h[1] for h in held]),
                    held[0][2])
        return values[:0], t_us[:0], seq0

    def _repeats(self, st: dict, seq0: int | None) -> bool:
        """Whether numbered samples begin before the next expected: ones placed already, delivered
        again (a numbered device's clock that steps keeps counting its samples on)."""
        if seq0 is None or not st["numbered"]:
            return False
        d = seq0 - st["seq_next"]
        return (_signed(d, self.seq_modulus) if self.seq_modulus else d) < 0

    def _hold(self, stream: str, st: dict, values, t_us, seq0, t_host_s: float) -> None:
        held = st["held"]
        if not np.all(np.diff(t_us) >= 0):
            self._count_bad(stream, len(t_us))
            return
        if held and not self._continues(held, t_us, seq0, t_host_s):
            self._drop_held(stream, st)
        held.append((values, t_us, seq0, t_host_s))

    def _continues(self, held: list, t_us, seq0, t_host_s: float) -> bool:
        """Whether samples follow the held ones as a running clock would."""
        last_v, last_t, last_seq, _ = held[-1]
        first_t, first_host = held[0][1][0], held[0][3]
        if t_us[0] < last_t[-1]:
            return False
        if (t_us[-1] - first_t) * 1e-6 > t_host_s - first_host + AHEAD_TOL_S:
            return False
        return seq0 is None or last_seq is None or seq0 == last_seq + len(last_v)

    def _with_held(self, stream: str, st: dict, values, t_us, seq0, t_host_s: float):
        held = st["held"]
        if len(t_us) and self._continues(held, t_us, seq0, t_host_s):
            st["held"] = []
            return (np.concatenate([h[0] for h in held] + [values]),
                    np.concatenate([h[1] for h in held] + [t_us]), held[0][2])
        self._drop_held(stream, st)
        return values, t_us, seq0

    def _drop_held(self, stream: str, st: dict) -> None:
        self._count_bad(stream, sum(len(h[0]) for h in st["held"]))
        st["held"] = []

    def _count_bad(self, stream: str, n: int) -> None:
        if stream == "force":
            self.bad_times += int(n)

    def _unwrap(self, st: dict, t_us: np.ndarray) -> np.ndarray:
        wrap = self.clock_wrap_us
        if not wrap or not len(t_us):
            return t_us
        raw, t_us = t_us, t_us + st["wrap_us"]
        prev = st["last_dev_us"]
        if prev is not None and t_us[0] < prev - wrap // 2:
            st["wrap_us"] += wrap
            t_us = t_us + wrap
        elif prev is not None and t_us[0] > prev + wrap // 2 and t_us[0] >= wrap:
            t_us = t_us - wrap      # taken before the last wrap: a notification late, or again
        back = np.diff(t_us) < -(wrap // 2)
        if back.any():
            t_us = t_us + np.concatenate([[0], np.cumsum(back)]) * wrap
        # (a notification from before the last wrap that spans it wraps nothing again)
        st["wrap_us"] = max(st["wrap_us"], int(t_us[-1] - raw[-1]))
        return t_us

    def _period(self, st: dict, t_us: np.ndarray) -> tuple[float, float]:
        """Median sample period of recent device-time steps (µs) and the rate it implies."""
        steps = np.diff(t_us)
        if st["last_dev_us"] is not None and len(t_us) and not st["epoch_new"]:
            steps = np.concatenate([[t_us[0] - st["last_dev_us"]], steps])
        steps = steps[steps > 0]
        st["steps_us"] = (st["steps_us"] + steps.tolist())[-64:]
        if not st["steps_us"]:
            return 0.0, 0.0
        period = float(np.median(st["steps_us"]))
        return 1e6 / period, period

    def _offset(self, t_host_s: float, t_dev_us: int) -> float:
        """Sliding-window minimum of host − device time (monotonic deque, O(1) amortised)."""
        candidate = t_host_s - t_dev_us * 1e-6
        m = self._minima
        while m and m[-1][1] >= candidate:
            m.pop()
        m.append((t_dev_us, candidate))
        while m[0][0] < t_dev_us - self.window_s * 1e6:
            m.popleft()
        return m[0][1]

    @staticmethod
    def _arrival_times(st: dict, n: int, t_host_s: float) -> tuple[np.ndarray, float]:
        """Times for samples that carry none: spaced by the rate measured from arrivals.

        Once the rate is known, the samples' count at that rate is the device's clock, mapped
        onto the host timeline like a device time (the smallest arrival − count time over the
        last ``ARRIVAL_WINDOW_S``): samples BlueZ hands over in a burst keep their spacing,
        earlier than their arrival. Until 0.5 s of arrivals measure the rate (after a
        reconnect: the rate from before, if any), they are spread evenly since the previous
        notification.
        """
        if st["host_first_s"] is None:
            st["host_first_s"], st["host_first_n"] = t_host_s, n
        prev = st["host_prev_s"]
        span = (prev - st["host_first_s"]) if prev is not None else 0.0
        rate_hz = (st["host_count"] - st["host_first_n"]) / span if span > 0.5 else st["host_rate_hz"]
        st["host_rate_hz"] = rate_hz
        st["host_count"] += n
        st["host_prev_s"] = t_host_s
        if rate_hz:
            v0 = st["host_v_s"]
            v = (t_host_s - (n - 1) / rate_hz if v0 is None else v0 + 1.0 / rate_hz) + np.arange(n) / rate_hz
            st["host_v_s"] = float(v[-1])
            # sliding-window minimum of arrival − count time (monotonic deque)
            m, candidate = st["host_minima"], t_host_s - float(v[-1])
            while m and m[-1][1] >= candidate:
                m.pop()
            m.append((float(v[-1]), candidate))
            while m[0][0] < v[-1] - ARRIVAL_WINDOW_S:
                m.popleft()
            return v + m[0][1], rate_hz
        if prev is None:
            return np.full(n, t_host_s), 0.0
        return prev + (t_host_s - prev) * np.arange(1, n + 1, dtype=np.float64) / n, 0.0
