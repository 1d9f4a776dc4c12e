"""``gradecoach devices``: serial ports, audio inputs and (with --ble) BLE sensors."""

from __future__ import annotations

import argparse

from analysis.errors import DeviceError

# USB vendor ids of boards a school is likely to use (Espressif, Arduino, Adafruit, SparkFun,
# and the usual USB-serial bridges)
LIKELY_VIDS = {0x303A: "Espressif", 0x2341: "Arduino", 0x239A: "Adafruit", 0x1B4F: "SparkFun",
               0x10C4: "CP210x bridge", 0x1A86: "CH340 bridge", 0x0403: "FTDI bridge"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list serial ports, audio inputs and BLE sensors")
    p.add_argument("--ble", action="store_true", help="also scan for BLE sensors")
    p.add_argument("--timeout", type=float, default=5.0, metavar="S", help="BLE scan time")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from serial.tools import list_ports

    ports = list(list_ports.comports())
    print("serial ports:" if ports else "serial ports: none")
    for p in ports:
        mark = f"  <- likely sensor ({LIKELY_VIDS[p.vid]})" if p.vid in LIKELY_VIDS else ""
        print(f"  serial:{p.device}  {p.description}{mark}")
    try:
        from firmware_bridge.audio import list_inputs
        inputs = list_inputs()
    except (ImportError, OSError):
        inputs = []
    print("audio inputs:" if inputs else "audio inputs: none")
    for i in inputs:
        print(f"  {i['index']}: {i['name']}  {i.get('default_rate_hz', 0):.0f} Hz, {i.get('channels', 1)} ch")
    if args.ble:
        from firmware_bridge.ble import scan
        try:
            found = scan(args.timeout)
        except DeviceError as e:
            print(f"BLE: {e}")
            return 0
        print("BLE sensors:" if found else "BLE sensors: none found")
        for d in found:
            print(f"  ble:{d.get('address')}  {d.get('name')}  {d.get('profile')}  {d.get('rssi')} dBm")
    return 0
