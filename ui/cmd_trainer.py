"""``gradecoach trainer`` (and plain ``gradecoach``): the live trainer window.

With no display (no DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM), or one named that does not
answer, it says so in one line and runs the headless demo replay instead, so the README's run
command works on a server; an emulator scenario named (``--device emulator:hvla``) is replayed
headless in the same way, one pass of it; with a sensor or a recording named (``--device
serial:…``, ``ble:…``, ``file:…``) it says how to read that one without a window (``record``,
``replay``) instead. Its options are checked first: a bad one is its one line, the fallback unsaid.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from analysis.errors import GradecoachError, InputError
from ui.cli import interrupts_held
from ui.display import no_display
from ui.options import add_analysis_args, build_schemes, number, refuse_folder_of_sessions
from ui.qt_check import require_qt
from ui.trainer.target import RATE_HZ

DEFAULT_DEVICE = "emulator:mixed"
SESSIONS_ENV = "GRADECOACH_SESSIONS"    # where recordings go when --sessions is not given (else ./sessions)
LAUNCHER_ENV = "GRADECOACH_LAUNCHER"    # the command gradecoach was started with (./run sets it), for hints
BLUEZ_ASK_S = 3.0                       # how long BlueZ may take to list its adapters before a ble: sensor is
                                        # taken as findable (record then says what its scan finds)


def default_sessions() -> str:
    """--sessions when not given: $GRADECOACH_SESSIONS (~ expanded), else ./sessions."""
    return os.path.expanduser(os.environ.get(SESSIONS_ENV, "").strip()) or "sessions"


def program() -> str:
    """The command to run gradecoach as it was started: ``./run`` (the path of run as it was
    typed) when ./run started it, since ``gradecoach`` is then not on the shell's path."""
    return os.environ.get(LAUNCHER_ENV, "").strip() or "gradecoach"


def sessions_problem(folder: str | os.PathLike) -> str | None:
    """Why recordings cannot go into ``folder`` (a file, a folder that cannot be written, one
    that cannot be made), or None. Said at start: the first recording is not where it is found."""
    p = Path(folder)
    if p.is_dir():
        return None if os.access(p, os.W_OK | os.X_OK) else f"cannot write in {p} (read-only)"
    if p.exists() or p.is_symlink():
        return f"{p} is a file, not a folder" if p.exists() else f"{p} is a link to nothing"
    up = p.absolute().parent
    while not up.exists() and up != up.parent:
        up = up.parent
    if not up.is_dir():
        return f"{up} is a file, not a folder"
    if not os.access(up, os.W_OK | os.X_OK):
        return f"cannot make {p}: cannot write in {up} (read-only)"
    return None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trainer", help="live trainer window (the default command)",
                       description="Practise with live feedback: force plot, grade in large type, thrusts, "
                                   "recording with the space bar.")
    p.add_argument("--device", default=DEFAULT_DEVICE, metavar="SPEC",
                   help="emulator:SCENARIO, serial:PORT[@BAUD], ble:NAME, file:PATH (default emulator:mixed)")
    p.add_argument("--profile", metavar="NAME", help="saved calibration profile to use")
    p.add_argument("--feedback", default="concurrent",
                   choices=("concurrent", "terminal", "faded", "bandwidth", "blind"), help="feedback schedule")
    p.add_argument("--rate", type=number("Hz", "1.5"), metavar="HZ",
                   help=f"metronome rate for the target, {RATE_HZ[0]:g}–{RATE_HZ[1]:g} Hz; without --target, the "
                        f"played session's own target, or else III, is paced")
    p.add_argument("--window", type=number("s", "10"), default=10.0, metavar="S", help="seconds of force shown, 4–60 (10)")
    p.add_argument("--mic", metavar="DEVICE", help="microphone for pops ('default', an index or part of a name; key A turns it on and off); "
                                                    "the trainer starts without one")
    p.add_argument("--trainee", default="", metavar="NAME",
                   help="who practises: written into each recording (key N changes it)")
    p.add_argument("--technique", default="", metavar="TEXT",
                   help="what is practised, e.g. 'PA glide L4': written into each recording (key N)")
    p.add_argument("--sessions", default=None, metavar="DIR",
                   help=f"where recordings go (default ${SESSIONS_ENV}, else ./sessions)")
    add_analysis_args(p, "the calibration the device reports, if it reports one; --profile or key C sets one")
    p.set_defaults(func=run)


def headless_demo(args: argparse.Namespace, why: str = "no display for the trainer window", source=None) -> int:
    """The bundled demo replayed headless in the window's stead; an emulator scenario other than
    the default one (``emulator:hvla``) is replayed instead, one pass of it, with the calibration
    the emulator reports unless --r1/--r2 or a --profile are given, as the window would grade it (``source``: the
    emulator already opened for it, by :func:`check_options`)."""
    from ui import cmd_replay
    ns = argparse.Namespace(input=None, audio=None, format=None, output=None, demo=True,
                            r1=getattr(args, "r1", None), r2=getattr(args, "r2", None),
                            alpha=getattr(args, "alpha", None), target=getattr(args, "target", None),
                            min_amplitude=getattr(args, "min_amplitude", None), audio_start=None,
                            audio_rate=None, pop_window=getattr(args, "pop_window", None))
    device = getattr(args, "device", DEFAULT_DEVICE)
    profile = saved_profile(getattr(args, "profile", None))
    graded = ""
    if profile is not None:                     # graded with it, as the window would be
        ns.r1, ns.r2 = profile.r1_n, profile.r2_n
        graded = f", graded with calibration profile {profile.name!r}"
    if device == DEFAULT_DEVICE:
        print(f"gradecoach: {why}; running the headless demo replay instead{graded}")
        return cmd_replay.run(ns)
    from firmware_bridge.csv_stream import StreamData
    from firmware_bridge.replay import ReplayInput
    from firmware_bridge.sources import open_source

    src = source or open_source(device)         # (one pass of its scenario, made at once)
    t, y = src.streams["force"]
    cal = src.info.get("calibration") or {}
    if ns.r1 is None and ns.r2 is None:         # (the emulator's own, without flags or a profile)
        ns.r1, ns.r2 = cal.get("r1_n"), cal.get("r2_n")
    print(f"gradecoach: {why}; running a headless replay of {device} (one pass of its scenario) instead{graded}")
    return cmd_replay.show(ns, ReplayInput(device, force=StreamData(t, y)), device)


def check_options(args: argparse.Namespace, device: bool = True):
    """One line naming the first option the trainer cannot use (--window, --rate, --target,
    --r1/--r2, --min-amplitude, a --profile not saved, and with ``device`` an emulator's
    --device or a recording's that cannot be read), before a window is opened or the headless
    replay said to stand in for it: the same with a display and without. Returns the emulator
    opened to check it (None for another device, or without ``device``)."""
    import math

    from ui.trainer.buffers import WINDOW_RANGE_S
    lo, hi = WINDOW_RANGE_S
    if not lo <= args.window <= hi:                     # (NaN fails too)
        raise InputError(f"--window {args.window:g}: give {lo:g}–{hi:g} s")
    if args.rate is not None and not (math.isfinite(args.rate) and RATE_HZ[0] <= args.rate <= RATE_HZ[1]):
        raise InputError(f"--rate {args.rate:g}: give {RATE_HZ[0]:g}–{RATE_HZ[1]:g} Hz (the metronome's rate)")
    build_schemes(args, None)                           # (--target, --r1/--r2, --min-amplitude ...)
    if getattr(args, "sessions", None) == "-":          # (a folder named - was made for recordings)
        raise InputError("--sessions -: recordings go into a folder, not standard output; give its name "
                         "(./- for a folder named -)")
    saved_profile(getattr(args, "profile", None))       # (one not saved: the names that are)
    kind = args.device.partition(":")[0] if device else None
    if device:
        from firmware_bridge.sources import open_source
        # (an unknown scenario or rate; a recording missing or not readable; an unknown kind of
        # device, a serial port or BLE sensor not named, a baud rate that is none)
        src = open_source(args.device)
        if kind == "serial":                            # a folder or a file: not a port (as record
            from firmware_bridge.serial_source import not_a_port      # says on opening it)
            if why := not_a_port(src.path):
                raise InputError(f"{src.spec}: {why}")
            if not os.path.lexists(src.path) and "://" not in src.path:     # (as record says it)
                raise InputError(f"{src.spec}: cannot open (no such port; '{program()} devices' lists them)")
        if kind == "ble" and (why := no_bluetooth()) is not None:           # (as record says it)
            raise InputError(f"{src.spec}: no Bluetooth here ({why})")
        return src if kind == "emulator" else None
    return None


def no_bluetooth() -> str | None:
    """Why this machine has no Bluetooth to find a BLE sensor with (no system D-Bus, BlueZ not
    on it, no adapter or none switched on), in the words ``record`` says it in, or None when it
    has, or that cannot be told here. Asks BlueZ only what the scan ``record`` makes asks
    first (its adapters), without scanning."""
    import asyncio
    import sys
    if not sys.platform.startswith("linux"):     # (BlueZ is Linux's; elsewhere the scan tells)
        return None
    try:
        from bleak.backends.bluezdbus import manager

        from firmware_bridge.ble import _radio_errors, _unavailable
    except ImportError:                         # (no Bluetooth support installed: record says so)
        return None

    async def adapter() -> None:
        (await asyncio.wait_for(manager.get_global_bluez_manager(), BLUEZ_ASK_S)).get_default_adapter()
    try:
        asyncio.run(adapter())
    except asyncio.TimeoutError:                # (a D-Bus that does not answer: record's scan tells)
        return None
    except _radio_errors() as e:
        return _unavailable(e)
    return None


def without_window(args: argparse.Namespace, clock=None) -> str:
    """The command that reads the sensor or recording of ``args.device`` without a window: a
    recording is replayed; a sensor is recorded into a new folder under --sessions, named as
    the trainer names its recordings (``record`` needs its --out). The options given that the
    command also takes go with it, so it grades, names and stores as the window would: the
    calibration (a --profile as its --r1/--r2), --alpha, --target, --min-amplitude and
    --pop-window, and for ``record`` --trainee, --technique and --mic."""
    import shlex

    kind, _, rest = args.device.partition(":")
    given = _options_passed(args, recording=kind != "file")
    if kind == "file":
        return shlex.join([program(), "replay", rest, *given])
    from ui.trainer.recording import folder_stamp
    out = Path(getattr(args, "sessions", None) or default_sessions()) / (folder_stamp(clock) if clock else folder_stamp())
    return shlex.join([program(), "record", "--device", args.device, "--out", str(out), *given])


def _options_passed(args: argparse.Namespace, recording: bool) -> list[str]:
    """The trainer's options given in ``args`` as ``record`` (``recording``) or ``replay`` takes
    them: a --profile becomes its --r1 and --r2, which it stands for in the window."""
    def number(v: float) -> str:
        return f"{v:.15g}"

    r1, r2 = getattr(args, "r1", None), getattr(args, "r2", None)
    profile = saved_profile(getattr(args, "profile", None))
    if profile is not None:                     # (the window grades with the profile's)
        r1, r2 = profile.r1_n, profile.r2_n
    pairs = [("--r1", None if r1 is None else number(r1)), ("--r2", None if r2 is None else number(r2))]
    for opt in ("alpha", "min_amplitude", "pop_window"):
        v = getattr(args, opt, None)
        pairs.append(("--" + opt.replace("_", "-"), None if v is None else number(v)))
    pairs.append(("--target", getattr(args, "target", None) or None))
    if recording:
        for opt in ("trainee", "technique"):
            v = (getattr(args, opt, None) or "").strip()
            pairs.append(("--" + opt, v or None))
        pairs.append(("--mic", getattr(args, "mic", None) or None))
    # (a value starting with '-' joined to its option, so it is not read as an option itself)
    return [w for opt, v in pairs if v is not None
            for w in ([f"{opt}={v}"] if v.startswith("-") else [opt, v])]


def saved_profile(name: str | None):
    """The calibration profile saved as ``name`` (None for none named); one not saved is one
    line naming the profiles that are."""
    if not name:
        return None
    from ui.trainer.profiles import load_profiles

    profiles = load_profiles()
    if name not in profiles:
        raise InputError(f"no calibration profile {name!r}; saved: {', '.join(profiles) or 'none'}")
    return profiles[name]


def open_mic(device: str | None, engine):
    """The microphone, or None: a missing one is noted in the status line, never fatal. Its
    audio goes on the source's timeline (ui.trainer.microphone.open_microphone)."""
    if not device:
        return None
    try:
        from ui.trainer.microphone import open_microphone
        return open_microphone(device)
    except ImportError:
        engine.disabled["audio"] = "no audio support installed"
    except GradecoachError as e:
        engine.disabled["audio"] = str(e)
    return None


def pick_calibration(scheme, source, profile: str | None = None):
    """The calibration to practise with: a saved profile, else ``--r1/--r2``, else the device's
    own (an emulator or a sensor that reports one), else none."""
    from ui.trainer.profiles import Calibration

    if profile:
        return saved_profile(profile)
    if scheme.calibrated:
        return Calibration("the command line", scheme.r1_n, scheme.r2_n)
    from ui.trainer.actions import device_calibration
    return device_calibration(source)            # (None when it reports none, or one not usable)


def build(args: argparse.Namespace, start: bool = True):
    """The window with its source and worker (not yet shown)."""
    from dataclasses import replace

    from firmware_bridge.sources import open_source
    from firmware_bridge.recorder import played_names, scheme_from_played, thrust_from_played
    from ui.trainer.actions import source_target
    from ui.trainer.app import ensure_app, setup_logging
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow

    if getattr(args, "sessions", None) is None:
        args.sessions = default_sessions()
    check_options(args, device=False)                   # (the device is opened next)
    source = open_source(args.device)
    scheme, thrust = build_schemes(args, None)
    given = frozenset(n for n in ("alpha", "min_amplitude", "pop_window") if getattr(args, n, None) is not None)
    scheme, taken = scheme_from_played(scheme, source, given=given)     # (a played session's alpha, minimum amplitude)
    thrust, taken_thrust = thrust_from_played(thrust, source, given=given)     # (and its pop window)
    cal = pick_calibration(scheme, source, args.profile)
    target, own = None, None
    if args.target:
        target = Target.parse(args.target, args.rate)
    elif (own := source_target(source, args.rate)) is not None:    # a replayed session's own target
        target = own
    elif args.rate:
        target = Target("III", "", args.rate)
    trainee, technique, named = played_names(source, args.trainee.strip(), args.technique.strip())   # (a played session's)
    log_path = setup_logging()
    ensure_app()
    engine = Engine(replace(scheme, target_grade=None, target_modifier=None), thrust)
    refused = TrainerWindow.mic_refused(source) if args.mic else None     # (a recording with its own sound)
    worker = AcquisitionWorker(source, engine, mic=None if refused else open_mic(args.mic, engine))
    win = TrainerWindow(engine, worker, window_s=args.window, target=target, calibration=cal,
                        feedback=args.feedback, record_root=Path(args.sessions), log_path=log_path,
                        trainee=trainee, technique=technique)
    win.mic_device = args.mic
    if (why := sessions_problem(args.sessions)) is not None:     # (said now, not on the first Space)
        import logging
        said = f"--sessions {args.sessions}: {why}; recordings cannot be saved (give another --sessions)"
        logging.getLogger("gradecoach.trainer").warning(said)
        win.statusBar().showMessage(said)
    if refused:
        win.statusBar().showMessage(refused, 15000)
        win.mic_wanted = True                           # (on once a source without sound is chosen)
    # (it goes when another source is chosen, as the III that --rate alone gives does, for the
    # played session's own target at that rate)
    win.target_from_source = own is not None or (not args.target and bool(args.rate))
    win.rate_given = args.rate
    win.trainee_from_source = set(named)              # (so do the names taken from it)
    win.scheme_from_source, win.scheme_given, win.thrust_from_source = taken, given, taken_thrust
    if start:
        worker.start()
    return win


def run(args: argparse.Namespace) -> int:
    if args.sessions is None:
        args.sessions = default_sessions()
    if args.device.startswith("file:"):          # (said before the headless demo stands in for it too)
        refuse_folder_of_sessions(args.device[len("file:"):], "--device file:")
    why = no_display("the trainer window")
    if why is not None:
        emulator = check_options(args)          # (a bad option is said alone, the fallback unsaid)
        if (problem := sessions_problem(args.sessions)) is not None:
            raise InputError(f"--sessions {args.sessions}: {problem}; recordings could not be saved")
        if args.device.partition(":")[0] != "emulator":
            # a sensor or recording named: the demo would stand in for it unasked; (its spec
            # was checked above as record checks it: the command given runs)
            raise InputError(f"--device {args.device}: {why}; to read it without a window: {without_window(args)}")
        if args.mic:                            # (the replay plays the recording's own sound, if any)
            print(f"gradecoach: --mic {args.mic}: no microphone is used by the headless replay")
        return headless_demo(args, why, emulator)
    # a Ctrl-C while Qt is loaded and the window made is noted, and closes the window once it is
    # up: raised there, inside Qt's start, it aborted the program, hung it or was a traceback
    with interrupts_held():
        require_qt()
        from PySide6.QtWidgets import QApplication

        from ui.trainer.app import install_excepthook
        win = build(args)
        install_excepthook(win)
    win.show()
    return QApplication.instance().exec()
