"""``gradecoach emulate``: a pseudo-terminal that behaves like the reference sensor."""

from __future__ import annotations

import argparse
import signal
import threading

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.scenarios import SCENARIOS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("emulate", help="emulate a sensor on a pseudo-terminal")
    p.add_argument("--link", required=True, metavar="PATH", help="symlink to create, e.g. ./sensor.pty")
    p.add_argument("--scenario", default="mixed", choices=sorted(SCENARIOS))
    p.add_argument("--rate", type=float, default=1000.0, metavar="HZ")
    p.add_argument("--line", action="store_true", help="ASCII 't_ms,force' lines instead of binary frames")
    p.add_argument("--speed", type=float, default=1.0, help="faster than real time (for tests)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    em = PtyEmulator(args.link, args.scenario, args.rate, line=args.line, speed=args.speed)
    em.start()
    print(f"emulating a {'line' if args.line else 'binary'}-protocol sensor ({args.scenario}, {args.rate:g} Hz) "
          f"on {args.link}; Ctrl-C to stop", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    em.stop()
    return 0
