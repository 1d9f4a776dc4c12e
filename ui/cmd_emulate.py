"""``gradecoach emulate``: a pseudo-terminal that behaves like the reference sensor.

    gradecoach emulate --link ./sensor.pty --scenario mixed --rate 1000 [--line] [--baud 115200]

Any client opens the link as a serial port (``gradecoach record --device serial:./sensor.pty``).
Runs until Ctrl-C or SIGTERM; ``--truth FILE`` then writes the scenario's ground truth
(cycles with grades, thrusts; device seconds) as JSON lines: the events that ended by the last
sample it sent. The file is opened before the
sensor starts, so a path that cannot be written is refused at once; an existing file is only
replaced when it is such a truth file. A link another emulator serves is refused in one line
(the other goes on serving it); a link removed or pointed elsewhere while it runs (another
program took the name) stops it with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import sys
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge import json_text
from firmware_bridge.emulator import MAX_RATE_HZ, MIN_BINARY_RATE_HZ, LinkBusy, PtyEmulator, rate_error
from firmware_bridge.scenarios import SCENARIOS
from ui.cli import give_back_ctrl_c, pressed_before
from ui.options import NUMBERS_HELP, number, output_path, refuse_file_as_folder, with_examples

LINK_CHECK_S = 0.5                    # how often the link is checked to still lead to the emulator


# faster, nearly every sample is lost on the way (a client reads a few thousand frames a second),
# and a speed near the largest float overflowed the emulator's buffer size
MAX_SPEED = 1000.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("emulate", help="emulate a sensor on a pseudo-terminal", **with_examples(
        "Serve an emulated force sensor (the reference firmware's protocol) on a pseudo-terminal, reached "
        "through the link --link makes: anything that opens a serial port can read it, as from a real "
        "sensor. Runs until Ctrl-C, then says how many samples it sent.",
        "gradecoach emulate --link ./sensor.pty --scenario mixed --rate 1000",
        "gradecoach record --device serial:./sensor.pty --out sessions/cara --duration 5"
        "   # in another terminal, meanwhile"))
    p.description += " " + NUMBERS_HELP          # (what its numbers may be written as)
    p.add_argument("--link", required=True, metavar="PATH", help="symlink to create, e.g. ./sensor.pty")
    p.add_argument("--scenario", default="mixed", choices=list(SCENARIOS),
                   help="what the emulated trainee does: one grade (grade1 ... grade4; III and IV with a "
                        "modifier too, grade3+, grade4-- ..., the crests at its place in R1-R2 of the "
                        "calibration the sensor reports), thrusts (hvla), or a bit of everything (mixed, the default)")
    p.add_argument("--rate", type=number("Hz", "1000"), default=1000.0, metavar="HZ",
                   help=f"sample rate (default 1000; {MIN_BINARY_RATE_HZ:.2f}..{MAX_RATE_HZ:g} Hz, "
                        f"slower only with --line)")
    p.add_argument("--line", action="store_true", help="ASCII 't_ms,force' lines instead of binary frames")
    p.add_argument("--baud", type=number(None, "115200", whole=True), metavar="BAUD",
                   help="limit the byte rate like a UART at this baud rate (default: native USB, no limit)")
    p.add_argument("--speed", type=number(None, "10"), default=1.0, metavar="X",
                   help=f"run this many times faster than real time (up to {MAX_SPEED:g}); a recording of it "
                        f"keeps the sensor's own times, so --duration 30 takes 30/X seconds")
    p.add_argument("--seed", type=number(None, "1", whole=True), default=0, help="scenario random seed")
    p.add_argument("--truth", metavar="FILE",
                   help="write the ground truth here (JSON lines) on exit: the events that ended by the last "
                        "sample sent; an existing file is only "
                        "replaced when it is a truth file written by emulate")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.link.strip():                   # (Path("") is the current folder)
        raise InputError("--link: give the name of the link to make, e.g. ./sensor.pty")
    if args.link == "-":                        # (a link named - was made in the current folder)
        raise InputError("--link -: the link is a name in a folder, not standard output; give it a name, e.g. "
                         "./sensor.pty (./- for a link named -)")
    link = Path(args.link)
    refuse_file_as_folder(link, "--link")
    if not link.parent.is_dir():
        raise InputError(f"--link {args.link}: folder {link.parent} does not exist")
    if link.exists() and not link.is_symlink():
        what = "a folder" if link.is_dir() else "a file"
        raise InputError(f"--link {args.link}: {what} of that name exists; choose another name")
    if (why := rate_error(args.rate, args.line)) is not None:
        raise InputError(f"--rate {why}")
    if not 0 < args.speed <= MAX_SPEED:             # (NaN fails too)
        raise InputError(f"--speed {args.speed:g}: give a positive number up to {MAX_SPEED:g} (1: real time)")
    if not 0 <= args.seed < 2 ** 32:
        raise InputError(f"--seed {args.seed}: give a whole number from 0 to {2 ** 32 - 1}")
    if args.baud is not None and args.baud <= 0:
        raise InputError(f"--baud {args.baud}: give a positive baud rate, e.g. 115200 (or leave it out: no limit)")
    em = PtyEmulator(link, args.scenario, args.rate, line=args.line, speed=args.speed, seed=args.seed, baud=args.baud)
    # Ctrl-C and SIGTERM only say "stop", from before the emulator starts until it has stopped and
    # said so: one that came between its start and these handlers left its link behind, --truth
    # unwritten and no 'sent' line; one pressed again while it stopped and wrote --truth broke into
    # it. SIGINT ignored (a job started in the background) stays ignored. The handler takes no
    # lock (a threading.Event set from it hung the program when the press came as the loop below
    # woke: the Event's lock was held): it writes to a pipe the loop waits on.
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    stopped = []

    def stop(*_) -> None:
        if not stopped:
            stopped.append(True)
            try:
                os.write(wake_w, b"\0")
            except OSError:
                pass

    stops = [signal.SIGTERM] + ([signal.SIGINT] if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN else [])
    old: dict = {}
    truth = None
    lost = False
    try:
        for s in stops:
            old[s] = signal.signal(s, stop)
        if pressed_before(old.get(signal.SIGINT)):     # (before the emulator started: nothing served)
            raise KeyboardInterrupt
        try:
            em.claim()
        except LinkBusy as e:
            raise InputError(f"--link {args.link}: {e.reason}") from None
        truth = open_truth(args.truth) if args.truth else None
        try:
            em.start()
        except OSError as e:            # (a folder that takes no link: read-only, /proc)
            raise InputError(f"--link {args.link}: cannot make the link there ({e.strerror or e})") from None
        kind = "line" if args.line else "binary"
        print(f"emulating a {kind}-protocol sensor ({args.scenario}, {args.rate:g} Hz) on {args.link} "
              f"-> {em.link.resolve()}; Ctrl-C to stop", flush=True)
        while not stopped and not select.select([wake_r], [], [], LINK_CHECK_S)[0]:
            if not em.owns_link():       # removed, or taken by another program: nobody can reach us
                lost = True
                break
        em.stop()
        refused = None
        if truth:
            try:
                with truth:
                    for e in em.truth:
                        truth.write(json.dumps(e) + "\n")
            except OSError as e:         # (a disk that filled up meanwhile): one line, after what it sent
                refused = InputError(f"--truth {args.truth}: cannot be written ({e.strerror or e}); "
                                     f"the ground truth of this run is lost")
        print(sent_line(em.sent, em.lost), flush=True)
        if refused is not None:
            raise refused
    finally:
        em.stop()                        # (again, or after an error: the link is not left behind)
        if truth:
            truth.close()
        # a Ctrl-C from here on, once the emulator said what it sent, is the same stop
        give_back_ctrl_c(old)
        os.close(wake_r)
        os.close(wake_w)
    if lost:
        print(f"gradecoach: emulate: --link {args.link} was removed or now leads elsewhere; "
              f"no client could reach this emulator, so it stopped", file=sys.stderr)
        return 1
    return 0


def sent_line(sent: int, lost: int) -> str:
    """The line emulate ends with: the samples it sent and those lost on the way, with why only
    when some were ("sent 38950 samples (none lost)", "sent 9000 samples (120 lost: nobody
    reading or UART full)"); "0 lost: nobody reading ..." read as the reason for losing none."""
    why = "none lost" if not lost else f"{lost} lost: nobody reading or UART full"
    return f"sent {sent} sample{'s' if sent != 1 else ''} ({why})"


TRUTH_TYPES = ("cycle", "thrust")     # what a scenario's ground truth holds


def is_truth_file(path: Path) -> bool:
    """True when ``path`` holds only what ``--truth`` writes (or nothing): JSON objects of the
    scenario's event types, one a line."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    e = json_text.loads(line)
                    if not isinstance(e, dict) or e.get("type") not in TRUTH_TYPES:
                        return False
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return True


def open_truth(name: str):
    """Open the ``--truth`` file for writing before anything starts, so the run cannot end
    with its truth unwritable; refuse to replace a file that is not an earlier truth file."""
    path = Path(name)
    if path.is_dir():
        raise InputError(f"--truth {name}: that is a folder; give a file name")
    refuse_file_as_folder(path, "--truth")
    if not path.parent.is_dir():
        raise InputError(f"--truth {name}: folder {path.parent} does not exist")
    output_path(path, option="--truth")      # not a recording, nor into a recorded session's folder
    if path.exists() and not is_truth_file(path):
        raise InputError(f"--truth {name}: the file exists and is not a truth file written by emulate; "
                         f"choose another name")
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as e:
        raise InputError(f"--truth {name}: cannot be written ({e.strerror})") from None
