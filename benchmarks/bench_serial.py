"""Serial through a pseudo-terminal: lost samples, decode cost per sample, event latency.

    python benchmarks/bench_serial.py [--minutes 10]

The emulator streams in real time at 1 kHz and 2 kHz (binary protocol); the serial source reads
it through pyserial. Latency: host time when a cycle event is produced minus the host time at
which its deciding sample (``t_detect_s``) was due.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.pipeline import Analyzer  # noqa: E402
from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.emulator import PtyEmulator  # noqa: E402
from firmware_bridge.protocol import binary  # noqa: E402
from firmware_bridge.serial_source import SerialSource  # noqa: E402


def run(rate: float, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as d:
        em = PtyEmulator(Path(d) / "s.pty", "mixed", rate)
        em.start()
        src = SerialSource(str(Path(d) / "s.pty"))
        src.open()
        a = Analyzer(GradingScheme(40, 120))
        seqs, lat = [], []
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            for c in src.read(0.1):
                seqs.append(np.arange(c.seq0, c.seq0 + len(c)))
                now = time.monotonic() - src._t0
                for e in a.feed(c):
                    if e.TYPE in ("cycle", "thrust"):
                        lat.append(1000 * (now - e.t_detect_s))
        src.close()
        em.stop()
    seq = np.concatenate(seqs)
    lost = int((np.diff(seq) - 1).sum())
    # decode cost: the same bytes through the decoder alone
    frames = b"".join(binary.encode_samples(i, i * 1000, 1000, np.random.default_rng(0).normal(50, 10, 10))
                      for i in range(0, 200_000, 10))
    dec = binary.BinaryDecoder()
    t1 = time.perf_counter()
    for k in range(0, len(frames), 4096):
        dec.feed(frames[k:k + 4096])
    cost = (time.perf_counter() - t1) / 200_000 * 1e6
    lat = np.array(lat)
    print(f"{rate:.0f} Hz for {seconds:.0f} s: {len(seq)} samples, lost {lost}, sequence gaps {src.stats.dropped}, "
          f"decode {cost:.2f} us/sample, event latency after the deciding sample p50 {np.median(lat):.1f} ms "
          f"p99 {np.percentile(lat, 99):.1f} ms (n={len(lat)})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=10.0)
    a = ap.parse_args()
    for rate in (1000.0, 2000.0):
        run(rate, a.minutes * 60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
