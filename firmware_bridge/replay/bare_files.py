"""What replay reads that is not a session folder: a bare force or IMU CSV (its units from its
header), the bytes of a pipe or device read once, and a BLE capture (or a file of events taken
for one)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from analysis.errors import InputError
from firmware_bridge import json_text
from firmware_bridge.ble_capture import is_capture
from firmware_bridge.csv_dialect import EVENTS_CSV_COLUMNS, csv_header
from firmware_bridge.csv_rows import to_seconds
from firmware_bridge.csv_stream import IMU_COLUMN_UNITS, imu_columns, in_imu_units, read_csv_bytes
from firmware_bridge.file_kind import own_fd, piped_convert_hint, read_named_pipe
from firmware_bridge.replay.audio_file import hold_piped_audio
from firmware_bridge.replay.audio_timeline import ReplayInput
from firmware_bridge.replay.stream_gaps import _mark_clock_steps, _mark_holes
from firmware_bridge.session import (
    AUDIO_SUFFIXES,
    CONVERT_SUFFIXES,
    FORCE_COLUMNS,
    IMU_COLUMNS,
    KNOWN_FORCE_UNITS,
    audio_to_convert,
    HEAD_BYTES,
    file_head,
    is_audio,
    StreamData,
    TIME_COLUMNS,
    read_csv_stream,
    read_force_csv,
    read_imu_csv,
)
from firmware_bridge.sound_files import decoder_installed

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
