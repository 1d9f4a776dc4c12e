"""What ``gradecoach replay`` accepts, read and checked: a session folder, a bare force or IMU
CSV (with its units from its header), a capture of a BLE sensor's notifications (played through
the BLE source, :mod:`firmware_bridge.ble_capture`), or audio alone (from a file or a pipe), with
``--audio`` added or put in place of a session's own and placed on the force's timeline."""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.errors import InputError
from analysis.resample import Resampler
from firmware_bridge import json_text
from firmware_bridge.ble_capture import is_capture
from firmware_bridge.csv_dialect import EVENTS_CSV_COLUMNS, csv_header
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK, to_seconds
from firmware_bridge.csv_stream import IMU_COLUMN_UNITS, imu_columns, in_imu_units, read_csv_bytes
from firmware_bridge.file_kind import LINK_LOOPS, link_loops, own_fd, packed_kind, piped_convert_hint, read_named_pipe
from firmware_bridge.replay.audio_file import (audio_info, audio_problem, hold_piped_audio, quiet_decoder,
                                               starts_as_audio)
from firmware_bridge.session import (
    AUDIO_SUFFIXES,
    CONVERT_SUFFIXES,
    SessionMeta,
    FORCE_COLUMNS,
    IMU_COLUMNS,
    KNOWN_FORCE_UNITS,
    audio_to_convert,
    HEAD_BYTES,
    file_head,
    is_audio,
    StreamData,
    TIME_COLUMNS,
    open_session,
    read_csv_stream,
    read_force_csv,
    read_imu_csv,
)
from firmware_bridge.session_folders import folder_of_sessions, sessions_inside
from firmware_bridge.session_meta import finite_float, finite_number, value_text
from firmware_bridge.session_scheme import stored_min_amplitude, stored_pop_window
from firmware_bridge.sound_files import decoded, decoder_installed
from firmware_bridge.sources import holes_in_times, lost_in_gap

MAX_AUDIO_T0_S = 86400.0      # a microphone starts within a day of the force stream, or t0_s is broken
# --audio-start is on the force's clock, which may be a recorder's (from 0), a device's uptime or
# Unix epoch seconds (1.76e9 in 2025): a bare CSV's times may be any of them. Beyond 1e12 s (31,700
# years) no clock counts seconds: such a value is milliseconds or µs (a double still holds a time
# of 1e12 s to 0.12 ms). A value on no clock of the force is told by the overlap warning
MAX_AUDIO_START_S = 1e12
AUDIO_RATE_TOLERANCE = 0.01   # a measured audio rate further than 1 % from the file's is not believed
# what a folder without session.json is read as a session for (its recorder's file names)
STREAM_FILES = ("force.csv", "imu.csv", "audio.flac", "audio.wav", "audio.ogg")


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
    audio_unreadable: bool = False               # audio given that could not be read at all: pops unknown
    audio_cut_said: bool = False                 # where the file's sound ends short was said on reading it
    dead_audio: list = field(default_factory=list)   # (t_start, t_end) of audio with no usable sound, once read
    # (t_start, t_end) of the times a session's microphone was off (session.json's audio off_s),
    # and of the silence written for audio lost on the way (its lost_at_s): a thrust whose tie
    # window reaches into one has its pops unknown
    audio_off: list = field(default_factory=list)
    audio_lost: list = field(default_factory=list)   # ... those of audio lost on the way alone
    # holes the device told of, as session.json's "gaps" (a capture's), and those found in the times
    # of a file (a bare CSV's, or a session folder's that its session.json does not mark)
    gaps: list = field(default_factory=list)
    # a session's sound from an input that delivered far off its own rate (:func:`unplaced_audio`):
    # not placed in time with the force, so every thrust's pops are unknown and none is tied to one
    audio_unplaced: bool = False

    @property
    def skipped_rows(self) -> int:
        return sum(s.skipped_rows for s in (self.force, self.imu) if s is not None)

    def audio_times(self, index, file_rate_hz: float):
        """Timeline times of audio sample indices (``file_rate_hz``: the file's nominal rate)."""
        return self.audio_t0_s + np.asarray(index) / (self.audio_rate_hz or file_rate_hz)

    @property
    def duration_s(self) -> float:
        """The time the recording ends at (s): its last sample of any stream, or the end of a gap
        it marked past that (a sensor lost before the end, the recording going on waiting for it
        up to its duration: the analysis's summary counts it in its length too)."""
        ends = [float(s.t_s[-1]) for s in (self.force, self.imu) if s is not None and len(s.t_s)]
        if self.audio_path is not None:
            sr, frames, _ = audio_info(self.audio_path, count=True)
            ends.append(float(self.audio_times(frames, sr)))
        if ends:
            ends += [float(g["t_end"]) for g in self.marked_gaps]
        return max(ends) if ends else 0.0

    @property
    def marked_gaps(self) -> list:
        """The gaps the recording marked, as session.json's ``gaps`` (a capture's, as its source
        told them), and the holes found in its times that none of them marks (:func:`_mark_holes`)."""
        return (list(self.meta.gaps) if self.meta is not None else []) + list(self.gaps)


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
    # (a file that begins as a format read, WAV, FLAC, …, yet cannot be: damaged, its pops unknown;
    # one in another format is to be converted)
    head = file_head(path)
    inp.audio_unreadable = starts_as_audio(head) and (
        decoded(path) or (not audio_to_convert(head) and path.suffix.lower() not in CONVERT_SUFFIXES))
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
        if not (p / "session.json").exists() and not any((p / n).exists() for n in STREAM_FILES):
            # (a session's own files missing is said by open_session, naming what is missing)
            under = sessions_inside(p)
            if under:
                raise InputError(f"{folder_of_sessions(p, under)}; give one of them (e.g. {under[0]})")
            raise InputError(f"{p}: not a session folder (no session.json in it); give a session folder, "
                             f"a .csv of time and force (e.g. t_s,force_n), a BLE capture (.jsonl) or an audio "
                             f"file ({'/'.join(AUDIO_SUFFIXES)})")
        s = open_session(p)
        if audio is not None and s.audio_path is not None and _same_file(audio, s.audio_path):
            audio = None                    # the session's own sound: kept at its place (t0_s, measured rate)
        inp = ReplayInput(p.name, s.force, s.imu, meta=s.meta, warnings=list(s.warnings), events=s.events)
        if s.meta.complete:                            # (an unfinished one is said so above)
            inp.warnings.extend(c.line for c in streams_cut_short(p, s.meta, s.events, {"force": s.force, "imu": s.imu}))
        main = s.force if s.force is not None else s.imu
        if main is not None:                           # (a recording's own gaps are marked: not again)
            marked = _stored_gaps(s.meta, s.events)
            _mark_holes(inp, main.path or p, marked)
            _mark_clock_steps(inp, p, marked)
        for bad in (stored_min_amplitude(s.meta)[1], stored_pop_window(s.meta)[1]):
            if bad:                                    # (left out of the analysis: said here, once)
                inp.warnings.append(f"{p / 'session.json'}: {bad}")
        if s.audio_path is not None and audio is not None:
            inp.audio_path = s.audio_path          # replaced by --audio below, said there; its own not judged
        elif s.audio_path is not None and _keep_audio(inp, s.audio_path):
            inp.audio_path = s.audio_path
            _audio_timeline(inp, s.meta.streams.get("audio") or {})
    elif not p.exists():
        raise InputError(f"{p}: {LINK_LOOPS if link_loops(p) else 'no such file or folder'}")
    elif not p.is_file():
        # a pipe (replay <(…)), a FIFO or a device: read once, bounded, and told from what was read
        # (read again, a pipe would have lost what was looked at first)
        raw = _read_once(p)
        if _piped_audio(p, raw):
            inp = ReplayInput(p.stem)              # audio alone, held in memory as --audio's pipe is
            _keep_audio(inp, p)
            inp.audio_path = p
        else:
            inp = _read_bare_csv(p, _header_of(p, raw), raw)
    elif p.is_file() and is_capture(p, file_head(p)):
        _not_events(p, file_head(p))
        inp = _read_capture(p)
    elif p.suffix.lower() in AUDIO_SUFFIXES + CONVERT_SUFFIXES or _holds_audio(p):
        # audio by its name or, whatever its name, by its content (as --audio is read); one
        # libsndfile does not read gets the command that converts it
        inp = ReplayInput(p.stem)
        _keep_audio(inp, p)
        inp.audio_path = p
    elif p.suffix.lower() == ".csv" or p.suffix == "" or _csv_by_header(p):
        inp = _read_bare_csv(p, csv_header(file_head(p))[1])
    elif (packed := packed_kind(file_head(p))) is not None:
        raise InputError(f"{p}: {packed}")          # (x.csv.gz, x.xlsx: named by what they are)
    else:
        raise InputError(f"{p}: unknown input type; give a session folder, a .csv (or a text file whose first "
                         f"line names its columns, e.g. t_s,force_n), a BLE capture (.jsonl), or an audio file "
                         f"({'/'.join(AUDIO_SUFFIXES)})")
    if audio is not None:
        ap = Path(audio)
        if inp.audio_path is not None and inp.meta is None:
            # audio alone: the file given is all there is to replay, so --audio cannot stand in for it
            raise InputError(f"two audio inputs, {p} and --audio {ap}: give one (--audio adds audio to a "
                             f"force CSV, or replaces a session folder's own)")
        if inp.audio_path is not None and inp.meta is not None:
            inp.warnings.append(f"{ap}: analysed instead of the session's own {inp.audio_path.name}, "
                                f"from t = {ms_text(audio_start_s or 0.0)} s of the session")
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
        unplaced = unplaced_audio(inp.meta, inp.audio_path)
        if unplaced is not None:
            inp.audio_unplaced = True
            kept, said = unplaced
            if not any(kept in w for w in inp.warnings):    # (record keeps it since it says it)
                inp.warnings.append(said)
    if audio is None and inp.meta is not None and inp.audio_path is None and (why := mic_not_recorded(inp.meta)):
        inp.warnings.append(f"{p}: {why}")
    _warn_apart(inp, p, audio_start_s)
    return inp


def unplaced_audio(meta: SessionMeta, path: Path) -> tuple[str, str] | None:
    """Whether a session's sound came from an input that delivered far off its own rate, as its
    recorder judged it (``rate_delivered_hz`` beside ``rate_hz`` in session.json's audio entry,
    further than ``UNPLACED_SHARE`` apart: a file played as the microphone): its sound is not placed
    in time with the force. Then the words ``record`` keeps for it (in ``extra.source_warnings``),
    and the warning said of ``path`` for a recording that kept none; None otherwise."""
    from firmware_bridge.audio import UNPLACED_SHARE, delivered_note

    entry = meta.streams.get("audio") if isinstance(meta.streams.get("audio"), dict) else {}
    got, rate = finite_float(entry.get("rate_delivered_hz")), finite_float(entry.get("rate_hz"))
    if not got or not rate or abs(got / rate - 1.0) <= UNPLACED_SHARE:
        return None
    note = delivered_note(got, rate)
    return note.rsplit("; ", 1)[-1], f"{path}: {note}, so the thrusts' pops are unknown"


WHY_CHARS = 200               # of a stored reason, said at most


def mic_not_recorded(meta: SessionMeta) -> str | None:
    """Why a session recorded with a microphone asked for holds no sound, as ``record`` keeps
    it (session.json's ``extra.audio_not_recorded``: the microphone named and why): "no audio:
    the microphone 'default' could not be used when recording (WHY)"; None for a session that
    keeps none (no microphone asked for)."""
    got = meta.extra.get("audio_not_recorded")
    if not isinstance(got, dict):
        return None
    device, why = got.get("device"), got.get("why")
    named = f" {value_text(device)}" if isinstance(device, str) and device.strip() else ""
    why = " ".join(why.split())[:WHY_CHARS] if isinstance(why, str) else ""
    return f"no audio: the microphone{named} could not be used when recording" + (f" ({why})" if why else "")


def _same_file(a, b) -> bool:
    """Whether the paths ``a`` and ``b`` name one file (a link, or another spelling of the path)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


# a saved re-analysis of a session whose files were cut short keeps, in its summary, the stream
# spans the recording had (``{"force": [0.0, 11.24]}``) beside its own ``spans_s`` (the files')
RECORDED_SPANS = "recorded_spans_s"


def _last_summary(events: list) -> dict | None:
    return next((e for e in reversed(events or ()) if isinstance(e, dict) and e.get("type") == "summary"), None)


def recorded_ends(events: list, own: bool = False) -> dict[str, float]:
    """Each stream's last sample time (s) as the session's stored summary (the last ``summary``
    of its events.jsonl: ``spans_s``, or the recording's it kept, :data:`RECORDED_SPANS`)
    recorded it, by stream name; none without a summary. ``own``: the summary's own spans, those
    of the data its events were found in."""
    summary = _last_summary(events)
    spans = dict(summary.get("spans_s") or {}) if summary is not None and isinstance(summary.get("spans_s"), dict) else {}
    if not own and summary is not None and isinstance(summary.get(RECORDED_SPANS), dict):
        spans.update(summary[RECORDED_SPANS])
    return {k: float(v[1]) for k, v in spans.items()
            if isinstance(v, (list, tuple)) and len(v) == 2 and finite_number(v[1])}


def stored_of_whole(events: list) -> bool:
    """Whether the stored summary's figures are the whole recording's: not a saved re-analysis of
    files cut short (whose summary keeps the recording's spans apart, :data:`RECORDED_SPANS`)."""
    summary = _last_summary(events)
    return not (summary is not None and isinstance(summary.get(RECORDED_SPANS), dict))


def cut_short(fp: Path, file_end_s: float, recorded_end_s: float, rate_hz, skipped: int = 0) -> str | None:
    """The line that says a stream file ``fp`` of a finished session ends (its last sample at
    ``file_end_s``) before the end its stored summary recorded (``recorded_end_s``): cut short
    after the recording (a copy broken off, a disk error) at a line end, which leaves no torn
    line to tell of it; None when it ends there. More than half a sample interval short (at
    ``rate_hz``; the ``skipped`` bad rows of its end, left out, allowed for) is short."""
    period = 1.0 / rate_hz if finite_number(rate_hz) and rate_hz > 0 else 0.0
    if not recorded_end_s - file_end_s > max((skipped + 0.5) * period, 1e-5):
        return None
    return (f"{fp}: ends at {seconds_text(file_end_s)} s while the session recorded {seconds_text(recorded_end_s)} s "
            f"(its stored summary): the file was cut short after the recording (a copy, a disk error?)")


def seconds_text(t: float) -> str:
    """A time as the session's files write it (to the µs), without trailing zeros: 6.735, 11.24."""
    return f"{t:.6f}".rstrip("0").rstrip(".") if abs(t) < 1e15 else f"{t:g}"    # (1e+308, not its 309 digits)


@dataclass(frozen=True)
class CutStream:
    """A stream file of a finished session that ends before the recording did (cut short after
    it, at a line end): its file's name as session.json gives it, where the file ends and where
    the recording ended, and replay's line saying so."""

    name: str           # "force" | "imu"
    file: str           # "force.csv"
    end_s: float        # its last sample in the file
    recorded_s: float   # the last the recording had, as its stored summary recorded it
    line: str           # replay's warning (cut_short)
    rate_hz: float = 0.0
    skipped: int = 0    # the bad rows of its end, left out


def streams_cut_short(folder: Path, meta: SessionMeta, events: list, streams: dict) -> list[CutStream]:
    """Each stream read of a finished session folder (``streams``: name to :class:`StreamData`
    or None) that ends before its stored summary recorded, with its line (:func:`cut_short`):
    what the file holds is what is read (replay analyses it, and counts fewer cycles than the
    summary)."""
    ends = recorded_ends(events)
    out = []
    for name, d in streams.items():
        if d is None or not len(d.t_s) or name not in ends:
            continue
        entry = meta.streams.get(name) or {}
        file = entry.get("file") or f"{name}.csv"
        rate, end = entry.get("rate_hz") or d.rate_hz, float(d.t_s[-1])
        line = cut_short(folder / file, end, ends[name], rate, d.skipped_rows)
        if line is not None:
            out.append(CutStream(name, file, end, ends[name], line, rate, d.skipped_rows))
    return out


def _read_bare_csv(p: Path, cols: list[str], raw: bytes | None = None) -> ReplayInput:
    """A bare force or IMU CSV whose header's columns are ``cols`` (:func:`csv_header`), read
    from ``p`` or, given, from ``raw``: the bytes of a pipe or device, read once (:func:`_read_once`)."""
    if [c.strip().strip('"').lower() for c in cols[:2]] == list(EVENTS_CSV_COLUMNS):
        raise InputError(f"{p}: an events CSV written by `gradecoach report --csv`, not a recording; replay takes "
                         f"recordings (a session folder, a CSV of time and force or IMU data, a BLE capture or audio)")
    # an IMU by its header, or by its name (a wrong header is then told with the IMU's columns)
    if (_names_imu_axes(cols) and not any("force" in c for c in cols)) or p.name.lower().endswith(".imu.csv"):
        inp = ReplayInput(p.stem)
        inp.imu = _read_bare_imu(p, cols, inp.warnings, raw)
    else:
        inp = ReplayInput(p.stem, force=_read_bare_force(p, cols, raw))
    if (p.parent / "session.json").is_file():       # one stream of a recorded session, alone
        inp.warnings.append(f"{p.name} is one file of the recorded session {p.parent}: its calibration, "
                            f"target, other streams and sound are left out; replay the folder for them")
    sib = p.with_name(p.stem + ".imu.csv")
    if inp.force is not None and sib.is_file():
        try:
            inp.imu = _read_bare_imu(sib, csv_header(file_head(sib))[1], inp.warnings)
        except InputError as e:                     # (the force is analysed all the same, as in a folder)
            inp.warnings.append(f"{e}; {p.name} is analysed without it")
    for sd in (inp.force, inp.imu):                # (a session folder's reader says it itself)
        n, first = sd.other_skipped if sd is not None else (0, [])
        if n:                                       # (those of a clock step are said with it)
            inp.warnings.append(f"{n} bad row{'s' if n != 1 else ''} skipped (first: {first[0]})")
        if sd is not None:
            inp.warnings.extend(sd.notes)
    _mark_holes(inp, p)
    _mark_clock_steps(inp, p)
    return inp


def _mark_clock_steps(inp: ReplayInput, p: Path, known: list[tuple[float, float]] = ()) -> None:
    """Mark where a logger's clock stepped back and went on from there, in the force's CSV or the
    IMU's (a bare one's, or a session folder's force.csv and imu.csv;
    :func:`~firmware_bridge.csv_rows.clock_steps`: the rows whose times went back skipped,
    the kept times run on as if nothing were missing) as a gap of that stream between the samples
    either side, with its reason, and say it in one line with its file and line, the rows it
    skipped there among it (not again as bad rows): the analysis restarts there (replay registers
    it), so no cycle joins two moments of the recording. None the recording marked already
    (``known``: (start, end) spans of its stored gaps; its own line said it)."""
    from firmware_bridge.session import same_hole

    for stream, sd in (("force", inp.force), ("imu", inp.imu)):
        if sd is None or not sd.clock_steps:
            continue
        t = sd.t_s
        for (i, line, back_s, t_back, t_before), (rows, last) in zip(sd.clock_steps, sd.step_rows):
            if any(same_hole((float(t[i - 1]), float(t[i])), m) for m in known):
                continue
            inp.gaps.append({"t_start": float(t[i - 1]), "t_end": float(t[i]), "reason": CLOCK_STEPPED_BACK,
                             "stream": stream})
            which = f"lines {line}–{last}" if last != line else f"line {line}"
            inp.warnings.append(f"{sd.path or p}:{line}: the logger's clock stepped back {back_s:.3g} s ({t_back:g} "
                                f"after {t_before:g}): {rows} row{'s' if rows != 1 else ''} ({which}) repeat"
                                f"{'s' if rows == 1 else ''} times already had and {'are' if rows != 1 else 'is'} "
                                f"skipped; the rows after them, from {t[i]:.3f} s on, are a new run, not joined to "
                                f"those before")
    inp.gaps.sort(key=lambda g: g["t_start"])


# a hole longer than this the analysis finds itself (a "dropout"), in each stream, and grades the
# data either side of it apart: the pause its resampler takes for missing data
DROPOUT_S = inspect.signature(Resampler).parameters["max_gap_s"].default


def _mark_holes(inp: ReplayInput, p: Path, known: list[tuple[float, float]] = ()) -> None:
    """Mark the holes in a CSV's times (:func:`~firmware_bridge.sources.holes_in_times`: a bare
    one's, or a session folder's force.csv, else imu.csv) as a BLE capture marks its own (``gaps``,
    by the samples either side of each), so that replay, ``screenshot --replay`` and a played file
    count the samples lost in them alike, and say how many in one warning naming ``p``. Only holes
    up to :data:`DROPOUT_S` long (the analysis bridges those as if no sample were missing; a longer
    one it finds itself, as a dropout), none where bad rows were skipped (said as such), and none
    the recording marked already (``known``: (start, end) spans of its stored gaps)."""
    from firmware_bridge.recorder import GAP_REASONS
    from firmware_bridge.session import same_hole

    sd = inp.force if inp.force is not None else inp.imu
    t, rate = sd.t_s, sd.rate_hz
    k = holes_in_times(t, rate)
    k = k[(t[k] - t[k - 1] <= DROPOUT_S) & ~np.isin(k, sd.after_skipped)]     # (skipped rows are said so)
    k = np.array([i for i in k if not any(same_hole((float(t[i - 1]), float(t[i])), m) for m in known)],
                 dtype=np.int64)
    if not len(k):
        return
    # (less the rows skipped in a hole: said as bad rows, not counted twice)
    skipped_at = getattr(sd, "skipped_at", None)
    lost = sum(lost_in_gap(t, float(t[i]), rate)[1]
               - (int(np.count_nonzero(skipped_at == i)) if skipped_at is not None else 0) for i in k)
    inp.gaps.extend({"t_start": float(t[i - 1]), "t_end": float(t[i]), "reason": GAP_REASONS["gap"]} for i in k)
    inp.warnings.append(f"{p}: {lost} sample{'s' if lost != 1 else ''} lost in {len(k)} "
                        f"gap{'s' if len(k) != 1 else ''} (its times skip them, at {rate:.4g} samples a second; "
                        f"the first at {t[k[0] - 1]:.2f} s)")


def _stored_gaps(meta: SessionMeta, events: list) -> list[tuple[float, float]]:
    """The (start, end) spans of the gaps a recording marked: session.json's ``gaps`` and the
    ``gap`` events of its stored analysis (events.jsonl)."""
    spans = [(g["t_start"], g["t_end"]) for g in meta.gaps]
    spans += [(e["t_start"], e["t_end"]) for e in events if e.get("type") == "gap"
              and finite_number(e.get("t_start")) and finite_number(e.get("t_end"))]
    return [(float(a), float(b)) for a, b in spans]


def _read_once(p: Path) -> bytes:
    """All a pipe, FIFO or device gives, read once: up to the CSV reader's bound for a device
    (:data:`~firmware_bridge.csv_stream.DEVICE_BYTES`, 64 MiB; /dev/zero never ends), beyond
    which it is a one-line error, not read until the memory runs out. One of this process's own
    descriptors (``/dev/stdin``, ``/dev/fd/63`` of ``<(…)``) is read through itself: opened again
    by its name, a named pipe on standard input whose writer has gone would wait for ever."""
    from firmware_bridge.csv_stream import DEVICE_BYTES
    fd = own_fd(p)
    if fd is None and p.is_fifo():
        if p.suffix.lower() in AUDIO_SUFFIXES + CONVERT_SUFFIXES:      # (its sound could not be read again)
            hold_piped_audio(p)                     # (the one line: give it as <(cat …), or a file)
        # a named pipe by its name: what a program writes into it; nobody writing is one line after
        # a wait (opened as a file, it waited for a writer for ever)
        raw = read_named_pipe(p, DEVICE_BYTES)
        if len(raw) > DEVICE_BYTES:
            raise InputError(f"{p}: more than {DEVICE_BYTES >> 20} MiB through a pipe; save it to a file and give that")
        return raw
    try:
        with (open(p, "rb") if fd is None else os.fdopen(os.dup(fd), "rb")) as fh:
            if fh.isatty():                         # (it would wait for typing)
                # (one named, not this process's own: a serial port, or the link emulate serves)
                live = "" if fd is not None else f"read a sensor on it with --device serial:{p}, "
                raise InputError(f"{p}: a terminal, not a recording; {live}send one into it (< force.csv) or give "
                                 f"its file")
            raw = fh.read(DEVICE_BYTES + 1)
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None
    if len(raw) > DEVICE_BYTES:
        if p.is_fifo():
            raise InputError(f"{p}: more than {DEVICE_BYTES >> 20} MiB through a pipe; save it to a file and "
                             f"give that")
        what = "an audio file" if p.suffix.lower() in AUDIO_SUFFIXES + CONVERT_SUFFIXES else "a CSV file"
        raise InputError(f"{p}: a device that gives data without end, not {what}")
    return raw


def _piped_audio(p: Path, raw: bytes) -> bool:
    """Whether ``raw``, read once from the pipe ``p``, is audio; if so ``p`` holds those bytes
    from then on, read as a file is (:func:`hold_piped_audio`: ``<(cat clip.wav)``, ``/dev/stdin``).
    A named pipe given by its own name and a device are a one-line :class:`InputError`; so is
    audio libsndfile does not read (a phone's MPEG-4) when PyAV is not there to decode it (the
    ffmpeg command would need its file)."""
    head = raw[:HEAD_BYTES]
    kind = audio_to_convert(head)
    if kind and not decoder_installed():
        raise InputError(piped_convert_hint(p, kind))
    if not is_audio(head):
        return False
    hold_piped_audio(p, raw)
    return True


def _header_of(p: Path, raw: bytes) -> list[str]:
    """The header's columns (:func:`csv_header`) of a CSV read once from a pipe or device; a BLE
    capture, which is read from a file, is a one-line error."""
    head = raw[:HEAD_BYTES]
    if is_capture(p, head):
        raise InputError(f"{p}: a BLE capture, read from a pipe or device; save it to a file and give that")
    return csv_header(head)[1]


# simulate's truth files beside the CSV they describe: x.expected.jsonl (x.csv), x.imu-expected.jsonl (x.imu.csv)
TRUTH_ENDINGS = {".imu-expected.jsonl": ".imu.csv", ".expected.jsonl": ".csv"}


def _not_events(p: Path, head: bytes) -> None:
    """A one-line :class:`InputError` when a ``.jsonl`` file is events gradecoach wrote, not a BLE
    capture: simulate's truth file (naming the recording it describes, to replay instead) or
    replay's own events (``-o x.jsonl``; a session's ``events.jsonl`` is named by the commands,
    with its folder)."""
    line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    try:
        first = json_text.loads(line)
    except (ValueError, RecursionError):       # (or a first line longer than the head read)
        first = None
    first = first if isinstance(first, dict) else {}
    name = p.name.lower()
    ending = next((e for e in TRUTH_ENDINGS if name.endswith(e)), None)
    if "meta" in first or (ending is None and not isinstance(first.get("type"), str)):
        return
    if first.get("type") == "fixture" or ending is not None:
        given = first.get("file") if first.get("type") == "fixture" else None
        if isinstance(given, str) and given and "/" not in given and "\\" not in given:
            rec = p.with_name(given)                   # (the fixture line names the CSV beside it)
        elif ending is not None:
            rec = p.with_name(p.name[:len(p.name) - len(ending)] + TRUTH_ENDINGS[ending])
        else:
            rec = p.with_suffix(".csv")
        raise InputError(f"{p}: the expected events of {rec} (simulate's truth file), not a recording; replay {rec}")
    raise InputError(f"{p}: a file of events (JSON lines, as replay -o writes), not a recording or a BLE capture; "
                     f"replay the recording they were found in")


def _read_capture(p: Path) -> ReplayInput:
    """A BLE capture played through the BLE source, as the live sensor's samples: force (and
    IMU) with the times, holes and bad frames the source gave; the holes as a recording marks
    them (``gaps``), the samples lost and the bad frames said in warnings."""
    from firmware_bridge.ble_capture import joined, play, read_capture
    from firmware_bridge.recorder import GAP_REASONS

    meta, records = read_capture(p)
    if not records:
        raise InputError(f"{p}: no notifications after its meta line; nothing to replay")
    got = play(meta, records, p.name)
    force, imu = joined(got.chunks, "force"), joined(got.chunks, "imu")
    if force is None and imu is None:
        why = got.silent.split(" but no samples: ", 1)[-1] if " but no samples: " in got.silent else \
            f"none of them held a sample the {meta['profile']} profile decodes"
        raise InputError(f"{p}: {got.notifications} notification{'s' if got.notifications != 1 else ''} but no "
                         f"samples: {why}")
    inp = ReplayInput(p.stem)
    if force is not None:
        inp.force = StreamData(force[0], np.asarray(force[1], np.float64), path=p)
    if imu is not None:
        inp.imu = StreamData(imu[0], np.asarray(imu[1], np.float64), path=p)
    spec = f"ble:{p.name}: "
    n_gaps = 0
    for nt in got.notices:
        if nt.kind == "gap":
            n_gaps += 1
            if nt.t_s is not None:
                end = nt.t_end_s if nt.t_end_s is not None else nt.t_s
                inp.gaps.append({"t_start": nt.t_s, "t_end": end, "reason": GAP_REASONS["gap"]})
        elif nt.kind == "info":
            inp.warnings.append(f"{p}: {nt.message.removeprefix(spec)}")
    if got.dropped:
        inp.warnings.append(f"{p}: {got.dropped} sample{'s' if got.dropped != 1 else ''} lost in {n_gaps} "
                            f"gap{'s' if n_gaps != 1 else ''} (the sensor's numbering or clock skips them)")
    if got.crc_errors:
        inp.warnings.append(f"{p}: {got.crc_errors} CRC error{'s' if got.crc_errors != 1 else ''} (frames that "
                            f"did not decode, or samples with an impossible device time), left out")
    return inp


def _csv_by_header(p: Path) -> bool:
    """Whether a file named otherwise (.txt, .tsv, .dat) is a CSV replay reads, by its header
    (:func:`csv_header`): a time column and a force or accelerometer column named as a bare CSV
    names them (as ``-o`` knows such a file for a recording, whatever its name)."""
    cols = set(csv_header(file_head(p))[1])
    return not cols.isdisjoint(TIME_COLUMNS) and (not cols.isdisjoint(FORCE_COLUMN_UNITS) or _has_accelerometer(cols))


def _has_accelerometer(cols) -> bool:
    """Whether a header's columns (gradecoach's names) give an IMU's ``ax`` in a unit read
    (``ax_mps2``, ``ax_g``: :data:`~firmware_bridge.csv_stream.IMU_COLUMN_UNITS`)."""
    return any(c in cols for c in IMU_COLUMN_UNITS if c.startswith("ax_"))


def _names_imu_axes(cols) -> bool:
    """Whether a header's columns name an IMU's accelerometer, in a unit read (``ax_mps2``,
    ``ax_g``) or not (``ax_mg``, ``ax``): an IMU's file, whose wrong unit is then told as one."""
    return any(c.split("_")[0].strip().lower() in ("ax", "ay", "az") for c in cols)


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

    from firmware_bridge.sound_files import sound_info
    try:
        with quiet_decoder(head):
            sound_info(p)
    except (RuntimeError, sf.LibsndfileError):
        return False
    return True


def ms_text(t: float) -> str:
    """A time in s as ``--audio-start`` takes it, to the millisecond: 1764652800.123, 100.25, -2."""
    text = f"{t:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _warn_apart(inp: ReplayInput, p: Path, start_s: float | None = None) -> None:
    """One warning when the audio and the force (or IMU) data do not overlap at all: no pop can
    be tied to a thrust then, and every thrust's pops are unknown. It gives the ``--audio-start``
    that places the audio at the force's start (to the millisecond), and, when the one given
    (``start_s``) read as milliseconds would place the audio on the force, that reading."""
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
        if abs(m0) <= MAX_AUDIO_START_S:
            fix = f"--audio-start {ms_text(m0)} would place its first sample at the {what}'s start"
        else:
            fix = (f"the {what}'s times are beyond any clock in seconds (over {MAX_AUDIO_START_S:g} s): if they "
                   f"are milliseconds, name its time column t_ms")
        if start_s is not None and start_s / 1000 <= m1 and a1 - start_s + start_s / 1000 >= m0:
            fix += f"; if {ms_text(start_s)} is in milliseconds, --audio-start {ms_text(start_s / 1000)}"
        inp.warnings.append(f"{inp.audio_path}: its audio, at {a0:.1f}–{a1:.1f} s, does not overlap the {what} "
                            f"of {mp}, at {m0:.1f}–{m1:.1f} s: no pop can be tied to a thrust (their pops are "
                            f"unknown); {fix}")


# a bare CSV names its units in its header, as gradecoach does (t_s, force_n); a logger's
# millisecond clock (TIME_COLUMNS) or a scale's kilograms-force are converted on reading
FORCE_COLUMN_UNITS = {"force_n": "N", "force_kgf": "kgf", "force_kg": "kg", "force_lbf": "lbf", "force_kn": "kN",
                      "force_mn": "mN", "force_gf": "gf"}
# N per unit of each: session.json's force units, a load cell's kilonewtons and millinewtons, and
# a scale's grams (of weight: a thousandth of a kilogram-force)
FORCE_COLUMN_FACTORS = {**KNOWN_FORCE_UNITS, "kN": 1000.0, "mN": 0.001, "gf": KNOWN_FORCE_UNITS["kgf"] / 1000.0}


def _read_bare_imu(p: Path, cols: list[str], warnings: list, raw: bytes | None = None) -> StreamData:
    """An IMU from a bare CSV (from ``raw`` when given: a pipe's bytes); one with an accelerometer
    and no gyroscope columns (many loggers and phones record acceleration alone) is read as if the
    sensor never turned, and said."""
    if any(c in cols for c in IMU_COLUMN_UNITS if c.startswith("gx_")) or not _has_accelerometer(cols):
        return _read_imu(p, IMU_COLUMNS, cols, raw)
    d = _read_imu(p, IMU_COLUMNS[:4], cols, raw)
    d.values = np.column_stack([d.values, np.zeros((len(d.t_s), 3))])
    warnings.append(f"{p}: no gyroscope columns ({','.join(IMU_COLUMNS[4:])}): the vertical is followed "
                    f"from the accelerometer alone, as if the sensor never turned")
    return d


def _read_imu(p: Path, required: tuple[str, ...], cols: list[str], raw: bytes | None) -> StreamData:
    """:func:`read_imu_csv` of ``p``, or of ``raw`` (a pipe's bytes) when given: time in s, ms or µs,
    the IMU's columns in the units its header names (``ax_g``, ``gx_dps``), in m/s² and rad/s."""
    if raw is None:
        return read_imu_csv(p, required)
    t_col = next((c for c in TIME_COLUMNS if c in cols), "t_s")
    names, factors = imu_columns(cols, required[1:])
    d = _read_csv(p, (t_col, *names), raw)
    d.t_s = to_seconds(p, d.t_s, t_col)
    return in_imu_units(d, factors)


def _read_csv(p: Path, required: tuple[str, ...], raw: bytes | None) -> StreamData:
    """:func:`read_csv_stream` of ``p``, or of ``raw`` when given (a pipe's bytes, read once:
    the pipe cannot be read again), with the messages naming ``p`` alike."""
    return read_csv_stream(p, required) if raw is None else read_csv_bytes(p, raw, required)


def _read_bare_force(p: Path, cols: list[str], raw: bytes | None = None) -> StreamData:
    """Force from a bare CSV (from ``raw`` when given: a pipe's bytes) whose header's columns
    ``cols`` give time in s, ms or µs (``t_s``, ``t_ms``, ``t_us``) and force in N, kgf, kg,
    lbf, kN, mN or grams (``force_n``, ``force_kgf`` …, ``force_gf``), in s and N."""
    t_col = next((c for c in TIME_COLUMNS if c in cols), "t_s")
    f_col = next((c for c in FORCE_COLUMN_UNITS if c in cols), "force_n")
    if (t_col, f_col) == FORCE_COLUMNS:
        return read_force_csv(p) if raw is None else _read_csv(p, FORCE_COLUMNS, raw)
    d = _read_csv(p, (t_col, f_col), raw)
    d.t_s = to_seconds(p, d.t_s, t_col)
    d.values = d.values * FORCE_COLUMN_FACTORS[FORCE_COLUMN_UNITS[f_col]]
    return d


def _audio_timeline(inp: ReplayInput, entry: dict) -> None:
    """Place a session's audio on the force timeline: its first sample at ``t0_s`` and its
    measured rate (the sound card's clock against the host's), as the recorder wrote them."""
    sr = audio_info(inp.audio_path)[0]
    said = _nominal_rate_note(inp, entry, sr)
    t0 = finite_float(entry.get("t0_s") or 0.0)
    if t0 is None or abs(t0) > MAX_AUDIO_T0_S:
        inp.warnings.append(f"session.json: audio t0_s {value_text(entry.get('t0_s'), 20)} is not usable; audio "
                            f"placed at t = 0")
        t0 = 0.0
    inp.audio_t0_s = t0
    given = entry.get("rate_measured_hz")           # (null: not measured; 0 is a rate, far off)
    rate = finite_float(given)
    if given is None:
        pass
    elif rate is None:
        inp.warnings.append(f"session.json: audio rate_measured_hz {value_text(given, 20)} is not usable; ignored "
                            f"(the file's {sr} Hz is used)")
    elif abs(rate / sr - 1.0) <= AUDIO_RATE_TOLERANCE:
        inp.audio_rate_hz = rate
    elif not said:
        inp.warnings.append(f"session.json: audio rate_measured_hz {rate:g} is not within 1 % of the "
                            f"file's {sr} Hz; the nominal rate is used")
    inp.audio_lost = _audio_off(inp, entry.get("lost_at_s"), "lost_at_s")
    inp.audio_off = [*_audio_off(inp, entry.get("off_s")), *inp.audio_lost]


def _audio_off(inp: ReplayInput, given, key: str = "off_s") -> list[tuple[float, float]]:
    """session.json's audio ``off_s``: the times the microphone was off while recording, as
    [start, end] pairs (s), or its ``lost_at_s`` (``key``): the silence written for audio lost on
    the way; one not such a pair is left out, and said once."""
    if given is None:
        return []
    items = given if isinstance(given, list) else [given]
    spans = [(float(p[0]), float(p[1])) for p in items
             if isinstance(p, (list, tuple)) and len(p) == 2 and all(finite_number(v) for v in p) and p[0] <= p[1]]
    if len(spans) < len(items):
        inp.warnings.append(f"session.json: audio {key} holds {len(items) - len(spans)} entr"
                            f"{'y' if len(items) - len(spans) == 1 else 'ies'} not a [start, end] pair of "
                            f"seconds; left out (the pops of thrusts made then may read as none)")
    return spans


def _nominal_rate_note(inp: ReplayInput, entry: dict, sr: int) -> bool:
    """Warn, once, when session.json's audio ``rate_hz`` is not the rate of the file itself (the
    file's is used, as its samples were written at it); whether it did."""
    given = finite_float(entry.get("rate_hz"))
    if given is None and entry.get("rate_hz") is not None:
        inp.warnings.append(f"session.json: audio rate_hz {value_text(entry.get('rate_hz'), 20)} is not usable; "
                            f"the file's {sr} Hz is used")
        return True
    if given is None or abs(given - sr) < 0.5:
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
        if not (np.isfinite(start_s) and abs(start_s) <= MAX_AUDIO_START_S):
            ms = (f"; if it is in milliseconds, --audio-start {ms_text(start_s / 1000)}"
                  if np.isfinite(start_s) and abs(start_s / 1000) <= MAX_AUDIO_START_S else "")
            raise InputError(f"--audio-start {start_s:g}: give the force's time of the audio's first sample, "
                             f"in s (-{MAX_AUDIO_START_S:g} to {MAX_AUDIO_START_S:g}: a clock from 0, a device's "
                             f"uptime or Unix epoch seconds){ms}")
        inp.audio_t0_s = float(start_s)
    if rate_hz is not None:
        sr = audio_info(inp.audio_path)[0]
        if not (np.isfinite(rate_hz) and abs(rate_hz / sr - 1.0) <= AUDIO_RATE_TOLERANCE):
            raise InputError(f"--audio-rate {rate_hz:g}: give the audio's rate as measured against the force's "
                             f"clock, within {100 * AUDIO_RATE_TOLERANCE:g} % of the {sr} Hz of {inp.audio_path}")
        inp.audio_rate_hz = float(rate_hz)
