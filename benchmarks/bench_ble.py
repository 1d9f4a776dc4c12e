"""Cost of the BLE notification callback's work, per sample and per notification.

    python benchmarks/bench_ble.py [--seconds 60]

For each supported profile, a generated notification stream (firmware_bridge.ble_record) is
decoded and placed on the host timeline exactly as ``BleSource``'s callback does (decode,
timeline, chunk), on one core, and the time is printed. The radio is not part of it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.chunk import Chunk  # noqa: E402
from firmware_bridge import ble_profiles as bp  # noqa: E402
from firmware_bridge import ble_timeline as bt  # noqa: E402
from firmware_bridge.ble_record import FIXTURES, synthesize  # noqa: E402


def callback_cost(name: str, seconds: float) -> tuple[int, int, float]:
    """(notifications, samples, seconds of CPU) for ``seconds`` of the fixture's device."""
    spec = dict(FIXTURES[name], duration_s=seconds)
    _, records = synthesize(**spec)
    prof = bp.PROFILES[spec["profile"]]()
    tl = bt.Timeline(prof.clock_wrap_us, prof.seq_modulus)
    n = 0
    t0 = time.perf_counter()
    for t_host, _, data in records:
        for b in prof.decode(data):
            p = tl.place(b, t_host)
            Chunk(p.t_s, b.values, p.seq0, b.stream, p.rate_hz)
            n += len(b.values) if b.stream == "force" else 0
    return len(records), n, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="device seconds per profile")
    a = ap.parse_args()
    print(f"{'stream':<22} {'rate_hz':>8} {'notif':>7} {'samples':>8} {'us/sample':>10} {'us/notif':>9} {'cpu %':>6}")
    for name, spec in FIXTURES.items():
        try:
            notes, samples, cpu_s = callback_cost(name, a.seconds)
        except ImportError as e:
            print(f"{name:<22} skipped ({e})")
            continue
        print(f"{name:<22} {spec['rate_hz']:>8g} {notes:>7} {samples:>8} {cpu_s / samples * 1e6:>10.2f} "
              f"{cpu_s / notes * 1e6:>9.1f} {cpu_s / a.seconds * 100:>6.2f}")


if __name__ == "__main__":
    main()
