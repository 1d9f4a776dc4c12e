"""``gradecoach record``: record a session folder from a live device, headless."""

from __future__ import annotations

import argparse
import signal
import sys

from firmware_bridge.recorder import new_meta, record
from firmware_bridge.session import SessionWriter
from firmware_bridge.sources import open_source
from ui.options import add_analysis_args, build_schemes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("record", help="record a session from a device")
    p.add_argument("--device", required=True, metavar="SPEC",
                   help="serial:PATH[@BAUD], ble:NAME, emulator[:SCENARIO], file:PATH")
    p.add_argument("--out", required=True, metavar="DIR", help="session folder to create")
    p.add_argument("--duration", type=float, metavar="S", help="stop after this many seconds of data")
    p.add_argument("--trainee", default="")
    p.add_argument("--technique", default="")
    add_analysis_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scheme, _ = build_schemes(args)
    src = open_source(args.device)
    stopping = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stopping.update(now=True))
    src.open()
    w = SessionWriter(args.out, new_meta(src, scheme, args.trainee, args.technique, args.target))
    try:
        counts = record(src, w, scheme, args.duration, status=lambda s: print(s, file=sys.stderr, flush=True),
                        stop=lambda: stopping["now"])
    except KeyboardInterrupt:
        counts = {"samples": w.n_force}
    finally:
        src.close()
        w.close(rate_hz=src.info.get("rate_hz") or None)
    print(f"recorded {counts['samples']} samples to {args.out}")
    return 0
