"""``gradecoach devices``: serial ports, audio inputs and (with --ble) BLE sensors.

Likely sensors are marked from their USB vendor ids; ``--probe`` asks them what they are (the
reference firmware answers ``identify``, a line-protocol sketch is recognised by its lines).
``--port PATH`` adds a port the system does not list (e.g. an emulator's pseudo-terminal).
"""

from __future__ import annotations

import argparse
import math
import os

from analysis.errors import DeviceError, InputError
from ui.options import NUMBERS_HELP, number, with_examples

# USB vendor ids of boards a school is likely to use (Espressif, Arduino, Adafruit, SparkFun,
# Raspberry Pi, Seeed) and of the usual USB-serial bridges on hobby boards
LIKELY_VIDS = {0x303A: "Espressif", 0x2341: "Arduino", 0x239A: "Adafruit", 0x1B4F: "SparkFun",
               0x2E8A: "Raspberry Pi", 0x2886: "Seeed", 0x10C4: "CP210x bridge", 0x1A86: "CH340 bridge",
               0x0403: "FTDI bridge"}

# how long --ble may scan, in s (a sensor advertises every 20 ms to 10.24 s, the range the
# Bluetooth Core specification allows; a slow one may need a longer scan than the default)
TIMEOUT_RANGE_S = (0.5, 60.0)
BLE_SCAN_S = 5.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list serial ports, audio inputs and BLE sensors", **with_examples(
        "List what a recording can be made from: serial ports (those of boards a school is likely to use "
        "marked as a likely sensor), audio inputs (for --audio and --mic) and, with --ble, Bluetooth LE "
        "sensors nearby. Each is shown as the --device spec or audio input to give.",
        "gradecoach devices",
        "gradecoach devices --ble --timeout 10",
        "gradecoach devices --port ./sensor.pty --probe   # a port the system does not list, e.g. an emulator's"))
    p.description += " " + NUMBERS_HELP          # (what its numbers may be written as)
    p.add_argument("--ble", action="store_true", help="also scan for BLE sensors")
    p.add_argument("--timeout", type=number("s", "10"), default=None, metavar="S",
                   help=f"BLE scan time with --ble, {TIMEOUT_RANGE_S[0]:g}–{TIMEOUT_RANGE_S[1]:g} s "
                        f"(default {BLE_SCAN_S:g})")
    p.add_argument("--probe", action="store_true", help="ask likely sensors what they are")
    p.add_argument("--port", action="append", default=[], metavar="PATH",
                   help="also show (and probe) this port; repeatable")
    p.set_defaults(func=run)


def _described(port) -> str:
    """What the system says of a port; pyserial's "n/a" (a port with nothing known of it, such as
    a computer's built-in /dev/ttyS0) read as if something were attached there."""
    desc = (port.description or "").strip()
    if desc.lower() in ("", "n/a"):
        return "(no description; not a USB device)" if port.vid is None else "(no description)"
    return desc


def _probe(path: str) -> str:
    # (the serial source brings the emulator's and scipy: loaded for a port probed, not for a listing)
    from firmware_bridge.serial_source import probe

    return probe(path)


def serial_lines(probe: bool, extra: list[str], comports=None, prober=None) -> list[str]:
    """The serial section, one line per port."""
    from serial.tools import list_ports

    prober = prober or _probe
    ports = list((comports or list_ports.comports)())
    out = []
    # a port named with --port that the system lists too (/dev/ttyS0, or a link to it) is the
    # listed port's line, probed: not a second line for the same port
    named = {os.path.realpath(path) for path in extra}
    listed = set()
    for p in ports:
        likely = p.vid in LIKELY_VIDS
        ids = f"  [{p.vid:04x}:{p.pid:04x}]" if p.vid is not None else ""
        mark = f"  <- likely sensor ({LIKELY_VIDS[p.vid]})" if likely else ""
        line = f"  serial:{p.device}  {_described(p)}{ids}{mark}"
        real = os.path.realpath(p.device)
        listed.add(real)
        if (probe and likely) or real in named:
            line += f"\n      probe: {prober(p.device)}"
        out.append(line)
    for path in extra:
        if os.path.realpath(path) not in listed:
            listed.add(os.path.realpath(path))
            out.append(f"  serial:{path}\n      probe: {prober(path)}")
    return ["serial ports:"] + out if out else ["no serial ports"]


def audio_lines() -> list[str]:
    try:
        from firmware_bridge.audio import list_inputs
    except ImportError:
        return ["audio: no audio support installed"]
    try:
        inputs = list_inputs()
    except DeviceError as e:                        # (PortAudio missing: as 'record --audio' says it)
        return [str(e)]
    if not inputs:
        return ["no audio inputs"]
    return ["audio inputs:"] + [f"  {i['index']}: {i['name']}  {i.get('default_rate_hz', 0):.0f} Hz, "
                                f"{i.get('channels', 1)} ch" for i in inputs]


def ble_lines(timeout_s: float) -> list[str]:
    try:
        from firmware_bridge.ble import scan
    except ImportError:
        return ["BLE: no Bluetooth support installed"]
    try:
        found = scan(timeout_s)
    except DeviceError as e:
        return [f"BLE: {e}"]
    if not found:
        return ["BLE sensors: none found"]
    return ["BLE sensors:"] + [f"  ble:{d.get('address')}  {d.get('name')}  {d.get('profile')}  {d.get('rssi')} dBm"
                               for d in found]


def run(args: argparse.Namespace) -> int:
    lo, hi = TIMEOUT_RANGE_S
    if args.timeout is not None and not args.ble:
        raise InputError(f"--timeout {args.timeout:g}: it is how long --ble scans for BLE sensors; give --ble "
                         f"too (serial ports and audio inputs are listed at once)")
    if args.timeout is None:
        args.timeout = BLE_SCAN_S
    if not (math.isfinite(args.timeout) and lo <= args.timeout <= hi):
        raise InputError(f"--timeout {args.timeout:g}: give {lo:g}–{hi:g} s of BLE scanning")
    if args.port:                               # (the serial source: for ports named, not for a listing)
        from firmware_bridge.serial_source import not_a_port
    for port in args.port:                      # (named on purpose: not there is an error, not a listing)
        if why := not_a_port(port):
            raise InputError(f"--port {port}: {why}")
        if not os.path.exists(port):
            raise InputError(f"--port {port}: no such port (a link an emulator makes, or a device such as "
                             f"/dev/ttyACM0)")
    lines = serial_lines(args.probe, args.port) + audio_lines()
    if args.ble:
        lines += ble_lines(args.timeout)
    print("\n".join(lines))
    return 0
