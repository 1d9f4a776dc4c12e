"""What ``gradecoach replay`` accepts, read and checked: a session folder, a bare force or IMU
CSV (with its units from its header), a capture of a BLE sensor's notifications (played through
the BLE source, :mod:`firmware_bridge.ble_capture`), or audio alone (from a file or a pipe), with
``--audio`` added or put in place of a session's own and placed on the force's timeline.

Its parts: this module tells what was given and reads a session folder (:func:`load_input`);
:mod:`~firmware_bridge.replay.audio_timeline` holds :class:`ReplayInput` and places its audio on
the force's timeline, :mod:`~firmware_bridge.replay.stream_gaps` marks the holes in a recording's
times and tells stream files cut short, and :mod:`~firmware_bridge.replay.bare_files` reads what
is not a session folder (a bare CSV, a pipe or device, a BLE capture)."""

from __future__ import annotations

import os
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge.ble_capture import is_capture
from firmware_bridge.csv_dialect import csv_header
from firmware_bridge.file_kind import LINK_LOOPS, link_loops, packed_kind
from firmware_bridge.replay.audio_file import audio_problem, quiet_decoder, starts_as_audio
from firmware_bridge.replay.audio_timeline import (AUDIO_RATE_TOLERANCE, MAX_AUDIO_START_S, MAX_AUDIO_T0_S,
                                                   WHY_CHARS, ReplayInput, _audio_off, _audio_timeline,
                                                   _given_timeline, _warn_apart, mic_not_recorded, ms_text,
                                                   unplaced_audio)
from firmware_bridge.replay.bare_files import (FORCE_COLUMN_FACTORS, FORCE_COLUMN_UNITS, TRUTH_ENDINGS,
                                               _csv_by_header, _has_accelerometer, _header_of, _not_events,
                                               _piped_audio, _read_bare_csv, _read_capture, _read_once)
from firmware_bridge.replay.stream_gaps import (DROPOUT_S, RECORDED_SPANS, CutStream, _mark_clock_steps,
                                                _mark_holes, _stored_gaps, cut_short, recorded_ends,
                                                seconds_text, stored_of_whole, streams_cut_short)
from firmware_bridge.session import (
    AUDIO_SUFFIXES,
    CONVERT_SUFFIXES,
    audio_to_convert,
    file_head,
    is_audio,
    TIME_COLUMNS,
    open_session,
)
from firmware_bridge.session_folders import folder_of_sessions, sessions_inside
from firmware_bridge.session_scheme import stored_min_amplitude, stored_pop_window
from firmware_bridge.sound_files import decoded

__all__ = [
    "ReplayInput", "load_input", "STREAM_FILES",
    "AUDIO_RATE_TOLERANCE", "MAX_AUDIO_START_S", "MAX_AUDIO_T0_S", "WHY_CHARS", "mic_not_recorded", "ms_text",
    "unplaced_audio", "_audio_off",
    "FORCE_COLUMN_FACTORS", "FORCE_COLUMN_UNITS", "TIME_COLUMNS", "TRUTH_ENDINGS", "_has_accelerometer", "csv_header",
    "DROPOUT_S", "RECORDED_SPANS", "CutStream", "cut_short", "recorded_ends", "seconds_text", "stored_of_whole",
    "streams_cut_short",
]

# what a folder without session.json is read as a session for (its recorder's file names)
STREAM_FILES = ("force.csv", "imu.csv", "audio.flac", "audio.wav", "audio.ogg")


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


def _same_file(a, b) -> bool:
    """Whether the paths ``a`` and ``b`` name one file (a link, or another spelling of the path)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


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
