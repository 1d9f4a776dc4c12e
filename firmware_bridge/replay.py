"""Recorded inputs as sources: a session folder, a bare force CSV (+ optional audio), or audio alone.

``load_input`` reads and validates; ``iter_chunks`` yields :class:`analysis.Chunk` objects of
all streams interleaved in time order, which is exactly what a live source delivers, so replay
and live use go through the same processors.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from analysis.chunk import Chunk
from analysis.errors import InputError
from analysis.events import GapEvent
from firmware_bridge.session import (
    AUDIO_SUFFIXES,
    CONVERT_SUFFIXES,
    SessionMeta,
    FORCE_COLUMNS,
    IMU_COLUMNS,
    KNOWN_FORCE_UNITS,
    audio_to_convert,
    convert_hint,
    file_head,
    found_again,
    is_audio,
    header_columns,
    header_text,
    StreamData,
    TIME_COLUMNS,
    open_session,
    read_csv_stream,
    read_force_csv,
    read_imu_csv,
)
from firmware_bridge.session_scheme import stored_min_amplitude


@dataclass
class ReplayInput:
    """Everything needed to replay one recording."""

    name: str
    force: StreamData | None = None
    imu: StreamData | None = None
    audio_path: Path | None = None
    audio_t0_s: float = 0.0                      # timeline time of the audio file's first sample
    audio_rate_hz: float | None = None           # its samples per second of timeline (measured), if known
    analyse_audio: bool = True                   # False: drawn and played, but too coarse for pops
    meta: SessionMeta | None = None
    warnings: list = field(default_factory=list)
    events: list = field(default_factory=list)   # stored events of a session, if any
    dead_audio: list = field(default_factory=list)   # (t_start, t_end) of audio with no usable sound, once read

    @property
    def skipped_rows(self) -> int:
        return sum(s.skipped_rows for s in (self.force, self.imu) if s is not None)

    def audio_times(self, index, file_rate_hz: float):
        """Timeline times of audio sample indices (``file_rate_hz``: the file's nominal rate)."""
        return self.audio_t0_s + np.asarray(index) / (self.audio_rate_hz or file_rate_hz)

    @property
    def duration_s(self) -> float:
        ends = [float(s.t_s[-1]) for s in (self.force, self.imu) if s is not None and len(s.t_s)]
        if self.audio_path is not None:
            sr, frames, _ = audio_info(self.audio_path, count=True)
            ends.append(float(self.audio_times(frames, sr)))
        return max(ends) if ends else 0.0


# libsndfile's frame count of a FLAC whose header was never finished (the recorder crashed)
UNKNOWN_FRAMES = 2 ** 62
MAX_AUDIO_T0_S = 86400.0      # a microphone starts within a day of the force stream, or t0_s is broken
AUDIO_RATE_TOLERANCE = 0.01   # a measured audio rate further than 1 % from the file's is not believed


def starts_as_audio(head: bytes) -> bool:
    """Whether a file starting with ``head`` begins as audio does (:func:`is_audio` without the
    file), text in UTF-16 aside: its byte order mark, FF FE, is also an MPEG frame's sync."""
    return is_audio(head) and not head.startswith(b"\xff\xfe")


@contextlib.contextmanager
def quiet_decoder(head: bytes):
    """Around libsndfile opening a file starting with ``head`` that no audio format's magic
    bytes begin (:func:`is_audio` without the file): the decoders libsndfile then tries last
    (libmpg123's) print their own lines on stderr ("Giving up searching valid MPEG header")
    about a file that is no audio, so stderr is /dev/null meanwhile; gradecoach says what the
    file is in its own line. A file that starts as audio is opened as is: its decoder's
    messages may be about the recording."""
    if starts_as_audio(head):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def audio_info(path: Path, count: bool = False) -> tuple[int, int, int]:
    """(sample rate, frames, channels) of an audio file, or a one-line InputError. A FLAC whose
    recording was cut by a crash has no length in its header: with ``count`` its frames are
    counted (it is decoded once), else they are :data:`UNKNOWN_FRAMES`."""
    import soundfile as sf
    head = file_head(path)
    try:
        with quiet_decoder(head):
            i = sf.info(str(path))
    except (RuntimeError, sf.LibsndfileError) as e:
        if Path(path).suffix.lower() in CONVERT_SUFFIXES or audio_to_convert(head):
            raise InputError(convert_hint(path)) from None
        if head and not starts_as_audio(head):
            # (libsndfile says "File does not exist or is not a regular file" of a file it finds
            # no decoder for, which exists)
            raise InputError(f"{path}: unreadable audio (its content is not WAV, FLAC, OGG, Opus, MP3 "
                             f"or AIFF)") from None
        raise InputError(f"{path}: unreadable audio ({str(e).splitlines()[0]})") from None
    frames = int(i.frames)
    if frames >= UNKNOWN_FRAMES and count:
        st = path.stat()
        frames = _counted_frames(str(path), st.st_size, st.st_mtime_ns)
    if frames <= 0:
        past = wav_past_data(path)
        raise InputError(f"{path}: audio file is empty" + (
            f" by its header, yet {past[0] // past[1] / i.samplerate:.2f} s of audio follow it (its recorder "
            f"did not finish the header?)" if past else ""))
    return int(i.samplerate), frames, int(i.channels)


@functools.lru_cache(maxsize=32)
def _counted_frames(path: str, size: int, mtime_ns: int) -> int:
    """Frames that decode from the start of ``path`` (the file's size and time key the cache)."""
    import soundfile as sf
    try:
        with sf.SoundFile(path) as f:
            return sum(len(b) for b in read_until_torn(f, 10 * f.samplerate))
    except (RuntimeError, sf.LibsndfileError):
        return 0


def audio_problem(path: Path) -> tuple[str | None, bool]:
    """Why the pops in an audio file cannot be analysed (one line naming the file), or None;
    and whether the file can still be read (to be drawn and played)."""
    from analysis.cavitation import MIN_RATE_HZ
    if not path.exists():
        return f"{path}: no such audio file", False
    try:
        sr, _, _ = audio_info(path)
    except InputError as e:
        return str(e), False
    if sr < MIN_RATE_HZ:
        return f"{path}: audio at {sr} Hz; pops are detected in audio at {MIN_RATE_HZ:g} Hz or more", True
    return None, True


def _keep_audio(inp: ReplayInput, path: Path) -> bool:
    """Whether ``path`` is kept beside the force (or IMU) data of ``inp``. When its pops cannot
    be analysed, that is a warning and the rest is analysed without them; audio that can still
    be read is kept to be drawn and played (``analyse_audio`` False). Audio alone whose pops
    cannot be analysed, or a file that does not exist, is an error."""
    why, readable = audio_problem(path)
    if why is None:
        return True
    if (inp.force is None and inp.imu is None) or not path.exists():   # (a mistyped name is an error)
        raise InputError(why)
    if readable:
        inp.analyse_audio = False
        inp.warnings.append(f"{why}; its pops are not analysed")
        return True
    inp.warnings.append(f"{why}; analysed without the audio")
    return False


def load_input(path: str | os.PathLike, audio: str | os.PathLike | None = None,
               audio_start_s: float | None = None, audio_rate_hz: float | None = None) -> ReplayInput:
    """Open what ``gradecoach replay`` accepts; errors are one-line :class:`InputError`.
    Audio that cannot be analysed beside force or IMU data is left out with a warning.

    ``audio_start_s`` (``--audio-start``) is the timeline time of the audio's first sample (s,
    may be negative: the audio began before the force), ``audio_rate_hz`` (``--audio-rate``) its
    samples per second of the force's clock as measured; both override a session's ``t0_s`` and
    ``rate_measured_hz``. By default ``--audio`` starts at t = 0 at the file's own rate."""
    p = Path(path)
    if p.is_dir():
        s = open_session(p)
        inp = ReplayInput(p.name, s.force, s.imu, meta=s.meta, warnings=list(s.warnings), events=s.events)
        bad = stored_min_amplitude(s.meta)[1]          # (left out of the grading: said here, once)
        if bad:
            inp.warnings.append(f"{p / 'session.json'}: {bad}")
        if s.audio_path is not None and audio is not None:
            inp.audio_path = s.audio_path          # replaced by --audio below, said there; its own not judged
        elif s.audio_path is not None and _keep_audio(inp, s.audio_path):
            inp.audio_path = s.audio_path
            _audio_timeline(inp, s.meta.streams.get("audio") or {})
    elif not p.exists():
        raise InputError(f"{p}: no such file or folder")
    elif p.suffix.lower() in AUDIO_SUFFIXES + CONVERT_SUFFIXES or _holds_audio(p):
        # audio by its name or, whatever its name, by its content (as --audio is read); one
        # libsndfile does not read gets the command that converts it
        inp = ReplayInput(p.stem)
        _keep_audio(inp, p)
        inp.audio_path = p
    elif p.suffix.lower() == ".csv" or p.suffix == "" or _csv_by_header(p):
        with p.open("rb") as fh:
            head = header_text(fh.readline()).lower()
        # an IMU by its header, or by its name (a wrong header is then told with the IMU's columns)
        if ("ax_mps2" in head and "force" not in head) or p.name.lower().endswith(".imu.csv"):
            inp = ReplayInput(p.stem)
            inp.imu = _read_bare_imu(p, head, inp.warnings)
        else:
            inp = ReplayInput(p.stem, force=_read_bare_force(p, head))
        if (p.parent / "session.json").is_file():       # one stream of a recorded session, alone
            inp.warnings.append(f"{p.name} is one file of the recorded session {p.parent}: its calibration, "
                                f"target, other streams and sound are left out; replay the folder for them")
        sib = p.with_name(p.stem + ".imu.csv")
        if inp.force is not None and sib.exists():
            with sib.open("rb") as fh:
                inp.imu = _read_bare_imu(sib, header_text(fh.readline()).lower(), inp.warnings)
        for sd in (inp.force, inp.imu):                # (a session folder's reader says it itself)
            if sd is not None and sd.skipped_rows:
                inp.warnings.append(f"{sd.skipped_rows} bad row{'s' if sd.skipped_rows != 1 else ''} skipped "
                                    f"(first: {sd.problems[0]})")
            if sd is not None:
                inp.warnings.extend(sd.notes)
    else:
        raise InputError(f"{p}: unknown input type; give a session folder, a .csv (or a text file whose first "
                         f"line names its columns, e.g. t_s,force_n), or an audio file "
                         f"({'/'.join(AUDIO_SUFFIXES)})")
    if audio is not None:
        ap = Path(audio)
        if inp.audio_path is not None and inp.meta is None:
            # audio alone: the file given is all there is to replay, so --audio cannot stand in for it
            raise InputError(f"two audio inputs, {p} and --audio {ap}: give one (--audio adds audio to a "
                             f"force CSV, or replaces a session folder's own)")
        if inp.audio_path is not None and inp.meta is not None:
            inp.warnings.append(f"{ap}: analysed instead of the session's own {inp.audio_path.name}, "
                                f"from t = {audio_start_s or 0.0:g} s of the session")
        inp.audio_path, inp.audio_t0_s, inp.audio_rate_hz = None, 0.0, None
        inp.analyse_audio = True
        if _keep_audio(inp, ap):
            inp.audio_path = ap
    _given_timeline(inp, audio_start_s, audio_rate_hz)
    if audio is None and inp.meta is not None and inp.audio_path is not None:
        from firmware_bridge.audio import audio_loss_note
        note = audio_loss_note(inp.meta.streams.get("audio") or {})
        if note:
            inp.warnings.append(f"{inp.audio_path}: {note}")
    _warn_apart(inp, p)
    return inp


def _csv_by_header(p: Path) -> bool:
    """Whether a file named otherwise (.txt, .tsv, .dat) is a CSV replay reads, by its first
    line: a time column and a force or accelerometer column named as a bare CSV names them
    (as ``-o`` knows such a file for a recording, whatever its name)."""
    line = file_head(p).split(b"\n", 1)[0].split(b"\r", 1)[0]
    cols = set(header_columns(header_text(line).strip()))
    return not cols.isdisjoint(TIME_COLUMNS) and (not cols.isdisjoint(FORCE_COLUMN_UNITS) or "ax_mps2" in cols)


def _holds_audio(p: Path) -> bool:
    """Whether a file not named as audio holds audio (a WAV saved as .m4a, or without a suffix):
    its content is audio libsndfile opens, or a phone's or camera's recording to convert first.
    Only its start being audio's (a broken WAV header) leaves it to be read as its name says."""
    head = file_head(p)
    with quiet_decoder(head):
        if not is_audio(head, p):
            return False
    if audio_to_convert(head):
        return True
    import soundfile as sf
    try:
        with quiet_decoder(head):
            sf.info(str(p))
    except (RuntimeError, sf.LibsndfileError):
        return False
    return True


def _warn_apart(inp: ReplayInput, p: Path) -> None:
    """One warning when the audio and the force (or IMU) data do not overlap at all: no pop can
    be tied to a thrust then, and every thrust's pops are unknown."""
    motion = inp.force if inp.force is not None and len(inp.force.t_s) else inp.imu
    if inp.audio_path is None or motion is None or not len(motion.t_s):
        return
    if p.is_dir():
        key = "force" if motion is inp.force else "imu"
        mp = p / ((inp.meta.streams.get(key) or {}).get("file") or f"{key}.csv")
    else:
        mp = p
    sr, frames, _ = audio_info(inp.audio_path, count=True)
    a0, a1 = inp.audio_t0_s, float(inp.audio_times(frames, sr))
    m0, m1 = float(motion.t_s[0]), float(motion.t_s[-1])
    if a1 < m0 or a0 > m1:
        what = "force" if motion is inp.force else "IMU data"
        inp.warnings.append(f"{inp.audio_path}: its audio, at {a0:.1f}–{a1:.1f} s, does not overlap the {what} "
                            f"of {mp}, at {m0:.1f}–{m1:.1f} s: no pop can be tied to a thrust (their pops are "
                            f"unknown)")


# a bare CSV names its units in its header, as gradecoach does (t_s, force_n); a logger's
# millisecond clock (TIME_COLUMNS) or a scale's kilograms-force are converted on reading
FORCE_COLUMN_UNITS = {"force_n": "N", "force_kgf": "kgf", "force_kg": "kg", "force_lbf": "lbf"}


def _read_bare_imu(p: Path, head: str, warnings: list) -> StreamData:
    """An IMU from a bare CSV; one with an accelerometer and no gyroscope columns (many loggers
    and phones record acceleration alone) is read as if the sensor never turned, and said."""
    if "gx_rads" in head or "ax_mps2" not in head:
        return read_imu_csv(p)
    d = read_imu_csv(p, IMU_COLUMNS[:4])
    d.values = np.column_stack([d.values, np.zeros((len(d.t_s), 3))])
    warnings.append(f"{p}: no gyroscope columns ({','.join(IMU_COLUMNS[4:])}): the vertical is followed "
                    f"from the accelerometer alone, as if the sensor never turned")
    return d


def _read_bare_force(p: Path, head: str) -> StreamData:
    """Force from a bare CSV whose header gives time in s, ms or µs (``t_s``, ``t_ms``,
    ``t_us``) and force in N, kgf, kg or lbf (``force_n``, ``force_kgf`` …), in s and N."""
    cols = header_columns(head)
    t_col = next((c for c in TIME_COLUMNS if c in cols), "t_s")
    f_col = next((c for c in FORCE_COLUMN_UNITS if c in cols), "force_n")
    if (t_col, f_col) == FORCE_COLUMNS:
        return read_force_csv(p)
    d = read_csv_stream(p, (t_col, f_col))
    d.t_s = d.t_s * TIME_COLUMNS[t_col]
    d.values = d.values * KNOWN_FORCE_UNITS[FORCE_COLUMN_UNITS[f_col]]
    return d


def _audio_timeline(inp: ReplayInput, entry: dict) -> None:
    """Place a session's audio on the force timeline: its first sample at ``t0_s`` and its
    measured rate (the sound card's clock against the host's), as the recorder wrote them."""
    sr = audio_info(inp.audio_path)[0]
    said = _nominal_rate_note(inp, entry, sr)
    try:
        inp.audio_t0_s = float(entry.get("t0_s") or 0.0)
        rate = float(entry.get("rate_measured_hz") or 0.0)
        if not (np.isfinite(inp.audio_t0_s) and abs(inp.audio_t0_s) <= MAX_AUDIO_T0_S and np.isfinite(rate)):
            raise ValueError
    except (TypeError, ValueError):
        inp.warnings.append("session.json: audio t0_s/rate_measured_hz unreadable; audio placed at t = 0")
        inp.audio_t0_s, rate = 0.0, 0.0
    if rate and abs(rate / sr - 1.0) <= AUDIO_RATE_TOLERANCE:
        inp.audio_rate_hz = rate
    elif rate and not said:
        inp.warnings.append(f"session.json: audio rate_measured_hz {rate:g} is not within 1 % of the "
                            f"file's {sr} Hz; the nominal rate is used")


def _nominal_rate_note(inp: ReplayInput, entry: dict, sr: int) -> bool:
    """Warn, once, when session.json's audio ``rate_hz`` is not the rate of the file itself (the
    file's is used, as its samples were written at it); whether it did."""
    given = entry.get("rate_hz")
    if not isinstance(given, (int, float)) or isinstance(given, bool) or not np.isfinite(given) \
            or abs(given - sr) < 0.5:
        return False
    inp.warnings.append(f"session.json: audio rate_hz {given:g}, but {inp.audio_path.name} is at {sr} Hz; the "
                        f"file's {sr} Hz is used")
    return True


def _given_timeline(inp: ReplayInput, start_s: float | None, rate_hz: float | None) -> None:
    """Place the audio where ``--audio-start`` and ``--audio-rate`` say, or a one-line
    :class:`InputError` naming the option."""
    if start_s is None and rate_hz is None:
        return
    opt = "--audio-start" if start_s is not None else "--audio-rate"
    if inp.audio_path is None:
        raise InputError(f"{opt}: there is no audio to place (give --audio FILE, or a session with its own)")
    if start_s is not None:
        if not (np.isfinite(start_s) and abs(start_s) <= MAX_AUDIO_T0_S):
            raise InputError(f"--audio-start {start_s:g}: give the force's time of the audio's first sample, "
                             f"in s (within a day: -{MAX_AUDIO_T0_S:g} to {MAX_AUDIO_T0_S:g})")
        inp.audio_t0_s = float(start_s)
    if rate_hz is not None:
        sr = audio_info(inp.audio_path)[0]
        if not (np.isfinite(rate_hz) and abs(rate_hz / sr - 1.0) <= AUDIO_RATE_TOLERANCE):
            raise InputError(f"--audio-rate {rate_hz:g}: give the audio's rate as measured against the force's "
                             f"clock, within {100 * AUDIO_RATE_TOLERANCE:g} % of the {sr} Hz of {inp.audio_path}")
        inp.audio_rate_hz = float(rate_hz)


def _stream_chunks(sd: StreamData, stream: str, chunk_s: float) -> Iterator[Chunk]:
    t = sd.t_s
    if not len(t):
        return
    # a chunk per chunk_s of the timeline that holds samples (a gap of years makes no empty ones)
    k = np.floor((t - t[0]) / chunk_s)
    edges = np.concatenate([[0], np.flatnonzero(np.diff(k)) + 1, [len(t)]])
    rate = sd.rate_hz
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            yield Chunk(t[a:b], sd.values[a:b], int(a), stream, rate)


def read_until_torn(f, block: int, small: int | None = None, errors: list[str] | None = None,
                    frames: int | None = None) -> Iterator[np.ndarray]:
    """Blocks of ``block`` frames (float32, 2-D) from the open ``soundfile.SoundFile`` ``f``, to
    its end or for ``frames`` frames. A file torn part way (a crash while recording) fails to
    decode a block: that block is read again in steps of ``small`` frames (default 50 ms), up to
    the tear, and the decoder's message is appended to ``errors``. A failed read leaves
    libsndfile's handle unusable, so the steps read from a fresh handle of the same file."""
    import soundfile as sf
    small = small or max(1, int(round(0.05 * f.samplerate)))
    n, step = f.tell(), block
    end = None if frames is None else n + frames
    g, fresh = f, None
    try:
        while end is None or n < end:
            try:
                blk = g.read(step if end is None else min(step, end - n), dtype="float32", always_2d=True)
            except (RuntimeError, sf.LibsndfileError) as e:
                if step > small:
                    try:
                        g = fresh = sf.SoundFile(f.name)
                        g.seek(n)
                        step = small
                        continue
                    except (RuntimeError, sf.LibsndfileError, TypeError, OSError):
                        pass
                if errors is not None:
                    errors.append(str(e).splitlines()[0])
                return
            if not len(blk):
                return
            yield blk
            n += len(blk)
    finally:
        if fresh is not None:
            fresh.close()


def read_span(f, start: int, frames: int | None = None) -> np.ndarray:
    """``frames`` frames (or all) from frame ``start`` of the open ``soundfile.SoundFile`` ``f``,
    float32 (n, channels), up to the tear of a torn file; none when ``start`` lies past it."""
    import soundfile as sf
    try:
        f.seek(start)
    except (RuntimeError, sf.LibsndfileError):
        return np.zeros((0, f.channels), np.float32)
    parts = list(read_until_torn(f, frames or 10 * f.samplerate, frames=frames))
    return np.concatenate(parts) if parts else np.zeros((0, f.channels), np.float32)


# audio with no usable sound: a muted or dead microphone, a cable that carries a constant level, an
# input driven to full scale throughout. Judged in frames of DEAD_FRAME_S; a stretch of such frames
# DEAD_MIN_S long or more (or the whole file) hears no pop, so the thrusts in it have unknown pops
DEAD_FRAME_S = 0.1
DEAD_MIN_S = 1.0
CLIP_LEVEL = 0.999            # |sample| at full scale (16-bit full scale reads 32767/32768 = 0.99997)
CLIPPED_SHARE = 0.5           # a frame with half its samples at full scale or more is clipped
FLOOR_FROM_S = 0.010          # the detector's noise floor stands from a recording's 10 ms on (docs/audio.md)
POP_MAX_S = 0.008             # a pop lasts 3-8 ms (docs/audio.md; 5.7 ms on average, shared/domain.md)
MIN_AUDIO_S = FLOOR_FROM_S + POP_MAX_S     # audio shorter than this can hold no pop the detector finds
DEAD_KINDS = {1: "silent (every sample 0)", 2: "constant (one level, no sound)", 3: "clipped (at full scale)"}


def dead_frames(blk: np.ndarray, frame: int) -> np.ndarray:
    """Per frame of ``frame`` samples of ``blk`` (n, channels), the last one possibly shorter:
    0 when it may hold sound, else the :data:`DEAD_KINDS` key of why it holds none, in every
    channel (one live channel is enough to hear a pop)."""
    n = len(blk)
    starts = np.arange(0, n, frame)
    out = np.zeros(len(starts), np.int8)
    for i0, part in ((0, blk[:n - n % frame]), (n - n % frame, blk[n - n % frame:])):
        if not len(part):
            continue
        x = part.reshape(-1, min(frame, len(part)), part.shape[1])
        flat = np.ptp(x, axis=1) == 0                                          # (frames, channels)
        railed = np.mean(np.abs(x) >= CLIP_LEVEL, axis=1) >= CLIPPED_SHARE
        silent, constant = np.all(x == 0, axis=(1, 2)), np.all(flat, axis=1)
        dead = np.all(flat | railed, axis=1)          # a channel dead one way, another the other way
        kind = np.where(silent, 1, np.where(constant, 2, np.where(dead, 3, 0)))
        k = i0 // frame
        out[k:k + len(kind)] = kind
    return out


class DeadStretches:
    """Collects the stretches of audio with no usable sound as blocks are read, in samples."""

    def __init__(self, frame: int) -> None:
        self.frame = frame
        self.runs: list[list] = []         # [start, end, {kind: samples}]
        self.n = 0

    def feed(self, blk: np.ndarray) -> None:
        kinds = dead_frames(blk, self.frame)
        for j in np.flatnonzero(kinds):
            a = self.n + int(j) * self.frame
            b = min(self.n + len(blk), a + self.frame)
            if self.runs and self.runs[-1][1] == a:
                run = self.runs[-1]
                run[1] = b
            else:
                run = [a, b, {}]
                self.runs.append(run)
            run[2][int(kinds[j])] = run[2].get(int(kinds[j]), 0) + b - a
        self.n += len(blk)

    def spans(self, min_len: int, min_whole: int) -> list[tuple[int, int, str]]:
        """(start, end, why) of the stretches ``min_len`` samples long or more, or of the whole
        file when it is ``min_whole`` samples long or more."""
        return [(a, b, DEAD_KINDS[max(k, key=k.get)]) for a, b, k in self.runs
                if b - a >= min_len or (a == 0 and b == self.n >= min_whole)]


def _dead_note(inp: ReplayInput, path: Path, dead: DeadStretches, sr: int) -> None:
    """Mark and say the stretches of ``path`` with no usable sound (:class:`DeadStretches`)."""
    spans = dead.spans(int(round(DEAD_MIN_S * sr)), int(np.ceil(MIN_AUDIO_S * sr)))   # (shorter: said so)
    if not spans or not dead.n:
        return
    inp.dead_audio = [tuple(float(t) for t in inp.audio_times([a, b], sr)) for a, b, _ in spans]
    a, b, why = spans[0]
    if a == 0 and b == dead.n:
        kind = why.split(" ", 1)
        inp.warnings.append(f"{path}: the audio holds no usable sound: {kind[0]} throughout {kind[1]}; a muted "
                            f"or dead microphone? The pops of the thrusts it covers are unknown, not none")
        return
    t0, t1 = inp.dead_audio[0]
    more = f", and {len(spans) - 1} more stretch{'es' if len(spans) > 2 else ''}" if len(spans) > 1 else ""
    inp.warnings.append(f"{path}: no usable sound at {t0:.1f}–{t1:.1f} s, {why.split(' ', 1)[0]}{more}; the "
                        f"pops of the thrusts there are unknown, not none")


def _audio_chunks(inp: ReplayInput, chunk_s: float) -> Iterator[Chunk]:
    """The audio file in chunks of ``chunk_s``, up to a tear if it has one (a warning says
    where it ends); its stretches with no usable sound are noted in ``inp.dead_audio`` (a
    warning says where)."""
    import soundfile as sf
    path = inp.audio_path
    sr, _, _ = audio_info(path)
    n, errors = 0, []
    dead = DeadStretches(max(1, int(round(DEAD_FRAME_S * sr))))
    with sf.SoundFile(str(path)) as f:
        never_closed = f.frames >= UNKNOWN_FRAMES
        for blk in read_until_torn(f, max(1, int(round(chunk_s * sr))), errors=errors):
            dead.feed(blk)
            yield Chunk(inp.audio_times(n + np.arange(len(blk)), sr), blk, n, "audio", float(sr))
            n += len(blk)
    _dead_note(inp, path, dead, sr)
    if 0 < n < MIN_AUDIO_S * sr and not errors:
        inp.dead_audio = [tuple(float(t) for t in inp.audio_times([0, n], sr))]
        inp.warnings.append(f"{path}: only {n} sample{'s' if n != 1 else ''} of audio ({1e3 * n / sr:.3g} ms): too "
                            f"short to hear a pop in (the detector takes its first {1e3 * FLOOR_FROM_S:g} ms for a "
                            f"noise floor, and a pop lasts 3–{1e3 * POP_MAX_S:g} ms); the pops of the thrusts it "
                            f"covers are unknown")
    # what was read is analysed, and so are the other streams: a warning, not an error
    claimed = _header_frames(path, n)
    cut = None if errors or claimed is not None else _ogg_cut(path)
    if not errors and claimed is not None:
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, short of the {claimed / sr:.2f} s "
                            f"its header gives (the file was cut)")
    elif cut:
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, where the file was cut ({cut})")
    elif errors and never_closed:
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, where its recording was cut "
                            f"(the file was never closed)")
    elif errors:
        inp.warnings.append(f"{path}: audio unreadable after {n / sr:.2f} s ({errors[0]}); "
                            f"the rest is analysed without it")
    past = None if errors or claimed is not None else wav_past_data(path)
    if past:
        inp.warnings.append(f"{path}: the file holds {past[0] // past[1] / sr:.2f} s of audio past the "
                            f"{n / sr:.2f} s its header gives (its recorder did not finish the header?); only "
                            f"the first {n / sr:.2f} s are analysed")


# the sample chunk's length a recorder writes before it knows it (one that streams, or one cut
# before it went back to fill it in): no length, not a length the file falls short of
UNKNOWN_SIZES = (0xFFFFFFFF, 0x7FFFFFFF)


def wav_past_data(path: Path) -> tuple[int, int] | None:
    """(bytes, bytes per frame) of samples a WAV file holds past the end its ``data`` chunk's
    header gives — a recorder that wrote a length and then went on writing, which libsndfile
    does not read — or None (no such bytes, only other chunks after it, or not a WAV)."""
    def printable(cid: bytes) -> bool:
        return len(cid) == 4 and all(0x20 <= c <= 0x7E for c in cid)

    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(0)
            head = fh.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            pos, align = 12, None
            while pos + 8 <= size:
                fh.seek(pos)
                hdr = fh.read(8)
                cid, n = hdr[:4], int.from_bytes(hdr[4:8], "little")
                if cid == b"fmt ":
                    align = int.from_bytes(fh.read(14)[12:14], "little") or None
                if cid == b"data":
                    end = pos + 8 + n
                    if n in UNKNOWN_SIZES or end >= size or align is None:
                        return None
                    q = end + (n & 1)
                    while q + 8 <= size:                   # LIST, id3 … chunks after the samples
                        fh.seek(q)
                        h = fh.read(8)
                        if not printable(h[:4]):
                            break
                        m = int.from_bytes(h[4:8], "little")
                        q += 8 + m + (m & 1)
                    else:
                        if q <= size:                      # whole chunks up to the end (a pad byte at most)
                            return None
                    extra = size - end
                    return (extra, align) if extra >= align else None
                if not printable(cid):
                    return None
                pos += 8 + n + (n & 1)
    except OSError:
        return None
    return None


def _header_frames(path: Path, frames: int) -> int | None:
    """Frames the header of a WAV or AIFF file cut short gives, when more than the ``frames``
    in it: libsndfile reads such a file to its end and notes the sample chunk's length as
    "data : CLAIMED (should be ACTUAL)" (bytes)."""
    import re

    import soundfile as sf
    try:
        m = re.search(r"^(?:data|SSND)\s*: (\d+) \(should be (\d+)\)", sf.info(str(path)).extra_info, re.M)
    except (RuntimeError, sf.LibsndfileError):
        return None
    if m is None or int(m.group(2)) <= 0 or int(m.group(1)) <= int(m.group(2)) or int(m.group(1)) in UNKNOWN_SIZES:
        return None
    return int(frames * int(m.group(1)) / int(m.group(2)))


# an Ogg page: "OggS", version 0, flags, ..., the number of segments at byte 26, their lengths
# after it; the longest is 27 + 255 + 255 * 255 bytes
OGG_PAGE_MAX = 27 + 255 + 255 * 255
OGG_EOS = 0x04                # the flag of a stream's last page


def _ogg_cut(path: Path) -> str | None:
    """Why an Ogg file (Vorbis, Opus, FLAC in Ogg) stops before its stream's end, in a few
    words, or None (not Ogg, or whole). libsndfile reads a torn one to its last whole page and
    says nothing: the file either ends inside a page, or its last page lacks the end-of-stream
    flag every Ogg writer sets on closing."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"OggS":
                return None
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - OGG_PAGE_MAX))
            tail = fh.read()
    except OSError:
        return None
    at = len(tail)
    while (at := tail.rfind(b"OggS", 0, at)) >= 0:       # the last page that ends where the file does
        if len(tail) < at + 27 or tail[at + 4] != 0:
            continue
        segs = tail[at + 27:at + 27 + tail[at + 26]]
        if len(segs) == tail[at + 26] and at + 27 + len(segs) + sum(segs) == len(tail):
            return None if tail[at + 5] & OGG_EOS else "its last Ogg page has no end-of-stream mark"
    return "its last Ogg page is cut off"


def iter_chunks(inp: ReplayInput, chunk_s: float = 1.0, streams: tuple[str, ...] = ("force", "imu", "audio")) -> Iterator[Chunk]:
    """All streams of ``inp`` as chunks of about ``chunk_s`` seconds, merged in time order."""
    gens = []
    if inp.force is not None and "force" in streams:
        gens.append(_stream_chunks(inp.force, "force", chunk_s))
    if inp.imu is not None and "imu" in streams:
        gens.append(_stream_chunks(inp.imu, "imu", chunk_s))
    if inp.audio_path is not None and "audio" in streams:
        gens.append(_audio_chunks(inp, chunk_s))
    heads = [next(g, None) for g in gens]
    while True:
        live = [(h.t_s[-1], i) for i, h in enumerate(heads) if h is not None]
        if not live:
            return
        _, i = min(live)
        yield heads[i]
        heads[i] = next(gens[i], None)


def marked_gaps(inp: ReplayInput) -> list[GapEvent]:
    """The gaps a recorded session marked (``session.json``'s ``gaps``, with the reason it knew:
    disconnected, dropped samples), as the force stream's gap events in the order of their ends,
    as its recorder writes them. None for a bare file."""
    if inp.meta is None:
        return []
    out = []
    for g in inp.meta.gaps:
        a, b, why = float(g["t_start"]), float(g["t_end"]), g.get("reason")
        if b >= a:
            out.append(GapEvent(a, b, "force", why if isinstance(why, str) else "", t_detect_s=b))
    return sorted(out, key=lambda e: e.t_end)


def _found_again(e, marked: list[GapEvent]) -> bool:
    """A hole the analysis found (a "dropout") over a gap the recording marked: the same hole,
    in every stream of the device (it sent none of them then)."""
    return found_again(e, [(m.t_start, m.t_end) for m in marked])


def too_short(inp: ReplayInput, scheme=None) -> str | None:
    """A warning when the sensor's data (force, else IMU) span less than the shortest cycle the
    analysis measures (``min_period_s``): nothing can be found in them, and an empty summary
    would read as a practice with no cycle; None otherwise (audio alone: its pops need none)."""
    from analysis.imu import ImuSettings
    from analysis.scheme import GradingScheme

    if inp.force is not None:
        sd, what, need = inp.force, "force", (scheme or GradingScheme()).min_period_s
    elif inp.imu is not None:
        sd, what, need = inp.imu, "IMU data", ImuSettings().min_period_s
    else:
        return None
    n = len(sd.t_s)
    span = float(sd.t_s[-1] - sd.t_s[0]) if n else 0.0
    if span >= need:
        return None
    return (f"only {n} sample{'s' if n != 1 else ''} of {what} ({span:.3f} s): too little to analyse; "
            f"the shortest cycle measured takes {need:g} s, so record a few seconds of practice at least")


def analyze_input(inp: ReplayInput, scheme=None, thrust=None, chunk_s: float = 10.0, on_events=None) -> list:
    """Run the same processors as live use over a whole recording; returns all events,
    the summary last. ``on_events(list)`` is called as events appear (progress, streaming).

    The gaps a recorded session marked are given as it marked them, each where the data reach
    its end; the analysis's own "dropout" over one of them is left out. A bare file's holes
    are the ones the analysis finds."""
    from analysis.pipeline import Analyzer

    streams = tuple(n for n, present in (("force", inp.force), ("imu", inp.imu),
                                         ("audio", inp.audio_path if inp.analyse_audio else None))
                    if present is not None)
    a = Analyzer(scheme, thrust, streams=streams)
    a.warnings.extend(inp.warnings)
    short = too_short(inp, scheme)
    if short:
        a.warnings.append(short)
    a.skipped_rows = inp.skipped_rows
    out = a.start_events()
    if on_events and out:                               # warnings known before any data
        on_events(list(out))
    n_known = len(inp.warnings)
    marked, k = marked_gaps(inp), 0

    def with_marked(ev: list, t_s: float) -> list:
        """``ev`` without the holes marked already, with the marks whose end ``t_s`` reached."""
        nonlocal k
        ev = [e for e in ev if not _found_again(e, marked)]
        j = k
        while j < len(marked) and marked[j].t_end <= t_s:
            j += 1
        ev, k = list(heapq.merge(ev, marked[k:j], key=lambda e: e.t_detect_s)), j
        return ev

    for ch in iter_chunks(inp, chunk_s, streams):
        ev = with_marked(a.feed(ch), float(ch.t_s[-1]))
        if ev:
            out.extend(ev)
            if on_events:
                on_events(ev)
    a.warnings.extend(inp.warnings[n_known:])          # found while reading (a torn audio file)
    tail = a.finish()
    tail = with_marked(tail[:-1], np.inf) + tail[-1:]   # (the summary stays last)
    tail[-1] = _with_audio_notes(tail[-1], inp)
    if on_events:
        on_events(tail)
    out.extend(tail)
    return out


def _with_audio_notes(summary, inp: ReplayInput):
    """The summary with what only the whole analysis can say about the audio: the thrusts in
    audio with no usable sound have unknown pops, and pops heard but none near a thrust are
    a warning (misplaced audio)."""
    from dataclasses import replace

    from analysis.summary import unaligned_note, unheard_in

    if inp.dead_audio:
        summary = replace(summary, thrusts=unheard_in(summary.thrusts, inp.dead_audio))
    note = unaligned_note(summary)
    return replace(summary, warnings=[*summary.warnings, note]) if note else summary
