"""Recorded BLE notification streams: the format, a generator with known truth, a live recorder.

A stream file is JSON lines. The first line is ``{"meta": {...}}`` (profile, how it was made);
every other line is one notification exactly as the host received it::

    {"t_host_s": 0.0473, "char": "7e4e1702-1ea6-40c9-9dcc-13d34ffead57", "hex": "0128..."}

``t_host_s`` is the host arrival time in seconds since the stream began. Replay tests feed the
bytes to :class:`firmware_bridge.ble.BleSource` through a fake bleak client (docs/ble.md).

Regenerate the fixtures (deterministic, seeded)::

    python -m firmware_bridge.ble_record --fixtures fixtures/ble

Record a real device for a new fixture (needs a Bluetooth adapter)::

    python -m firmware_bridge.ble_record --live ble:Progressor_1234 --duration 10 --out p.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from analysis.errors import GradecoachError
from firmware_bridge import ble_profiles as bp
from firmware_bridge.protocol import progressor
from firmware_bridge.scenarios import scenario_signal

# What each fixture is made of. Device clocks start at odd values (the Progressor's just
# before its 32-bit µs counter wraps) so the replay tests exercise unwrapping and offsets.
FIXTURES = {
    "gradecoach_grade3": dict(profile="gradecoach", scenario="grade3", rate_hz=1000.0, duration_s=3.0,
                              per_notification=10, imu=True, device_t0_us=5_000_000, seq0=100, seed=1),
    "nus_timed_grade2": dict(profile="nus", scenario="grade2", rate_hz=200.0, duration_s=4.0,
                             mtu_payload=20, timed=True, device_t0_us=12_345_000, seed=2),
    "nus_untimed_grade1": dict(profile="nus", scenario="grade1", rate_hz=100.0, duration_s=2.0,
                               mtu_payload=20, timed=False, device_t0_us=0, seed=3),
    "progressor_grade4": dict(profile="progressor", scenario="grade4", rate_hz=80.0, duration_s=10.0,
                              per_notification=5, device_t0_us=2 ** 32 - 2_000_000, seed=4),
}

# the longest --live recording (as gradecoach record's --duration: longer is a typo)
MAX_DURATION_S = 86400.0

LATENCY_S = (0.008, 0.045)    # host arrival after the last sample of a notification (seeded)


def truth(meta: dict) -> tuple[np.ndarray, np.ndarray]:
    """Ground truth of a generated stream: device times (µs, unwrapped) and force (N)."""
    rate, n = meta["rate_hz"], int(round(meta["duration_s"] * meta["rate_hz"]))
    ys, seed = [], meta["seed"]
    while sum(map(len, ys)) < n:          # passes of the scenario back to back, like the emulator
        ys.append(scenario_signal(meta["scenario"], rate, seed)[1])
        seed += 1
    t_us = meta["device_t0_us"] + np.round(np.arange(n) * (1e6 / rate)).astype(np.int64)
    return t_us, np.concatenate(ys)[:n]


def imu_truth(n: int, rate_hz: float) -> np.ndarray:
    """A deterministic 6-axis signal for the reference fixture: (n, 6), m/s² and rad/s."""
    k = np.arange(n)[:, None] / rate_hz
    return np.hstack([np.sin(2 * np.pi * 1.3 * k), np.cos(2 * np.pi * 0.7 * k), 9.81 + 0 * k,
                      0.1 * np.sin(2 * np.pi * 2.1 * k), 0 * k, -0.05 + 0 * k])


def _arrivals(t_last_dev_us: np.ndarray, device_t0_us: int, rng: np.random.Generator) -> np.ndarray:
    """Host arrival times: device time since start plus a random radio latency, in order."""
    t = (t_last_dev_us - device_t0_us) * 1e-6 + rng.uniform(*LATENCY_S, len(t_last_dev_us))
    return np.maximum.accumulate(t)


def synthesize(profile: str, scenario: str, rate_hz: float, duration_s: float, seed: int,
               device_t0_us: int, **kw) -> tuple[dict, list[tuple[float, str, bytes]]]:
    """A notification stream as the device would send it: ``(meta, [(t_host_s, char, bytes)])``."""
    meta = dict(profile=profile, scenario=scenario, rate_hz=rate_hz, duration_s=duration_s,
                seed=seed, device_t0_us=device_t0_us, **kw)
    t_us, force = truth(meta)
    rng = np.random.default_rng(seed)
    if profile == "progressor":
        k = kw["per_notification"]
        starts = range(0, len(force), k)
        payloads = [progressor.encode_weights(force[i:i + k] / progressor.STANDARD_GRAVITY_M_S2, t_us[i:i + k])
                    for i in starts]
        last = np.array([t_us[min(i + k, len(force)) - 1] for i in starts])
        char = progressor.DATA_UUID
    elif profile == "gradecoach":
        from firmware_bridge.protocol import binary
        k = kw["per_notification"]
        imu = imu_truth(len(force), rate_hz) if kw.get("imu") else None
        dt_us = int(round(1e6 / rate_hz))
        starts = range(0, len(force), k)
        payloads = [binary.encode_samples(kw["seq0"] + i, int(t_us[i]), dt_us, force[i:i + k],
                                          None if imu is None else imu[i:i + k]) for i in starts]
        last = np.array([t_us[min(i + k, len(force)) - 1] for i in starts])
        char = bp.GRADECOACH_DATA_UUID
    elif profile == "nus":
        lines = [(f"{tu / 1000.0:.3f},{f:.3f}\n" if kw["timed"] else f"{f:.3f}\n").encode()
                 for tu, f in zip(t_us, force)]
        text = b"".join(lines)
        ends = np.cumsum([len(s) for s in lines])        # byte offset where each sample is complete
        m = kw["mtu_payload"]
        payloads = [text[i:i + m] for i in range(0, len(text), m)]
        # a notification leaves the device once its last byte is printed
        done = np.minimum(np.searchsorted(ends, np.arange(m, len(text) + m, m), side="left"), len(t_us) - 1)
        last = t_us[done]
        char = bp.NUS_TX_UUID
    else:
        raise ValueError(f"unknown profile {profile!r}")
    t_host = _arrivals(last, device_t0_us, rng)
    return meta, [(float(round(t, 6)), char, p) for t, p in zip(t_host, payloads)]


def write_stream(path: Path, meta: dict, records) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"meta": meta}, sort_keys=True) + "\n")
        for t, char, data in records:
            f.write(json.dumps({"t_host_s": t, "char": char, "hex": bytes(data).hex()}) + "\n")


def read_stream(path: Path) -> tuple[dict, list[tuple[float, str, bytes]]]:
    """``(meta, [(t_host_s, char, bytes)])`` of a stream file, read as ``gradecoach replay``
    reads it (:func:`firmware_bridge.ble_capture.read_capture`: a broken one is one line)."""
    from firmware_bridge.ble_capture import read_capture
    return read_capture(path)


def make_fixtures(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, spec in FIXTURES.items():
        meta, records = synthesize(**spec)
        path = folder / f"{name}.jsonl"
        write_stream(path, meta, records)
        out.append(path)
    return out


class _CaptureFile:
    """A capture written as it comes: its meta line (known once the device is connected) and each
    notification received, flushed every read (a recording killed loses a fraction of a second,
    and its torn last line is left out on reading). The file is opened at the first notification:
    until then a capture already there (``--overwrite``) is left as it was, so that an attempt that
    fails or ends before the device sent anything does not cut it to its meta line."""

    def __init__(self, out: Path, records: list) -> None:
        self.out, self.records, self.f, self.written = out, records, None, 0
        self.meta: dict | None = None
        self.error: OSError | None = None      # (the file could not be written: nothing more is tried)

    def start(self, meta: dict) -> None:
        if self.meta is None:
            self.meta = meta
        self.write_new()

    def write_new(self) -> None:
        n = len(self.records)                   # (the radio's thread appends meanwhile)
        if self.meta is None or n == self.written or self.error is not None:
            return
        try:
            if self.f is None:
                self.f = open(self.out, "w", encoding="utf-8")
                self.f.write(json.dumps({"meta": self.meta}, sort_keys=True) + "\n")
            for t, char, data in self.records[self.written:n]:
                self.f.write(json.dumps({"t_host_s": t, "char": char, "hex": bytes(data).hex()}) + "\n")
            self.f.flush()
        except OSError as e:                    # (a full disk, a file system gone read-only)
            self.error = e
            self.close()
            return
        self.written = n

    def close(self) -> None:
        self.write_new()
        if self.f is not None:
            f, self.f = self.f, None
            try:
                f.close()
            except OSError as e:                # (the last lines flushed on closing)
                self.error = self.error or e

    def rescue(self) -> str:
        """After :attr:`error`: every notification received written whole to a new file beside
        the system's temporary files, in words for the error line (where, or how many were lost)."""
        import tempfile

        try:
            fd, name = tempfile.mkstemp(prefix=f"{self.out.stem[:40]}-", suffix=".jsonl")
            with open(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps({"meta": self.meta or {}}, sort_keys=True) + "\n")
                for t, char, data in list(self.records):
                    f.write(json.dumps({"t_host_s": t, "char": char, "hex": bytes(data).hex()}) + "\n")
        except OSError as e:
            n = len(self.records)
            return f"the {n} notification{'s' if n != 1 else ''} received are lost (no other file either: {e.strerror or e})"
        n = len(self.records)
        return f"the {n} notification{'s' if n != 1 else ''} received are kept in {name} instead"


def record_live(spec: str, out: Path, duration_s: float) -> int:
    """Record a real device's notifications (needs a Bluetooth adapter) into ``out``, written
    as they come from the first on; returns their count. Ctrl-C ends the recording early and
    keeps it (a device that goes away is waited for, as the trainer waits for it; on any other
    error the notifications received before it are kept all the same). No notification at all
    (an error, Ctrl-C or the time up before the first) is an error, and ``out`` is not touched."""
    import time

    from firmware_bridge.ble import BleSource

    records: list = []
    src = BleSource(spec.removeprefix("ble:"), tap=lambda t, c, d: records.append((round(t, 6), c, d)))
    capture = _CaptureFile(out, records)
    meta = lambda: {"profile": src.info.get("profile"), "recorded_from": src.info.get("name")}   # noqa: E731
    opened = ended = stopped = False
    try:
        src.open()
        opened = True
        capture.start(meta())
        t_end = time.monotonic() + duration_s
        while time.monotonic() < t_end and capture.error is None:
            src.read(0.2)
            capture.write_new()
        ended = True
    except KeyboardInterrupt:                   # Ctrl-C ends the recording early: it is kept
        ended = stopped = opened or bool(records)
    finally:
        src.close()
        if ended or records:                    # (an error after some: they are kept, then it is told)
            capture.start(meta())
        capture.close()
    if capture.error is not None:
        e = capture.error
        raise GradecoachError(f"{out}: cannot be written ({e.strerror or e}); the recording stopped there: "
                              f"{capture.rescue()}")
    if not ended:
        raise GradecoachError(f"{spec}: stopped before the device was connected; nothing recorded")
    if not records:
        raise GradecoachError(f"{spec}: stopped before the first notification; nothing recorded" if stopped else
                              f"{spec}: no notification came in the {duration_s:g} s recorded; nothing recorded")
    return len(records)


def _not_a_capture(path: Path) -> str | None:
    """What the existing file ``path`` is when ``--overwrite`` may not replace it, in a few
    words: a session's file, a recording's expected events, or anything but JSON lines (a force
    CSV, audio); None for a capture (JSON lines) or an empty file."""
    from firmware_bridge import json_text

    name = path.name.lower()
    if name == "session.json" or (path.resolve().parent / "session.json").exists():
        return "a recorded session's file"
    if name.endswith((".expected.jsonl", ".imu-expected.jsonl")):
        return "a recording's expected events"
    try:
        if path.stat().st_size == 0:
            return None
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0]
    if first.startswith(b'{"meta":'):
        return None
    try:
        if isinstance(json_text.loads(first.decode("utf-8")), dict):
            return None
    except (UnicodeDecodeError, ValueError, RecursionError):
        pass
    shown = first[:40].decode("utf-8", "replace").strip()
    return f"not a BLE capture ({shown!r}{'…' if len(first) > 40 else ''})"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m firmware_bridge.ble_record", description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, help="write the generated fixture streams into this folder")
    ap.add_argument("--live", help="record this device spec (ble:NAME_OR_ADDRESS)")
    ap.add_argument("--out", type=Path, help="output file for --live (written as the notifications come)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds to record with --live (default: 10)")
    ap.add_argument("--overwrite", action="store_true",
                    help="let --live replace an existing --out capture (never another kind of file)")
    a = ap.parse_args(argv)
    if not (math.isfinite(a.duration) and 0 < a.duration <= MAX_DURATION_S):
        print(f"gradecoach: error: --duration {a.duration:g}: give a positive number of seconds up to "
              f"{MAX_DURATION_S:g} (a day); Ctrl-C ends a recording early and keeps it", file=sys.stderr)
        raise SystemExit(2)
    if not a.fixtures and not a.live:
        ap.error("nothing to do: give --live ble:DEVICE --out FILE to record a device, or --fixtures FOLDER")
    if a.fixtures:
        for p in make_fixtures(a.fixtures):
            print(f"{p}: {p.stat().st_size} bytes")
    if a.live:
        if a.out is None:
            ap.error("--live needs --out FILE")
        try:
            there = a.out.exists()
        except OSError as e:                    # (a name too long for the file system)
            print(f"gradecoach: error: {a.out}: cannot be written ({e.strerror or e}); nothing recorded", file=sys.stderr)
            raise SystemExit(2) from None
        if there and not a.overwrite:
            print(f"gradecoach: error: {a.out}: already there (a capture is a recording): choose another "
                  f"file, or give --overwrite to replace it", file=sys.stderr)
            raise SystemExit(2)
        if a.out.is_dir():
            print(f"gradecoach: error: {a.out}: a folder is there; give a file name", file=sys.stderr)
            raise SystemExit(2)
        if there and (what := _not_a_capture(a.out)):
            print(f"gradecoach: error: {a.out}: {what}; --overwrite replaces a capture only: choose "
                  f"another file, this one is kept as it is", file=sys.stderr)
            raise SystemExit(2)
        try:                                    # (its folder made first: not found after the recording)
            a.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            print(f"gradecoach: error: {a.out}: its folder cannot be made ({e.strerror or e})", file=sys.stderr)
            raise SystemExit(2) from None
        if why := _unwritable(a.out):
            print(f"gradecoach: error: {a.out}: cannot be written ({why}); nothing recorded", file=sys.stderr)
            raise SystemExit(2)
        was = _stamp(a.out)
        try:
            n = record_live(a.live, a.out, a.duration)
            print(f"{a.out}: {n} notification{'s' if n != 1 else ''}")
        except GradecoachError as e:
            kept = f" ({a.out} kept as it was)" if was is not None and _stamp(a.out) == was else ""
            print(f"gradecoach: {e}{kept}", file=sys.stderr)
            raise SystemExit(2) from None


def _unwritable(path: Path) -> str | None:
    """Why the capture ``path`` cannot be written, found before the device is connected, or None.
    A capture there (``--overwrite``) is opened to add to, which leaves it as it is; a new one is
    made and removed again (:class:`_CaptureFile` makes it at the first notification)."""
    import os

    try:
        if path.exists():
            with open(path, "a", encoding="utf-8"):
                pass
        else:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            os.unlink(path)
    except OSError as e:
        return e.strerror or str(e)
    return None


def _stamp(path: Path) -> tuple[int, int] | None:
    """The size and time of change of the file ``path``, None if there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


if __name__ == "__main__":
    main()
