"""``gradecoach screenshot``: the trainer window rendered offscreen after replaying a recording
up to a given time — synchronous and deterministic (no real-time waiting)."""

from __future__ import annotations

import argparse
import math
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from analysis.chunk import Chunk
from analysis.errors import InputError
from ui.trainer.feedback import MODES as FEEDBACK_MODES
from ui.cli import warn
from ui.display import no_display
from ui.options import (add_analysis_args, add_audio_timeline_args, build_schemes, number, output_path,
                        refuse_folder_of_sessions, refuse_session_notes)
from ui.qt_check import require_qt
from ui.trainer.buffers import WINDOW_RANGE_S      # --window: the trainer's own, which its keys reach

DRAWN_S = 120.0               # --replay: frames drawn over this many seconds before --at
DEVICE_MAX_S = 600.0          # --at with --device: seconds read in real time, so at most ten minutes
# --replay: an --at this little past the recording's end is its end, the rounding of the length
# replay prints to 0.1 s (a 15.27 s recording is said to be 15.3 s long)
AT_END_ROUNDING_S = 0.05
# Qt's offscreen platform says this at every window shown; it is not about anything we did
_QUIET_QT = ("This plugin does not support propagateSizeHints()",)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r}: use WIDTHxHEIGHT, e.g. 1366x768") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise argparse.ArgumentTypeError(f"size {text!r}: between 320x240 and 7680x4320")
    return w, h


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("screenshot", help="render the trainer window after replaying a recording or reading a device",
                       description="Replay INPUT (anything 'replay' accepts) up to --at seconds through "
                                   "the trainer's analysis, or read a device for --at seconds, and save "
                                   "the window as a PNG.")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--replay", metavar="INPUT", help="session folder, .csv or audio file (no waiting)")
    src.add_argument("--device", metavar="SPEC", help="serial:PORT[@BAUD], ble:NAME, emulator[:SCENARIO] or "
                                                     "file:PATH, read in real time")
    p.add_argument("--at", type=number("s", "5.5"), required=True, metavar="SECONDS",
                   help="time to stop the replay at (with --device: seconds of data to read)")
    p.add_argument("-o", "--output", required=True, metavar="PNG", help="image file to write")
    p.add_argument("--size", type=_size, default=(1366, 768), metavar="WxH", help="window size (1366x768)")
    p.add_argument("--audio", metavar="FILE", help="audio to pair with a bare CSV (starts at t = 0 unless "
                                                   "--audio-start says otherwise)")
    add_audio_timeline_args(p)
    p.add_argument("--window", type=number("s", "10"), default=10.0, metavar="S",
                   help=f"plot window in seconds ({WINDOW_RANGE_S[0]:g}–{WINDOW_RANGE_S[1]:g}, default 10)")
    p.add_argument("--feedback", metavar="{" + ",".join(FEEDBACK_MODES) + "}",
                   help="feedback schedule to show (default: a session's own at --at, as "
                        "session.json's feedback and feedback_changes say it; else concurrent)")
    add_analysis_args(p)
    p.set_defaults(func=run)


def render(args: argparse.Namespace, warnings: list[str] | None = None):
    """Build the window, replay up to ``args.at`` and draw one frame; returns the window.
    What reading the recording found, as ``replay`` warns of it (audio left out, bad rows
    skipped, too little data), is added to ``warnings``."""
    from firmware_bridge.replay import iter_chunks, load_input, too_short
    from ui.trainer.feedback import MODES
    from ui.trainer.profiles import Calibration

    _check_source(args)
    if args.feedback is not None and args.feedback not in MODES:
        raise InputError(f"unknown feedback schedule {args.feedback!r}; use one of {', '.join(MODES)}")
    check_options(args)
    if getattr(args, "device", None):
        return laid_out(_render_device(args, warnings))
    refuse_folder_of_sessions(args.replay, "--replay ")
    refuse_session_notes(args.replay, "--replay ")
    inp = load_input(args.replay, args.audio, args.audio_start, args.audio_rate)
    end_s = inp.duration_s
    if args.at > end_s + AT_END_ROUNDING_S + 1e-9:     # (1e-9: 15.3 given for 15.25 is within)
        raise InputError(f"--at {args.at:g}: {inp.name} ends at {_before(end_s, args.at)} s")
    if args.at > end_s:                         # (the length replay printed: its end is shown, and said)
        args.at, args.at_end = end_s, inp.name
    # a device's clock (its uptime, Unix time) puts the first sample far from 0: --at is a time on
    # that clock, as replay prints it, so a time before the first sample would show an empty screen
    starts = [float(s.t_s[0]) for s in (inp.force, inp.imu) if s is not None and len(s.t_s)]
    if starts and args.at < min(starts):
        t0 = min(starts)
        raise InputError(f"--at {args.at:g}: {inp.name} starts at {t0:.10g} s (times are its own clock's, as "
                         f"replay prints them); --at {t0 + args.at:.10g} is {args.at:g} s in")
    scheme, thrust = build_schemes(args, inp.meta)
    flags = args.r1 is not None and args.r2 is not None
    cal = (Calibration("the command line" if flags or inp.meta is None else "the session", scheme.r1_n, scheme.r2_n)
           if scheme.calibrated else None)
    # a session's own target as it was practised: its corridors and pacer rate (target_detail)
    detail = inp.meta.extra.get("target_detail") if inp.meta is not None and not args.target else None
    engine, win = _window(args, scheme, thrust, cal, detail,
                          args.feedback or feedback_at(inp.meta.extra if inp.meta is not None else {}, args.at),
                          clock=lambda: 0.0)
    if inp.meta is not None:                  # a session names who practised in it, and what
        win.set_trainee(inp.meta.trainee, inp.meta.technique)
    # the recording's streams decide the view, as a played recording's do live: a force sensor
    # whose IMU file starts first is not drawn as an IMU alone until its force comes
    engine.sensor_streams = frozenset(s for s, d in (("force", inp.force), ("imu", inp.imu)) if d is not None)
    if inp.audio_unplaced:          # (sound not placed in time with the force: its pops unknown, as replay has them)
        engine.sound_not_placed()
    # frames are drawn over the last minutes only: what the picture shows (the plot window, the
    # last thrusts, the set) lies there, and a long recording is not drawn frame by frame for hours
    draw_from = args.at - DRAWN_S
    drawn = "force" if inp.force is not None else "imu"     # an IMU alone: its movement is drawn
    losses = _losses(inp, drawn)
    told = 0
    for ch in iter_chunks(inp, chunk_s=0.05):
        if ch.t_s[0] > args.at:
            break
        k = int((ch.t_s <= args.at).sum())
        ch = ch if k == len(ch) else ch.split([k])[0]
        while told < len(losses.gaps) and losses.gaps[told][1] <= ch.t_s[-1]:
            engine.notice(losses.notice(told, inp.name))   # (before the samples after it, as a source tells it)
            told += 1
        for part in losses.numbered(ch):
            engine.feed(part)
        if ch.stream == drawn and ch.t_s[-1] >= draw_from:
            win.refresh()            # the same frame-by-frame path as live, one frame per chunk
    lost = _lost_at(inp, args.at)
    if lost is None:
        win.refresh()
    else:
        _show_lost(win, engine, lost, args.at)
    if warnings is not None:         # (after reading: a torn audio file is found on the way)
        # (an analysis the window switched off, as replay warns of it: an IMU's units wrong)
        from ui.cmd_replay import naming
        off = [naming(n, args.replay) for n in engine.off_notes.values()]
        warnings.extend(w for w in [*inp.warnings, too_short(inp, scheme), *off] if w and w not in warnings)
    return laid_out(win)


# a layout given room asks its parent's for it in turn: a pass for each level of nesting
LAYOUT_PASSES = 4


def laid_out(win):
    """``win`` laid out as the trainer's event loop lays it out between frames: the room of what
    was shown or hidden meanwhile given (the banner hidden once the sensor was back left an empty
    strip over the force plot), then its last frame drawn again at that size. No event loop runs
    here, so Qt's requests for a layout, posted as they are, would wait for one."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(LAYOUT_PASSES):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    win.refresh()
    return win


def _lost_at(inp, at_s: float) -> tuple[float, float, str] | None:
    """The time without the sensor's data that ``at_s`` lies in, as ``(start, end, what the
    banner says)``: a stored gap of a lost sensor (session.json's ``disconnected`` one), from
    after its start up to its end, or past it when no data came after it (the sensor lost before
    the end of the recording); else a hole in the data longer than the analysis bridges (a
    "dropout", as replay lists it); else None."""
    from firmware_bridge.replay import marked_gaps
    from firmware_bridge.replay.inputs import DROPOUT_S

    name = inp.name
    ends = [float(sd.t_s[-1]) for sd in (inp.force, inp.imu) if sd is not None and len(sd.t_s)]
    for g in marked_gaps(inp):
        if g.reason.startswith("disconnected") and g.t_start < at_s and (at_s < g.t_end or not any(
                e > g.t_start for e in ends)):
            return g.t_start, g.t_end, (f"{name} at {g.t_start:.1f} s: the recorded sensor was lost for "
                                        f"{g.t_end - g.t_start:.1f} s")
    sd = inp.force if inp.force is not None else inp.imu
    if sd is None or len(sd.t_s) < 2:
        return None
    t = np.asarray(sd.t_s, dtype=float)
    k = int(np.searchsorted(t, at_s, side="right"))          # the first sample after at_s
    if 0 < k < len(t) and t[k] - t[k - 1] > DROPOUT_S:
        a, b = float(t[k - 1]), float(t[k])
        return a, b, f"{name}: no data in the recording from {a:.1f} s to {b:.1f} s"
    return None


def _show_lost(win, engine, lost: tuple[float, float, str], at_s: float) -> None:
    """The frame at ``at_s`` inside a time without the sensor's data (``lost``: its start, end
    and what the banner says), as the recording went on through it: the banner and status say
    so, and the plot runs on to ``at_s`` with the time without data so far shaded, as the
    trainer's does while a sensor is away (its clock set to have waited from the start to
    ``at_s``)."""
    from firmware_bridge.sources import Notice

    a, _, message = lost
    engine.clock = lambda: 0.0
    engine.notice(Notice("disconnected", message, a))
    engine.clock = lambda: max(at_s - a, 0.0)
    win.refresh()


def _before(t: float, limit: float) -> str:
    """``t`` in seconds with one decimal, or as many more as it takes to read as before ``limit``
    (a recording ending at 49.99 s is not said to end at 50.0 s, the --at it refuses)."""
    for d in range(1, 7):
        if float(f"{t:.{d}f}") < limit:
            return f"{t:.{d}f}"
    return f"{t:.6f}"


class _Losses:
    """The samples a recording lost in the gaps it marked (a session's stored gaps of dropped
    samples, a BLE capture's missing notifications): each gap's ``(start, end, samples lost)``,
    counted from the times of the samples either side of it at the stream's rate, and the
    stream's chunks numbered as the device numbered them (jumping over the lost samples), so
    the window counts them as it counts a live source's."""

    def __init__(self, gaps: list[tuple[float, float, int]], cuts, stream: str):
        self.gaps = gaps
        self._cuts = np.asarray(cuts, dtype=np.int64)           # first index after each gap
        self._lost_by = np.concatenate([[0], np.cumsum([n for _, _, n in gaps])]).astype(np.int64)
        self._stream = stream

    def notice(self, i: int, name: str):
        from firmware_bridge.sources import Notice

        a, b, n = self.gaps[i]
        return Notice("gap", f"{name} at {a:.2f} s: {n} sample{'s' if n != 1 else ''} lost in the recording",
                      a, b, n)

    def numbered(self, ch) -> list:
        """``ch`` with the device's sequence numbers, split where they jump."""
        if ch.stream != self._stream or not len(self.gaps):
            return [ch]
        i, j = ch.seq0, ch.seq0 + len(ch)
        starts = [i, *self._cuts[(self._cuts > i) & (self._cuts < j)].tolist()]
        return [Chunk(ch.t_s[a - i:b - i], ch.values[a - i:b - i],
                      a + int(self._lost_by[np.searchsorted(self._cuts, a, side="right")]), ch.stream, ch.rate_hz)
                for a, b in zip(starts, starts[1:] + [j])]


def _losses(inp, stream: str) -> _Losses:
    """The gaps of lost samples ``inp`` marked (not the time a sensor was away: no samples of it
    were lost, as the live trainer counts), in the data of ``stream``."""
    from firmware_bridge.replay import marked_gaps
    from firmware_bridge.sources import lost_in_gap

    sd = inp.force if stream == "force" else inp.imu
    gaps, cuts = [], []
    rate = sd.rate_hz if sd is not None else 0.0
    if not rate or rate <= 0 or len(sd.t_s) < 2:
        return _Losses([], [], stream)
    for g in sorted(marked_gaps(inp), key=lambda g: g.t_start):
        if g.reason == "disconnected":
            continue
        k, n = lost_in_gap(sd.t_s, g.t_end, rate)
        skipped_at = getattr(sd, "skipped_at", None)
        if skipped_at is not None:               # (rows skipped in the hole are bad rows, said so)
            n -= int(np.count_nonzero(skipped_at == k))
        if not 0 < k < len(sd.t_s) or (cuts and k <= cuts[-1]):
            continue
        if n > 0:
            gaps.append((g.t_start, g.t_end, n))
            cuts.append(k)
    return _Losses(gaps, cuts, stream)


def _check_source(args: argparse.Namespace) -> None:
    """One line for an empty --replay or --device (an unset variable in a script)."""
    if getattr(args, "replay", None) is not None and not args.replay.strip():
        raise InputError("--replay: give a session folder, .csv or audio file")
    if getattr(args, "device", None) is not None and not args.device.strip():
        raise InputError("--device: give a device, e.g. emulator:mixed, serial:/dev/ttyACM0 or file:PATH")


def check_options(args: argparse.Namespace) -> None:
    """One line naming the option for an --at or --window no screenshot can honour: not finite,
    not after the start, a device read longer than :data:`DEVICE_MAX_S`, a window outside
    :data:`WINDOW_RANGE_S`; and for --audio, --audio-start or --audio-rate with --device, which
    only a replay takes. (--at beyond a replayed recording's end is refused once it is read.)"""
    if not (math.isfinite(args.at) and args.at > 0):
        raise InputError(f"--at {args.at:g}: give a time after the start, in seconds")
    if getattr(args, "device", None):
        # (a device's picture has the sound it gives, if any: a sound file is paired with a
        # recording only as replay pairs them)
        given = [o for o in ("--audio", "--audio-start", "--audio-rate")
                 if getattr(args, o[2:].replace("-", "_"), None) is not None]
        if given:
            raise InputError(f"{given[0]} only with --replay (it places a sound file beside the recording replayed)")
    if getattr(args, "device", None) and args.at > DEVICE_MAX_S:
        raise InputError(f"--at {args.at:g}: with --device give at most {DEVICE_MAX_S:g} s "
                         f"(it is read in real time)")
    lo, hi = WINDOW_RANGE_S
    if not (math.isfinite(args.window) and lo <= args.window <= hi):
        raise InputError(f"--window {args.window:g}: give {lo:g}–{hi:g} s")


@contextmanager
def _quiet_qt_platform():
    """Drop the offscreen platform's notices in :data:`_QUIET_QT`; every other Qt message goes
    on to the handler that was there before (Qt's own, or a test's)."""
    from PySide6.QtCore import qFormatLogMessage, qInstallMessageHandler

    prev = None

    def handler(mode, context, message):
        if message in _QUIET_QT:
            return
        if prev is not None:
            prev(mode, context, message)
        else:
            print(qFormatLogMessage(mode, context, message), file=sys.stderr)

    prev = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(prev)


def feedback_at(extra: dict, t_s: float, known_only: bool = True) -> str:
    """The feedback schedule a session showed at recording time ``t_s``: session.json's
    ``extra.feedback`` (the one it began with) and the last of ``extra.feedback_changes`` from
    ``t_s`` or before; concurrent when it keeps none (an entry not readable is passed over). A
    name this gradecoach does not know (written by another version, or by hand) is passed over
    as well, or with ``known_only`` False, kept as it is written."""
    from ui.trainer.feedback import MODES

    def named(v) -> bool:
        return v in MODES or (not known_only and isinstance(v, str) and bool(v.strip()))

    mode = extra.get("feedback").strip() if named(extra.get("feedback")) else "concurrent"
    changes = extra.get("feedback_changes")
    known = [(float(ch["t_s"]), ch["feedback"].strip()) for ch in (changes if isinstance(changes, list) else [])
             if isinstance(ch, dict) and named(ch.get("feedback"))
             and isinstance(ch.get("t_s"), (int, float)) and not isinstance(ch["t_s"], bool)]
    # (by their times: a list edited by hand, or joined from two, need not be in order)
    for t, m in sorted(known, key=lambda x: x[0]):
        if t <= t_s:
            mode = m
    return mode


def _window(args: argparse.Namespace, scheme, thrust, cal, detail=None, feedback: str | None = None, **engine_kw):
    """The engine and the shown trainer window, sized and with the target of ``scheme`` (with
    the corridors and pacer rate of ``detail``, a session's ``target_detail``, as it was practised)
    and the feedback schedule ``feedback`` (--feedback's, else concurrent, when not given)."""
    from ui.trainer.app import ensure_app
    from ui.trainer.engine import Engine
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow

    ensure_app()
    engine = Engine(scheme, thrust, **engine_kw)
    target = Target.of_played(scheme.target_grade + (scheme.target_modifier or ""), detail) \
        if scheme.target_grade else None
    win = TrainerWindow(engine, window_s=args.window, target=target, calibration=cal,
                        feedback=feedback or args.feedback or "concurrent", start_timer=False)
    win.resize(*args.size)
    win.show()
    return engine, win


def _render_device(args: argparse.Namespace, warnings: list[str] | None = None):
    """Read the device for ``args.at`` seconds of its data, on this thread, as the trainer's
    acquisition thread would, drawing a frame per read; the calibration is chosen as the
    trainer chooses it (flags, else the device's own). What the source tells of itself (a
    played recording's bad rows, a device's error), as ``record`` prints it, is added to
    ``warnings``."""
    import time

    from firmware_bridge.sources import open_source
    from ui.cmd_trainer import pick_calibration

    from firmware_bridge.recorder import played_names, played_target_detail, scheme_from_played, thrust_from_played

    source = open_source(args.device)
    _check_recording_length(source, args)
    scheme, thrust = build_schemes(args, None)
    # a played session's alpha, minimum amplitude and pop window, as the trainer grades it
    given = frozenset(n for n in ("alpha", "min_amplitude", "pop_window") if getattr(args, n, None) is not None)
    scheme, _ = scheme_from_played(scheme, source, given=given)
    thrust, _ = thrust_from_played(thrust, source, given=given)
    detail = None
    if not args.target and (own := source.info.get("target")):     # a played session's own, as the trainer takes it
        try:
            scheme, detail = scheme.with_target(own), played_target_detail(source)
        except InputError:
            pass                                # (one that cannot be read: none, as the trainer shows it)
    source.open()
    try:
        engine, win = _window(args, scheme, thrust, pick_calibration(scheme, source), detail)
        engine.source_opened(source)         # (as the trainer's worker tells it: a played session's sound)
        win.source_label = source.info.get("name", args.device)
        trainee, technique, _ = played_names(source)     # (a played session names who practised, and what)
        win.set_trainee(trainee, technique)
        t_first = None
        deadline = time.monotonic() + args.at + 10.0
        while time.monotonic() < deadline:
            chunks = source.read(0.05)
            for n in source.notices():           # (a played session's stored gaps, with their reasons)
                engine.notice(n)
                if n.kind == "info" and warnings is not None and n.message not in warnings:
                    warnings.append(n.message)
            past = False
            for ch in chunks:
                t_first = float(ch.t_s[0]) if t_first is None else t_first
                # (up to --at: a first read holds all the device sent while the window was made)
                k = int((ch.t_s <= t_first + args.at).sum())
                past |= k < len(ch) and ch.stream in ("force", "imu")
                if k:
                    engine.feed(ch if k == len(ch) else ch.split([k])[0])
            win.refresh()
            for note in engine.off_notes.values():        # (as record warns of it: an IMU's units wrong)
                if warnings is not None and f"{args.device}: {note}" not in warnings:
                    warnings.append(f"{args.device}: {note}")
            # (an IMU alone: its samples' time; its movement is held back for its first second,
            # and counting that drew a second at --at 0.3, or waited out the limit for an IMU in g)
            last = engine.imu_last_t if engine.imu_only else engine.force.last_t if engine.force.total else None
            if t_first is not None and last is not None and (past or last - t_first >= args.at):
                break
        else:
            got = "no data" if last is None else f"only {last - t_first:.1f} s of data"
            raise InputError(f"{args.device}: {got} in {args.at + 10:.0f} s")
    finally:
        source.close()
    return win


def _check_recording_length(source, args: argparse.Namespace) -> None:
    """A recording played (``file:``) whose length is known: an --at beyond the data it holds
    is one line at once, not after waiting --at and 10 s more for data that cannot come."""
    from firmware_bridge.sources import FileSource

    if not isinstance(source, FileSource):
        return
    inp = source.input
    shown = inp.force if inp.force is not None else inp.imu      # (the stream the wait counts)
    if shown is None or not len(shown.t_s):
        raise InputError(f"{args.device}: no force or IMU data to show")
    # (counted, as the wait counts it, from the first data of any stream: a session's IMU or
    # sound may start before its force)
    start_s = min(float(t[0]) for t, _ in source.streams.values() if len(t))
    span_s = float(shown.t_s[-1]) - start_s
    if args.at > span_s:
        raise InputError(f"--at {args.at:g}: {args.device} holds only {span_s:g} s of data")


def _image_formats() -> set[str]:
    """File name endings Qt can write an image as (png, jpg, bmp …)."""
    from PySide6.QtGui import QImageWriter
    return {bytes(f).decode().lower() for f in QImageWriter.supportedImageFormats()}


def _device_file(spec: str) -> str | None:
    """The recording a ``file:PATH`` device spec reads, else None."""
    return spec[len("file:"):] or None if spec.startswith("file:") else None


def run(args: argparse.Namespace) -> int:
    require_qt()              # (a system library Qt needs that is missing: one line, not a traceback)
    if no_display("a screenshot") is not None:        # (also a named display that does not answer)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _check_source(args)
    out = Path(args.output)
    # before anything is drawn: Qt empties the file it cannot write an image to, so an -o that
    # names the recording (or any file not named as an image) lost it
    if out.suffix.lower().lstrip(".") not in _image_formats():
        raise InputError(f"-o {out}: not an image file name; use a .png name")
    inputs = [args.replay, args.audio] if args.replay else [_device_file(args.device)]
    output_path(out, [i for i in inputs if i])          # (missing folders are made, as for a report)
    warnings: list[str] = []
    with _quiet_qt_platform():
        win = render(args, warnings)
        try:
            shot = win.grab()
            _save(shot, out)
        finally:                        # (also when -o cannot be written: no window left behind)
            win.close()
    print(f"{out}: {written_size(shot, args.size)} at t = {args.at:g} s"
          + (f" of {args.device}" if args.device else "")
          + (f", the end of {args.at_end}" if getattr(args, "at_end", None) else ""))
    for w in warnings:                                  # (as 'replay' says them)
        warn(w)
    return 0


def _save(shot, out: Path) -> None:
    """Write the image ``shot`` to ``out`` in the format its name ends in; a file that cannot be
    written is one line naming -o and why (Qt's own save says neither)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    fmt = out.suffix.lstrip(".").upper()
    if not shot.save(buf, fmt):
        raise InputError(f"-o {out}: the image could not be made as {fmt}; use a .png name")
    buf.close()
    try:
        out.write_bytes(bytes(data))
    except OSError as e:
        raise InputError(f"-o {out}: cannot write ({e.strerror or e})") from None


def written_size(shot, asked: tuple[int, int]) -> str:
    """The image's size as written, and why it is not the size asked for: the window does not
    go smaller than its panels need, and a scale factor (high DPI) draws it larger."""
    w, h = shot.width(), shot.height()
    ratio = shot.devicePixelRatio()
    logical = (round(w / ratio), round(h / ratio))
    why = [f"the window needs at least {logical[i]} px of {('width', 'height')[i]}"
           for i in (0, 1) if logical[i] > asked[i]]
    if ratio != 1:
        why.append(f"drawn at a scale of {ratio:g}")
    return f"{w}x{h}" + (f" (asked for {asked[0]}x{asked[1]}: {'; '.join(why)})" if (w, h) != tuple(asked) else "")
