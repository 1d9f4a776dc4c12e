"""Writing a session folder as data arrives (:class:`SessionWriter`): force, IMU, sound and events,
flushed so that a crash loses at most the last flush interval; session.json rewritten under the
folder's lock, with the rates measured from the samples written.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import time
from pathlib import Path

import numpy as np

from firmware_bridge.csv_stream import FORCE_COLUMNS, IMU_COLUMNS
from firmware_bridge.session_meta import SessionMeta
from firmware_bridge.shared_write import claim, folder_lock, replace_text

# the audio's measured rate (samples per second of timeline) is written when it spans this much:
# shorter, a sample's placing on the timeline weighs more than the sound card's clock
AUDIO_RATE_SPAN_S = 10.0


class _Intervals:
    """A stream's sample intervals as its file keeps them (µs), counted by length: the rate a
    reader measures (``StreamData.rate_hz``, one over the median interval) without keeping
    each one (a device's intervals take a few lengths, its clock's jitter and gaps a few more)."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self._last_us: int | None = None

    def add(self, t_s: np.ndarray) -> None:
        us = np.round(np.asarray(t_s, dtype=np.float64) * 1e6).astype(np.int64)
        if self._last_us is not None:
            us = np.concatenate([[self._last_us], us])
        self._last_us = int(us[-1])
        lengths, n = np.unique(np.diff(us), return_counts=True)
        for d, k in zip(lengths.tolist(), n.tolist()):
            self.counts[d] = self.counts.get(d, 0) + k

    @property
    def rate_hz(self) -> float:
        """Samples per second (one over the median interval); 0 with fewer than two samples."""
        total = sum(self.counts.values())
        if not total:
            return 0.0
        lengths = sorted(self.counts)
        upto = np.cumsum([self.counts[d] for d in lengths])
        lo, hi = (lengths[int(np.searchsorted(upto, k, side="right"))] for k in ((total - 1) // 2, total // 2))
        median_us = (lo + hi) / 2
        return 1e6 / median_us if median_us > 0 else 0.0


def _writes(method):
    """A write of a :class:`SessionWriter`: its ``OSError`` (a full disk) is kept as the
    writer's ``broken`` (the first one: what the recording ended with), and raised."""
    @functools.wraps(method)
    def write(self, *args, **kw):
        try:
            return method(self, *args, **kw)
        except OSError as e:
            if self.broken is None:
                self.broken = e
            raise
    return write


class SessionWriter:
    """Writes a session folder as data arrives; ``flush_s`` bounds what a crash can lose.

    ``session.json`` is written at once (``complete: false``) and rewritten on close, with
    each stream's rate as measured from the samples written (force's as given, if given).
    ``force`` False: no force is known to come (a worn IMU alone), and ``force.csv`` is made
    only with the first force samples, as ``imu.csv`` is without ``imu``. ``new``: the folder
    is claimed, its ``session.json`` made only where none is (``FileExistsError`` otherwise,
    nothing there touched), so of two writers given one folder at once one gets it. A write
    that fails (a full disk) raises its ``OSError`` and keeps it as ``broken``.
    """

    def __init__(self, folder: str | os.PathLike, meta: SessionMeta, flush_s: float = 0.5,
                 imu: bool = False, force: bool = True, new: bool = False) -> None:
        self.path = Path(folder)
        self.broken: OSError | None = None
        self._written = False               # session.json is this writer's (others' additions kept)
        self._force = self._imu = self._events = self._audio = None
        self.path.mkdir(parents=True, exist_ok=True)
        self.meta = meta
        if not meta.created:
            meta.created = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        if force:
            meta.streams.setdefault("force", {"file": "force.csv", "rate_hz": 0.0})
        if imu:
            meta.streams.setdefault("imu", {"file": "imu.csv", "rate_hz": 0.0})
        if new:                             # before any other file is made: the folder is ours
            claim(self.path / "session.json", self._meta_text())
            self._written = True
        else:
            self.write_meta()
        if force:
            self._open_force()
        if imu:
            self._open_imu()
        self._events = open(self.path / "events.jsonl", "w", encoding="utf-8", newline="\n")
        self.flush_s = flush_s
        self._last_flush = time.monotonic()
        self.n_force = 0
        self._intervals = {"force": _Intervals(), "imu": _Intervals()}
        self._audio_t = (0.0, 0.0)          # timeline times of the audio's first and last sample

    def _meta_text(self) -> str:
        return json.dumps(self.meta.to_dict(), indent=2) + "\n"

    @_writes
    def write_meta(self) -> None:
        """``session.json`` rewritten from ``meta``, under the folder's lock (see
        :mod:`firmware_bridge.shared_write`), keeping what others saved into it since this
        writer last did: the comments a review station added while it records (the file's
        list is the one kept) and fields this writer does not know."""
        path = self.path / "session.json"
        with folder_lock(self.path):
            d = self.meta.to_dict()
            disk = _json_object(path) if self._written else None
            if disk is not None:
                if isinstance(disk.get("comments"), list):
                    self.meta.comments = d["comments"] = disk["comments"]
                d.update((k, v) for k, v in disk.items() if k not in d)
            replace_text(path, json.dumps(d, indent=2) + "\n")
            self._written = True

    def _open_force(self) -> None:
        self.meta.streams.setdefault("force", {"file": "force.csv", "rate_hz": 0.0})
        self._force = open(self.path / "force.csv", "w", encoding="utf-8", newline="\n")
        self._force.write(",".join(FORCE_COLUMNS) + "\n")

    @_writes
    def append_force(self, t_s: np.ndarray, force_n: np.ndarray) -> None:
        if len(t_s):
            if self._force is None:
                self._open_force()
                self.write_meta()
            np.savetxt(self._force, np.column_stack([t_s, force_n]), fmt=("%.6f", "%.4f"), delimiter=",")
            self.n_force += len(t_s)
            self._intervals["force"].add(t_s)
        self._maybe_flush()

    def _open_imu(self) -> None:
        self.meta.streams.setdefault("imu", {"file": "imu.csv", "rate_hz": 0.0})
        self._imu = open(self.path / "imu.csv", "w", encoding="utf-8", newline="\n")
        self._imu.write(",".join(IMU_COLUMNS) + "\n")

    @_writes
    def append_imu(self, t_s: np.ndarray, values: np.ndarray) -> None:
        """IMU samples to ``imu.csv``, which their first opens when the writer was not told of an
        IMU (a device may say it has one only with its first samples)."""
        if len(t_s):
            if self._imu is None:
                self._open_imu()
                self.write_meta()
            np.savetxt(self._imu, np.column_stack([t_s, values]), fmt="%.6f", delimiter=",")
            self._intervals["imu"].add(t_s)
        self._maybe_flush()

    @_writes
    def append_audio(self, t_s: np.ndarray, values: np.ndarray, rate_hz: float) -> None:
        """Sound to ``audio.flac`` (flushed once a second; ``values`` (n,) or (n, channels) in
        [-1, 1], ``rate_hz`` the file's samples per second), placed on the timeline at the time
        of its first sample (``t0_s``, written at once); ``rate_measured_hz``, its samples per
        second of timeline, is added on close."""
        if not len(t_s):
            return
        if self._audio is None:
            from firmware_bridge.audio import FlacWriter
            rate = int(round(rate_hz)) or 48000
            ch = 1 if np.ndim(values) == 1 else int(np.shape(values)[1])
            self._audio = FlacWriter(self.path / "audio.flac", rate, ch)
            self._audio_t = (float(t_s[0]), float(t_s[0]))
            self.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": rate, "channels": ch,
                                          "t0_s": round(float(t_s[0]), 6)}
            self.write_meta()
        try:
            self._audio.write(values)
        except RuntimeError as e:                  # (libsndfile's LibsndfileError)
            raise _sound_not_written(self._audio.path, e) from None
        self._audio_t = (self._audio_t[0], float(t_s[-1]))

    def _close_audio(self) -> None:
        a, self._audio = self._audio, None
        if a is None:
            return
        try:
            a.close()
        except RuntimeError as e:
            raise _sound_not_written(a.path, e) from None
        span = self._audio_t[1] - self._audio_t[0]
        if a.frames > 1 and span >= AUDIO_RATE_SPAN_S:
            self.meta.streams["audio"]["rate_measured_hz"] = round((a.frames - 1) / span, 4)

    @_writes
    def append_events(self, events) -> None:
        for ev in events:
            d = ev.to_dict() if hasattr(ev, "to_dict") else ev
            self._events.write(json.dumps(d) + "\n")
        self._maybe_flush()

    @_writes
    def mark_gap(self, t_start: float, t_end: float, reason: str) -> None:
        self.meta.gaps.append({"t_start": t_start, "t_end": t_end, "reason": reason})
        self.write_meta()

    def _maybe_flush(self) -> None:
        now = time.monotonic()
        if now - self._last_flush >= self.flush_s:
            self.flush()
            self._last_flush = now

    @_writes
    def flush(self) -> None:
        for f in (self._force, self._imu, self._events):
            if f is not None:
                f.flush()
                os.fsync(f.fileno())

    @_writes
    def close(self, rate_hz: float | None = None) -> None:
        """Finish the folder. ``rate_hz``: the force's rate as the device gives it; without it,
        and for the IMU, the rate measured from the samples written."""
        for name, iv in self._intervals.items():
            if name in self.meta.streams and iv.counts:
                self.meta.streams[name]["rate_hz"] = round(iv.rate_hz, 4)
        if rate_hz and "force" in self.meta.streams:
            self.meta.streams["force"]["rate_hz"] = rate_hz
        self._close_audio()
        self.flush()
        for f in (self._force, self._imu, self._events):
            if f is not None:
                f.close()
        self.meta.complete = True
        self.write_meta()

    def sound_refused(self, path: str | os.PathLike, e: Exception) -> OSError:
        """A write of sound into this folder (a microphone's ``audio.flac``) that libsndfile
        refused, as the ``OSError`` it stands for, kept as ``broken``."""
        err = _sound_not_written(Path(path), e)
        if self.broken is None:
            self.broken = err
        return err

    def abandon(self) -> None:
        """Stop writing after a failure (``broken``): the files closed as the disk holds them
        (what could not be written is dropped: the failure is told already), ``session.json``
        left as last written (``complete`` false)."""
        files, self._force, self._imu, self._events = (self._force, self._imu, self._events), None, None, None
        audio, self._audio = self._audio, None
        for f in (*files, audio):
            if f is not None:
                try:
                    f.close()
                except (OSError, RuntimeError):     # (libsndfile's errors are RuntimeErrors)
                    pass

    def kept_s(self) -> float:
        """How much of the recording its files hold, in s: the sensor's stream (force, or a worn
        IMU's) from its first sample to its last whole line, as a reader reads it back."""
        for name in ("force.csv", "imu.csv"):
            span = _span_on_disk(self.path / name)
            if span is not None:
                return span
        return 0.0


FULL_DISK_BYTES = 1 << 20     # less room than this left where audio.flac failed: the disk is full


def _sound_not_written(path: Path, e: Exception) -> OSError:
    """The ``OSError`` of a write of ``audio.flac`` that libsndfile refused: it says only "System
    error." where the disk is full, which the room left on it tells."""
    try:
        st = os.statvfs(path.parent)
        full = st.f_bavail * st.f_frsize < FULL_DISK_BYTES
    except (OSError, AttributeError):              # (no statvfs on Windows)
        full = False
    if full:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return OSError(errno.EIO, f"cannot write audio: {str(e).splitlines()[0]}", str(path))


def _span_on_disk(path: Path) -> float | None:
    """The time from the first row to the last whole row of a CSV stream this writer wrote
    (without reading it all: an hour of force is tens of MB); None if it holds no row."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
        rows = head.split(b"\n")
        end = tail.rfind(b"\n")
        last = tail[tail.rfind(b"\n", 0, end) + 1:end]
        if len(rows) < 3 or end < 0:
            return None
        return float(last.split(b",")[0]) - float(rows[1].split(b",")[0])
    except (OSError, ValueError):
        return None


def _json_object(path: Path) -> dict | None:
    """``path``'s JSON object, or None where there is none to read."""
    try:
        d = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return d if isinstance(d, dict) else None
