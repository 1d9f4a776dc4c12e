"""What each supported BLE device says and how to talk to it (used by ``firmware_bridge.ble``).

A profile names the GATT service that identifies the device, the characteristic it notifies
on, the one commands are written to, and turns one notification into :class:`Batch` es.
Profiles are pure: no I/O, no clocks (``firmware_bridge.ble_timeline`` then orders the batches
and places them on the host timeline). Three are supported (docs/ble.md):

``gradecoach``  the reference firmware's own service: each notification carries binary frames
                (firmware_bridge/protocol/binary.py) with several samples each, so 1 kHz fits.
``nus``         the Nordic UART Service carrying the ASCII line protocol (``t_ms,force`` or
                ``force`` per line; lines may be split across notifications).
``progressor``  the Tindeq Progressor force gauge (firmware_bridge/protocol/progressor.py).
"""

from __future__ import annotations

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
        self._text = 0                       # text lines (of _bad) before the decoder renewed
        self._first_text: tuple[int, str] | None = None
        self._raw_said = False
        self._raw_seen: tuple[int, tuple[int, str] | None] = (0, None)   # before the decoder renewed
        self.reset()

    def reset(self) -> None:
        decoder = getattr(self, "_decoder", None)
        if decoder is not None:      # the count goes on across the decoder a reconnect renews
            self._bad += decoder.bad_lines
            self._text += decoder.text_lines
            self._first_text = self._first_text or decoder.first_text
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
            bad0, text0 = self._decoder.bad_lines, self._decoder.text_lines
            self._first_rows = self._decoder.feed(first)
            self._first_lines = self._decoder.lines
            if not self._first_rows:       # not a number: a cut line is no bad line either
                self._bad -= self._decoder.bad_lines - bad0
                self._text -= self._decoder.text_lines - text0
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

    @property
    def text_lines(self) -> int:
        """Of ``errors``, the lines of words after the data (a sketch's "battery low"): not
        samples, but no garbled line either (the source does not count them as errors)."""
        return self._text + self._decoder.text_lines

    @property
    def first_text(self) -> tuple[int, str] | None:
        return self._first_text or self._decoder.first_text

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
        return (f"{raw} line{'s' if raw != 1 else ''} of raw ADC readings (line {n}: {text!r}), not forces; "
                f"{CALIBRATE_HINT}")


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
