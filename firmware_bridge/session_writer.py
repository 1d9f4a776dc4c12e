"""Writing a session folder as data arrives (:class:`SessionWriter`): force, IMU, sound and events,
flushed so that a crash loses at most the last flush interval; session.json rewritten under the
folder's lock, with the rates measured from the samples written.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import time
from pathlib import Path

import numpy as np

from firmware_bridge import json_text
from firmware_bridge.csv_stream import FORCE_COLUMNS, IMU_COLUMNS
from firmware_bridge.session_meta import SessionMeta, finite_number
from firmware_bridge.shared_write import claim, folder_lock, replace_text

_MAX_SAMPLE = 1e12      # a sound sample beyond it is read as silence (analysis.cavitation.MAX_SAMPLE)

# audio.flac holds samples within ±1 (24-bit); a played float file's may lie beyond (a DC offset of 3,
# an export not normalised), which the FLAC encoder would clip to a constant rail
FULL_SCALE = 1.0
LEVEL_CHANGES_KEPT = 20       # the changes of offset or gain session.json lists (the others counted)


class _Fit:
    """Sound beyond full scale brought within it, as little as needed, for audio.flac: an offset
    whose samples' centre (per channel: midway between a chunk's lowest and highest) lies beyond
    full scale is taken off; sound still beyond it is scaled down, all channels alike, to the
    chunk's peak. Both stay as set (a later change is a step in the file) and change only when a
    chunk does not fit; sound within full scale is written as it came. Each change is listed
    (``changes``: ``t_s`` of the chunk, ``offset`` per channel, ``gain``)."""

    def __init__(self, channels: int) -> None:
        self.offset = np.zeros(channels)
        self.gain = 1.0
        self.changes: list[dict] = []
        self.count = 0

    def __call__(self, t0_s: float, v: np.ndarray) -> np.ndarray:
        if not self.count and -FULL_SCALE <= v.min() and v.max() <= FULL_SCALE:
            return v                    # (a microphone's every chunk: nothing to fit, nothing copied)
        v2 = v.reshape(len(v), -1).astype(np.float64)
        y = (v2 - self.offset) * self.gain
        if np.all(np.abs(y) <= FULL_SCALE):
            return v if not self.count else y.reshape(v.shape).astype(v.dtype)
        lo, hi = v2.min(axis=0), v2.max(axis=0)
        centre = (lo + hi) / 2
        off = np.where(np.abs((centre - self.offset) * self.gain) > FULL_SCALE, centre, self.offset)
        peak = float(np.max(np.abs(v2 - off)))
        self.offset, self.gain = off, min(self.gain, FULL_SCALE / peak) if peak > 0 else self.gain
        self.count += 1
        if len(self.changes) < LEVEL_CHANGES_KEPT:
            self.changes.append({"t_s": round(float(t0_s), 6), "offset": [round(float(o), 6) for o in off],
                                 "gain": round(self.gain, 6)})
        y = np.clip((v2 - self.offset) * self.gain, -FULL_SCALE, FULL_SCALE)   # (the rounding of the gain)
        return y.reshape(v.shape).astype(v.dtype)

    def note(self) -> str:
        """What was done, in words: "an offset of 3 taken off" / "scaled by 0.5", since when."""
        off = sorted({f"{o:.3g}" for o in self.offset if o})
        what = [f"an offset of {' and '.join(off)} taken off"] if off else []
        what += [f"scaled by {self.gain:.3g}"] if self.gain < 1 else []
        t = self.changes[0]["t_s"]
        more = f", changed {self.count - 1} more time{'s' if self.count != 2 else ''}" if self.count > 1 else ""
        return (f"its sound goes beyond full scale (a float file's samples), which audio.flac cannot hold: "
                f"written with {' and '.join(what)} from {t:.2f} s{more} (session.json: streams.audio.fitted)")


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


@contextlib.contextmanager
def _writing(path: Path):
    """An ``OSError`` raised within names ``path`` when it names no file (a buffered file's
    write or ``fsync`` refused on a full disk names none)."""
    try:
        yield
    except OSError as e:
        if e.filename is None:
            e.filename = str(path)
        raise


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
        self._fit: _Fit | None = None       # the sound's offset and gain, to fit audio.flac
        self._sound_range = None            # (lowest, highest) of each channel of all the sound to come

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
            replace_text(path, self._merged_text(path))
            self._written = True

    def _merged_text(self, path: Path) -> str:
        """``meta`` as session.json's text, with what others saved into the file since (under
        the folder's lock)."""
        d = self.meta.to_dict()
        disk = _json_object(path) if self._written else None
        if disk is not None:
            if isinstance(disk.get("comments"), list):
                self.meta.comments = d["comments"] = disk["comments"]
            d.update((k, v) for k, v in disk.items() if k not in d)
        return json.dumps(d, indent=2) + "\n"

    def _write_meta_in_place(self) -> None:
        """``session.json`` rewritten over its own bytes, for when no file can be made beside it
        (a full disk, a folder that refuses new files): only where the text fits in the room the
        file already takes on the disk, in one write; ``OSError`` otherwise, the file as it was.
        (A reader reading it at that moment may see it half rewritten.)"""
        path = self.path / "session.json"
        with folder_lock(self.path):
            text = self._merged_text(path).encode("utf-8")
            fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                st = os.fstat(fd)
                room = st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size
                if len(text) > room:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
                old = os.read(fd, st.st_size)
                try:
                    os.lseek(fd, 0, os.SEEK_SET)
                    if os.write(fd, text) != len(text):
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
                except OSError:
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, old)               # (the room was the old text's: it fits again)
                    os.ftruncate(fd, len(old))
                    raise
                os.ftruncate(fd, len(text))
                os.fsync(fd)
            finally:
                os.close(fd)

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
            with _writing(self.path / "force.csv"):
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
            with _writing(self.path / "imu.csv"):
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
            self._fit = _Fit(ch)
            if self._sound_range is not None:       # (the whole sound's: one change, from the start)
                self._fit(float(t_s[0]), np.vstack(self._sound_range).reshape(2, ch))
            self._audio_t = (float(t_s[0]), float(t_s[0]))
            self.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": rate, "channels": ch,
                                          "t0_s": round(float(t_s[0]), 6)}
            self.write_meta()
        values = np.asarray(values)
        if not (values.max() < _MAX_SAMPLE and values.min() > -_MAX_SAMPLE):
            # samples not numbers (a played float file's NaN) or beyond any full scale: silence,
            # as the analysis reads them (libsndfile refuses to write a NaN to FLAC)
            values = np.where(np.abs(values) < _MAX_SAMPLE, values, np.zeros((), values.dtype))
        values = self._fit(float(t_s[0]), values)
        entry = self.meta.streams["audio"]
        if self._fit.count != entry.get("fitted", {}).get("count", 0):     # (said where the file is described, at once)
            self.meta.streams["audio"]["fitted"] = {"changes": self._fit.changes, "count": self._fit.count}
            self.write_meta()
        try:
            self._audio.write(values)
        except RuntimeError as e:                  # (libsndfile's LibsndfileError)
            raise _sound_not_written(self._audio.path, e) from None
        self._audio_t = (self._audio_t[0], float(t_s[-1]))

    def sound_will_span(self, lo: np.ndarray, hi: np.ndarray) -> None:
        """The lowest and highest sample of each channel of all the sound to come (a played
        file's, read beforehand): sound beyond full scale is then fitted to audio.flac once, from
        its first sample, rather than as each chunk first goes beyond it — each later change is a
        step in the file, and a drop in level hides the pops after it from the detector until its
        noise floor follows (2 s)."""
        if self._audio is None:
            self._sound_range = (np.asarray(lo, np.float64), np.asarray(hi, np.float64))

    @property
    def sound_fitted(self) -> str | None:
        """What was done to sound beyond full scale to write it to audio.flac (one line, after the
        source's name), or None when it was written as it came."""
        return self._fit.note() if self._fit is not None and self._fit.count else None

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
        with _writing(self.path / "events.jsonl"):
            for ev in events:
                d = ev.to_dict() if hasattr(ev, "to_dict") else ev
                self._events.write(json.dumps(d) + "\n")
        self._maybe_flush()

    @_writes
    def mark_gap(self, t_start: float, t_end: float, reason: str, stream: str = "force") -> None:
        """A gap in session.json's ``gaps``; one of a stream other than the force (a played IMU's
        clock step) names it, as replay reads it."""
        gap = {"t_start": t_start, "t_end": t_end, "reason": reason}
        if stream != "force":
            gap["stream"] = stream
        self.meta.gaps.append(gap)
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
                with _writing(Path(f.name)):
                    f.flush()
                    os.fsync(f.fileno())

    @_writes
    def close(self, rate_hz: float | None = None) -> None:
        """Finish the folder. ``rate_hz``: the force's rate as the device gives it; without it,
        and for the IMU, the rate measured from the samples written."""
        self._measured_rates()
        if rate_hz and "force" in self.meta.streams:
            self.meta.streams["force"]["rate_hz"] = rate_hz
        self._close_audio()
        self.flush()
        for f in (self._force, self._imu, self._events):
            if f is not None:
                f.close()
        self.meta.complete = True
        self.write_meta()

    def _measured_rates(self, unknown_only: bool = False) -> None:
        """Each stream's rate in session.json as measured from the samples written (with
        ``unknown_only``, where it holds none yet: a rate given is kept)."""
        for name, iv in self._intervals.items():
            entry = self.meta.streams.get(name)
            if entry is not None and iv.counts and not (unknown_only and entry.get("rate_hz")):
                entry["rate_hz"] = round(iv.rate_hz, 4)

    def sound_refused(self, path: str | os.PathLike, e: Exception) -> OSError:
        """A write of sound into this folder (a microphone's ``audio.flac``) that libsndfile
        refused, as the ``OSError`` it stands for, kept as ``broken``."""
        err = _sound_not_written(Path(path), e)
        if self.broken is None:
            self.broken = err
        return err

    def abandon(self, e: OSError | None = None) -> None:
        """Stop writing after a failure (``e``, or ``broken``): the files closed as the disk
        holds them (what could not be written is dropped: the failure is told already), and
        ``session.json`` (``complete`` false) says where the recording stopped and why
        (``extra.stopped``: :meth:`stopped_entry`) where it can still be written: beside it as
        always, or, no file to be made there (a full disk), over its own bytes. Where it cannot
        be, it is left as last written."""
        files, self._force, self._imu, self._events = (self._force, self._imu, self._events), None, None, None
        audio, self._audio = self._audio, None
        for f in (*files, audio):
            if f is not None:
                try:
                    f.close()
                except (OSError, RuntimeError):     # (libsndfile's errors are RuntimeErrors)
                    pass
        e = e or self.broken
        if e is None:
            return
        self.meta.complete = False                  # (a close that failed set it)
        self.meta.extra["stopped"] = self.stopped_entry(e)
        self._measured_rates(unknown_only=True)     # (its rate, as a whole recording's: not 0)
        try:
            self.write_meta()
        except OSError:
            try:
                self._write_meta_in_place()
            except OSError:                         # (the failure is told already; the file as it was)
                pass

    def stopped_entry(self, e: OSError) -> dict:
        """session.json's ``extra.stopped`` for a recording that stopped at the write ``e``: the
        time of the last sample its files hold (``t_s``, on their timeline; null when they hold
        none), why in words (``reason``) and the file refused (``file``, when known)."""
        t = self.last_kept_t()
        entry = {"t_s": None if t is None else round(t, 6), "reason": stop_reason(e)}
        if e.filename:
            name = Path(os.fsdecode(e.filename)).name
            beside = re.fullmatch(r"\.(.+)\.\d+-[0-9a-f]+\.tmp", name)   # (write_beside's new file)
            entry["file"] = beside.group(1) if beside else name
        return entry

    def last_kept_t(self) -> float | None:
        """The time of the last sample the folder's files hold as a reader reads them: the
        sensor's stream's (force, or a worn IMU's) last whole line, or for sound alone the end
        of audio.flac up to where it was cut; None when they hold none."""
        for name in ("force.csv", "imu.csv"):
            rows = _rows_on_disk(self.path / name)
            if rows is not None:
                return rows[1]
        entry = self.meta.streams.get("audio") or {}
        if isinstance(entry.get("file"), str):
            n, rate = sound_on_disk(self.path / entry["file"])
            if n:
                t0 = entry.get("t0_s") if finite_number(entry.get("t0_s")) else 0.0
                return t0 + (n - 1) / rate
        return None

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
    refused = _refused(path)
    if refused is not None:
        return OSError(refused, os.strerror(refused), str(path))
    return OSError(errno.EIO, f"cannot write audio: {str(e).splitlines()[0]}", str(path))


def _refused(path: Path) -> int | None:
    """Why ``path`` (or its folder, when it is not there) cannot be written as this process
    writes, as the errno that says so (``EROFS``, ``EACCES``), or None: libsndfile says only
    "System error." there too."""
    target = path if path.exists() else path.parent
    try:
        if os.statvfs(target).f_flag & os.ST_RDONLY:
            return errno.EROFS
    except (OSError, AttributeError):
        pass
    ids = os.access in os.supports_effective_ids     # (as the process writes: its effective ids)
    return None if os.access(target, os.W_OK, effective_ids=ids) else errno.EACCES


def stop_reason(e: OSError) -> str:
    """Why a folder refused a write, in a few words for ``extra.stopped``."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk full"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "no permission to write"
    if e.errno == errno.EROFS:
        return "read-only disk"
    return f"cannot write ({e.strerror or e})"


def sound_on_disk(path: Path) -> tuple[int, float]:
    """The samples a sound file holds up to where it was cut (its writer never closed it), as
    a reader decodes it, and its rate; (0, 0.0) when it holds none."""
    import soundfile as sf

    from firmware_bridge.replay.audio_file import read_until_torn
    try:
        with sf.SoundFile(str(path)) as f:
            return sum(len(b) for b in read_until_torn(f, 10 * f.samplerate)), float(f.samplerate)
    except (OSError, RuntimeError, sf.LibsndfileError):
        return 0, 0.0


def _span_on_disk(path: Path) -> float | None:
    """The time from the first row to the last whole row of a CSV stream this writer wrote
    (without reading it all: an hour of force is tens of MB); None if it holds no row."""
    rows = _rows_on_disk(path)
    return None if rows is None else rows[1] - rows[0]


def _rows_on_disk(path: Path) -> tuple[float, float] | None:
    """The times of the first row and the last whole row of a CSV stream this writer wrote;
    None if it holds no row."""
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
        return float(rows[1].split(b",")[0]), float(last.split(b",")[0])
    except (OSError, ValueError):
        return None


def _json_object(path: Path) -> dict | None:
    """``path``'s JSON object, or None where there is none to read (nor JSON nested deeper than
    Python reads: a file rewritten so is written over, as one that is not JSON is)."""
    try:
        d = json_text.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return None
    return d if isinstance(d, dict) else None
