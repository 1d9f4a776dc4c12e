"""``gradecoach record``: record a session folder from a live device, headless.

    gradecoach record --device serial:/dev/ttyACM0 --out sessions/anna-2026-11-22 --duration 60 \\
        --r1 40 --r2 120 --target III --trainee Anna [--audio default]

``--duration`` is at most a day (86400 s); without it the recording goes on until Ctrl-C.
Prints a status line once a second (rate, dropped samples, CRC errors, last grade) on stderr;
with a target, the last grade says whether it was on it ("last grade III (target III+: off)", a
thrust as the trainer judges it), with sound its pops as the trainer counts them ("3 pops, first
9 ms before peak force"), and the closing line ends with the score as the library gives
it ("; target V: on target 50 % (1 of 2 thrusts; 1 let-up)"). While no sample comes, the status
line's time goes on and it says how long it has waited ("waiting for the sensor (4 s)").
Ctrl-C or SIGTERM ends cleanly (exit status 0), from the start: before any sample, it says that
nothing was recorded; Ctrl-C pressed again while it closes and exits is the same stop.
``--target`` is stored as the trainer spells it (hvla as V, iv as IV); an empty ``--trainee``,
and ``--audio`` and ``--mic`` naming different microphones, are refused in one line.
After a hard kill at most the last second is lost. A disk that fills up ends it with
one line saying how much of the recording is kept (``complete`` false).
``--out`` is a new folder or an empty one: a folder holding files of its own (a logger's CSVs) is
refused before the device is opened, so it never becomes a session.
Two runs given one ``--out`` at once: one records, the other is refused before it writes.
At the end, the warnings of the recording's summary (stored in its events.jsonl) are said on
stderr as ``replay`` says them, naming the session folder as replay names its file:
``gradecoach: warning: sessions/anna: the force stayed below ...``.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import shlex
import signal
import sys
from pathlib import Path

from analysis.errors import DeviceError, InputError
from firmware_bridge import json_text
from firmware_bridge.session import SessionWriter
from firmware_bridge.session_folders import discover
from firmware_bridge.sources import open_source
from ui.cli import give_back_ctrl_c, warn as warning_line
from ui.microphone import mic_refused
from ui.options import add_analysis_args, build_schemes, number, refuse_folder_of_sessions, with_examples

# the longest --duration: a day of class recorded in one session (a longer one is a typo, or is
# recorded without --duration and stopped with Ctrl-C)
MAX_DURATION_S = 86400.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("record", help="record a session from a device", **with_examples(
        "Record a session folder (session.json, force.csv or imu.csv, events.jsonl, and audio.flac with "
        "--audio) from a live device, without a window. A status line each second goes to stderr; "
        "Ctrl-C (or --duration) ends the recording and keeps all of it. 'gradecoach replay FOLDER' "
        "analyses it again, 'gradecoach library list' on the folder above it lists it.",
        "gradecoach record --device emulator:grade3 --out sessions/anna --duration 5 --r1 40 --r2 120 "
        "--target III --trainee Anna",
        "gradecoach record --device serial:./sensor.pty --out sessions/ben --target III+ --audio default"
        "   # a sensor 'gradecoach emulate' serves; Ctrl-C to stop"))
    p.add_argument("--device", required=True, metavar="SPEC",
                   help="serial:PATH[@BAUD], ble:NAME_OR_ADDRESS, emulator[:SCENARIO] (see 'gradecoach emulate "
                        "--help': grade3+, hvla ...), file:PATH")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="the session's folder: a new one, or one that is empty")
    p.add_argument("--duration", type=number("s", "60"), metavar="S",
                   help=f"stop this many seconds after the first sample (time the device was lost included); "
                        f"at most {MAX_DURATION_S:g} (a day); leave it out to stop with Ctrl-C")
    p.add_argument("--trainee", metavar="NAME",
                   help="who practises (session.json 'trainee'); an empty name is refused")
    p.add_argument("--technique", default="", metavar="TEXT",
                   help="what is practised, e.g. 'PA glide L4' (session.json 'technique')")
    # (--mic as the trainer names it: the same option; the one given is kept to name it in a message)
    p.add_argument("--audio", dest="audio", default="none", metavar="DEVICE", action=_MicOption,
                   help="microphone: 'default', an input's number or part of its name (see 'gradecoach devices'), "
                        "or 'none' (default); "
                        "a played session with sound of its own records that sound instead; a sound file is "
                        "analysed with 'gradecoach replay FORCE.csv --audio FILE'")
    p.add_argument("--mic", dest="audio", default=argparse.SUPPRESS, metavar="DEVICE", action=_MicOption,
                   help="the same as --audio, as the trainer names it")
    p.set_defaults(audio_option="--audio")
    p.add_argument("--quiet", action="store_true", help="no status line (problems are still said)")
    add_analysis_args(p, "the calibration the device reports, if it reports one")
    p.set_defaults(func=run)


class _MicOption(argparse.Action):
    """``--audio DEVICE`` or ``--mic DEVICE``: the microphone, and which of the two was given.
    Both given, naming different microphones, is one line naming both (the last one was taken,
    silently); one of them given again is the last, as any option is."""

    def __call__(self, parser, namespace, values, option_string=None):
        option = option_string or "--audio"
        before = getattr(namespace, "_mic_given", None)
        if before is not None and before[0] != option and before[1] != values:
            raise InputError(f"{before[0]} {before[1]} and {option} {values}: two microphones named (--mic is "
                             f"--audio as the trainer names it); give one of them")
        setattr(namespace, self.dest, values)
        namespace.audio_option = option
        namespace._mic_given = (option, values)


def check_microphone(args: argparse.Namespace) -> None:
    """One line, before anything is opened, when the microphone named is a sound file (a path
    to one there, e.g. x.flac): record listens to a microphone, and replay analyses a file."""
    from firmware_bridge.audio import names_a_file, replay_hint
    spec = args.audio
    if not str(spec).strip():                       # (PortAudio would open the default microphone)
        raise InputError(f"{getattr(args, 'audio_option', '--audio')} {spec!r}: no microphone named; give "
                         f"'default', an input's number or part of its name (see 'gradecoach devices'), or none")
    if names_a_file(spec):
        raise InputError(f"{getattr(args, 'audio_option', '--audio')} {spec}: a file, not a microphone: record "
                         f"listens to one ('default', an input's number or part of its name: see 'gradecoach "
                         f"devices'); {replay_hint(spec)}")


def _audio(spec: str, folder: Path, t0_host_s: float | None, say, missing: list | None = None):
    """The microphone's recorder, or None; why a microphone asked for is not recorded is said
    and appended to ``missing``."""
    if spec == "none":
        return None
    try:
        from firmware_bridge.audio import AudioRecorder
    except ImportError:
        say("audio: no audio support installed; recording force only")
        if missing is not None:
            missing.append("no audio support installed")
        return None
    device = int(spec) if spec.isdigit() else spec
    rec = AudioRecorder(folder, device, t0_host_s=t0_host_s)
    if rec.notice:
        say(f"{rec.notice}; recording force only")
        if missing is not None and not rec.active:
            missing.append(rec.notice)
    return rec if rec.active else None


FIRST_DATA_S = 5.0            # a device with no sample by then is said to be silent
RECORDED_FILES = ("session.json", "force.csv", "imu.csv", "events.jsonl", "audio.flac")


def _check_out(out: Path) -> None:
    """The session folder is new or empty (a file browser's leftovers aside), before the
    device is touched (the folder itself is made once the device streams)."""
    from firmware_bridge.file_kind import LINK_LOOPS, link_loops
    if link_loops(out):
        raise InputError(f"--out {out}: {LINK_LOOPS}; remove the link or choose a new folder")
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: a file is there, not a folder; choose a new folder")
    there = [n for n in RECORDED_FILES if (out / n).exists()]
    if not there and out.is_dir():
        # a class's folder (or a folder above one) would become a session holding sessions
        below = discover(out)
        if below:
            n = f"{len(below)} recorded sessions" if len(below) > 1 else "a recorded session"
            raise InputError(f"--out {out}: it holds {n} ({below[0]}{', …' if len(below) > 1 else ''}); "
                             f"give a new folder for this one, e.g. {out / 'NAME'}")
    for up in out.absolute().parents:
        if (up / "session.json").is_file():
            raise InputError(f"--out {out}: inside the recorded session {up}; choose a folder outside it")
    if "session.json" in there:
        raise InputError(f"--out {out}: a session is already there; choose a new folder")
    held = _held(out)
    if held:
        # (a folder of someone's own files, logger CSVs say, would become a session: later
        # outputs into it refused as inside a recorded session, and the library listing it)
        names = ", ".join(held[:3]) + (", …" if len(held) > 3 else "")
        raise InputError(f"--out {out}: it already holds files ({names}); a session is recorded into a new or "
                         f"empty folder, e.g. {_free(out / 'session')}")
    up = out.absolute()
    while not up.exists():
        up = up.parent
    if not up.is_dir():
        raise InputError(f"--out {out}: {up} is a file, not a folder")
    if not os.access(up, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: cannot write in {up}")


# what a file browser leaves in a folder it showed, empty to the eye: the folder is still empty
OS_LEFTOVERS = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".directory"})


def _held(out: Path) -> list[str]:
    """The names of what a folder ``out`` holds, sorted, but for :data:`OS_LEFTOVERS` (none
    when it is not a folder, or cannot be listed: the checks after it word that)."""
    try:
        # (and macOS's "._NAME" files on a drive it does not format)
        return sorted(p.name for p in out.iterdir() if p.name not in OS_LEFTOVERS and not p.name.startswith("._"))
    except OSError:
        return []


def _free(stem: Path) -> Path:
    """``stem-1``, or the first of ``stem-2``, ``stem-3``… that is not there."""
    k = 1
    while Path(f"{stem}-{k}").exists():
        k += 1
    return Path(f"{stem}-{k}")


def _check_sensor_data(src, device: str) -> None:
    """A recording played (``file:``) with no force or IMU in it (a sound file alone) is one
    line at once: record records a sensor, and there is none to record."""
    from firmware_bridge.sources import FileSource

    if not isinstance(src, FileSource):
        return
    inp = src.input
    if not any(d is not None and len(d.t_s) for d in (inp.force, inp.imu)):
        what = (f" (it holds sound alone; record records a sensor); to analyse it use "
                f"gradecoach replay {shlex.quote(device[len('file:'):])}") if inp.audio_path is not None else ""
        raise InputError(f"{device}: no force or IMU data to record{what}")


def _write_failed(out: Path, w: SessionWriter) -> str:
    """The line a recording ends with when its folder stopped taking data (a full disk):
    what happened, and how much of the recording is there (``complete`` false)."""
    e = w.broken
    why = "disk full" if e.errno in (errno.ENOSPC, errno.EDQUOT) else f"cannot write ({e.strerror or e})"
    return f"{out}: {why}; the recording up to {w.kept_s():.1f} s is kept"


def _mark_cut(w: SessionWriter, e: Exception) -> None:
    """session.json of a recording an error ended: not complete, and where it stopped and why
    (``extra.stopped``), as for a folder that refused a write; what was written is kept."""
    t = w.last_kept_t()
    w.meta.complete = False
    w.meta.extra["stopped"] = {"t_s": None if t is None else round(t, 6),
                               "reason": f"an error ({e})"[:200]}
    w.write_meta()


def _count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless one: "1 cycle", "8 cycles"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _stored(out: Path) -> tuple[dict | None, int, list[dict]]:
    """The recording's summary as stored last in its ``events.jsonl`` (None when it holds none
    or cannot be read: the recording itself is kept either way), how many cycles a worn IMU
    measured there, and all its events (dicts, as the library reads them)."""
    try:
        lines = (out / "events.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, 0, []
    summary, imu_cycles, events = None, 0, []
    for line in lines:
        try:
            e = json_text.loads(line)
        except ValueError:
            continue
        if not isinstance(e, dict):
            continue
        events.append(e)
        if e.get("type") == "summary":
            summary = e
        elif e.get("type") == "imu_cycle":
            imu_cycles += 1
    return summary, imu_cycles, events


def live_verdict(scheme, target: str | None, detail: dict | None = None):
    """What the status line says beside a cycle's or thrust's grade (``recorder.record``'s
    ``verdict``): a cycle against a grade target, on or off as the library scores it
    (``GradingScheme.on_target``: "target III+: off"); a thrust against a V target as the
    trainer says it after each thrust (:func:`ui.trainer.target.thrust_verdict`: "target V: off
    target — let-up 26.6 N"). None without a target; a cycle under a V target, or a thrust under
    a grade's, gets nothing (the score does not count it)."""
    from ui.trainer.target import Target, thrust_verdict
    aim = Target.of_session(target, detail) if target else None
    if aim is None:
        return None
    if aim.is_thrust:
        return lambda e: thrust_verdict(e, aim)[0] if e.TYPE == "thrust" else None
    scheme = scheme.with_target(aim.text)

    def judge(e) -> str | None:
        on = scheme.on_target(e.grade, e.modifier, bool(e.beyond_r2)) if e.TYPE == "cycle" else None
        return None if on is None else f"target {aim.text}: {'on' if on else 'off'}"
    return judge


def target_score(events: list[dict], target: str, scheme, detail: dict | None = None) -> str:
    """How the recording did against its target, scored as the library scores it
    (:func:`ui.library.stats.session_stats`): "target III+: on target 80 % of 20 cycles";
    for V, of the thrusts as the trainer judges each, with what missed counted: "target V: on
    target 50 % (1 of 2 thrusts; 1 let-up)"."""
    from collections import Counter

    from ui.library.stats import session_stats, session_target, thrust_misses
    from ui.table import pct_text
    from ui.trainer.target import NO_FORCE_VERDICT
    st = session_stats(events, target, scheme, detail)
    score = st["score_pct"]
    head = f"target {target}: "
    aim = session_target(target, detail)
    if aim is not None:
        misses = [m for m in (thrust_misses(t, aim) for t in events if t.get("type") == "thrust") if m is not None]
        if not st["n_thrusts"]:
            return head + "no thrust"
        if score is None:
            return head + f"no score ({_count(st['n_thrusts'], 'thrust')}: {NO_FORCE_VERDICT})"
        kinds = Counter(m.split(" ")[0] for ms in misses for m in set(ms))
        off = [_count(kinds["let-up"], "let-up")] if kinds["let-up"] else []
        for kind, corridor in (("preload", aim.preload_n), ("peak", aim.peak_n)):
            if kinds[kind] and corridor:
                off.append(f"{_count(kinds[kind], kind)} outside {corridor[0]:g}–{corridor[1]:g} N")
        on = sum(not m for m in misses)
        return head + (f"on target {pct_text(score)} % ({on} of {_count(len(misses), 'thrust')}"
                       + (f"; {', '.join(off)}" if off else "") + ")")
    if not st["n_cycles"]:
        return head + "no cycle"
    if score is None:
        return head + "no score (cycles not graded: no R1/R2)"
    return head + f"on target {pct_text(score)} % of {_count(st['n_cycles'], 'cycle')}"


def found_counts(summary: dict | None, imu_cycles: int) -> str:
    """What the recording's analysis found (its stored summary and IMU cycles, :func:`_stored`),
    counted as replay's table counts it: "3 cycles, 1 thrust" and, when sound was recorded, its
    pops ("2 pops"); a worn IMU's cycles when there is no force to find cycles in ("12 IMU
    cycles"). Empty when there is no summary."""
    if summary is None:
        return ""
    try:
        n_cycles, n_thrusts = int(summary["n_cycles"]), int(summary["n_thrusts"])
        n_pops = int(summary.get("n_cavitations") or 0)
    except (KeyError, TypeError, ValueError):
        return ""
    said = [_count(imu_cycles, "IMU cycle") if imu_cycles and not n_cycles else _count(n_cycles, "cycle"),
            _count(n_thrusts, "thrust")]
    if summary.get("audio"):
        said.append(_count(n_pops, "pop"))
    return ", ".join(said)


def check_options(args: argparse.Namespace) -> None:
    """One line naming --duration when it is not a time a recording can be asked to last: not
    finite, not positive, or beyond :data:`MAX_DURATION_S` (a typo such as 1e9 would record
    until Ctrl-C, as if none were given); one naming --trainee given empty or only spaces (a
    shell variable left unset: the recording would name nobody, or a played session's trainee)."""
    if args.trainee is not None and not args.trainee.strip():
        raise InputError(f"--trainee {args.trainee!r}: no name given; give who practises, e.g. --trainee Anna, "
                         f"or leave --trainee out")
    d = args.duration
    if d is not None and not (math.isfinite(d) and 0 < d <= MAX_DURATION_S):
        raise InputError(f"--duration {d:g}: give a positive number of seconds up to {MAX_DURATION_S:g} (a day), "
                         f"or leave it out and stop with Ctrl-C")


def run(args: argparse.Namespace) -> int:
    stopping = {"now": False}

    def stop_soon(*_):
        stopping["now"] = True

    old: dict = {}
    try:
        # from the start: a Ctrl-C while the analysis loads and the device is opened (seconds on a
        # busy machine) is a stop before the first sample, said, not an exit with status 130
        for s in (signal.SIGTERM, signal.SIGINT):
            old[s] = signal.signal(s, stop_soon)
        return _record(args, stopping)
    finally:
        # only now, once its closing lines are said: a Ctrl-C pressed again while the recording is
        # closed (an impatient second press) is the same stop; it broke into the closing (the
        # session left unfinished), or into the closing lines (exit 130, the 'recorded' line unsaid);
        # one as the program's own handler is given back is only noted (it ended it with status 130)
        give_back_ctrl_c(old)


def _record(args: argparse.Namespace, stopping: dict) -> int:
    """The recording ``run`` makes; ``stopping["now"]`` is set by Ctrl-C or SIGTERM."""
    scheme, thrust = build_schemes(args)
    if not args.out.strip():                        # (Path("") is the current folder)
        raise InputError("--out: give the name of a new session folder, e.g. sessions/anna")
    if args.out == "-":                             # (a pipeline's standard output; a folder named - was made)
        raise InputError("--out -: a session is a folder, not standard output; give its name, e.g. sessions/anna "
                         "(./- for a folder named -)")
    out = Path(args.out)
    _check_out(out)
    check_options(args)
    check_microphone(args)
    # (loaded here: it brings the analysis and scipy, a second, which 'gradecoach help' and the
    # other commands, building their parser with this one's, do not need)
    from firmware_bridge import recorder
    said: set[str] = set()

    def tell(s: str) -> None:
        print(s, file=sys.stderr, flush=True)

    def warn(s: str) -> None:                       # problems are said even with --quiet
        said.add(s)
        tell(s)

    say = (lambda s: None) if args.quiet else tell  # (status lines: not kept in ``said``)
    if args.device.startswith("file:"):
        refuse_folder_of_sessions(args.device[len("file:"):], "--device file:")
    src = open_source(args.device)
    _check_sensor_data(src, args.device)
    # a played session's own sound is recorded with its force, on their one timeline, as the
    # trainer plays it: a microphone asked for as well is not turned on
    refused = mic_refused(src, "another --device to use the microphone") if args.audio != "none" else None
    if stopping["now"]:
        print(f"stopped before {args.device} was opened; nothing recorded")
        return 0
    src.open()
    w = audio = res = None
    no_mic: list[str] = []                      # why the microphone asked for was not recorded
    try:
        pending = recorder.first_chunks(src, FIRST_DATA_S, stop=lambda: stopping["now"])
        if not pending and stopping["now"]:
            print(f"stopped before {args.device} sent any sample; nothing recorded")
            return 0
        if not pending:
            raise DeviceError(f"{args.device}: {src.silent(FIRST_DATA_S)}")
        scheme = recorder.scheme_from_device(scheme, src, warn)
        # a played session's own alpha, minimum amplitude and pop window, as it was graded (kept in session.json)
        given = frozenset(n for n in ("alpha", "min_amplitude", "pop_window") if getattr(args, n) is not None)
        scheme, _ = recorder.scheme_from_played(scheme, src, given=given)
        thrust, _ = recorder.thrust_from_played(thrust, src, given=given)     # (and its pop window)
        target = args.target or src.info.get("target")      # (a played session's own)
        detail = None if args.target else recorder.played_target_detail(src)   # (its corridors, pacer rate)
        if target and not args.target:
            try:
                scheme = scheme.with_target(target)
            except InputError as e:
                warn(f"{args.device}: its target is not used ({e})")
                target = None
        if target:                                  # ('hvla', 'iv': stored 'V', 'IV', as the trainer stores it)
            from ui.trainer.target import Target
            target = Target.parse(target).text
        try:
            alone = recorder.imu_alone(src, pending)    # (no force.csv for a worn IMU alone)
            trainee, technique, _ = recorder.played_names(src, (args.trainee or "").strip(),
                                                          args.technique)      # (a played session's)
            w = SessionWriter(out, recorder.new_meta(src, scheme, trainee, technique, target, thrust,
                                                            detail),
                              imu=alone or bool(src.info.get("has_imu")), force=not alone, new=True)
        except FileExistsError:                     # (another record given this --out, at once)
            raise InputError(f"--out {out}: a session is already there (another recording took the folder "
                             f"first); choose a new folder") from None
        except OSError as e:
            raise InputError(f"--out {out}: cannot write there ({e.strerror or e})") from None
        say(f"recording {src.info.get('name', args.device)} to {out}; Ctrl-C to stop")
        if refused:
            warn(refused)
        else:
            audio = _audio(args.audio, out, src.t0_host_s, warn, no_mic)
        try:
            res = recorder.record(src, w, scheme, args.duration, status=say, stop=lambda: stopping["now"],
                                  thrust=thrust, pending=pending, audio=audio, notice=warn,
                                  verdict=live_verdict(scheme, target, w.meta.extra.get("target_detail")))
        except OSError:
            if w.broken is None:                    # (not the folder's: not ours to word)
                raise
    finally:
        src.close()
        if audio is not None:
            info = None
            try:
                if w is not None and w.broken is not None:
                    audio.abandon()                 # (its file as the disk holds it)
                else:
                    info = audio.close()
            except RuntimeError as e:               # (libsndfile refusing the file's end: a full disk)
                if w is None:
                    raise
                w.sound_refused(audio.path, e)
                audio.abandon()
            if w is not None and info:
                w.meta.streams["audio"] = info
        failed = sys.exc_info()[1]              # (an error on its way out: the recording is cut)
        if w is not None and w.broken is None:
            if no_mic:                              # (a microphone was asked for: kept with why not)
                w.meta.extra["audio_not_recorded"] = {"device": args.audio, "why": no_mic[0]}
            recorder.finish_meta(w, src, res)
            try:
                w.close(rate_hz=src.info.get("rate_hz") or None)
                if isinstance(failed, Exception):
                    _mark_cut(w, failed)
            except OSError:
                if w.broken is None:
                    raise
        if w is not None and w.broken is not None:
            w.abandon()
    if w.broken is not None:
        raise InputError(_write_failed(out, w))
    gaps = f", {len(res.gaps)} gap{'s' if len(res.gaps) != 1 else ''} marked" if res.gaps else ""
    lost = (f"; the device was lost at {res.lost_at_s:.1f} s and not back by the end"
            if res.lost_at_s is not None else "")
    note = audio.loss_note() if audio is not None else None
    clipped = audio.clipping_note() if audio is not None else None
    # (a sound not placed in time is a warning of the analysis, said below with the others)
    fast = audio.rate_note() if audio is not None and res.unplaced is None else None
    summary, imu_cycles, events = _stored(out)      # (events.jsonl read once)
    found = found_counts(summary, imu_cycles)
    # how it did against its target, as the library will score it: last, so that the line
    # still begins with what was recorded
    score = (target_score(events, w.meta.target, scheme, w.meta.extra.get("target_detail"))
             if w.meta.target and summary is not None else None)
    print(f"recorded {_count(res.samples, 'sample')}{f' ({found})' if found else ''} to {out}{gaps}{lost}"
          + (f"; {note}" if note else "")
          + (f"; no audio: {getattr(args, 'audio_option', '--audio')} {args.audio} was not recorded "
             f"({no_mic[0]})" if no_mic else "")
          + (f"; {score}" if score else ""))
    # what the analysis found (sound read as silence, a reversed sensor ...), as replay says it,
    # naming the session folder as replay names its file (two recordings at once: which one?); a
    # warning already said while recording is not said again
    from ui.cmd_replay import naming

    found_lines = [fast, clipped] + [str(w) for w in (summary or {}).get("warnings") or []]
    for line in dict.fromkeys(w for w in found_lines if w):     # (replay of the folder says the clipping too)
        if line not in said:
            warning_line(naming(line, str(out)))
    return 0
