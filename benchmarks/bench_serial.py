"""Serial through a pseudo-terminal: lost samples, decode cost per sample, event latency.

    python benchmarks/bench_serial.py [--minutes 10] [--rates 1000 2000] [--line]

The emulator (``gradecoach emulate``, its own process, like a real device) streams the ``mixed``
scenario in real time on a pty; the serial source reads it through pyserial, decodes it and maps device time to the host timeline; the analysis runs on
the consumer thread as in ``gradecoach record``. Figures:

* lost samples: jumps in the chunks' device sequence numbers, plus the source's own counters;
* decode cost: reader-thread CPU time spent in the decoder and clock mapping, per sample, and
  the binary decoder alone on the same kind of frames;
* latency, for cycle and thrust events: host time at which the consumer has the event minus the
  host-timeline time of the sample that decided it (``t_detect_s``, its device time mapped to the
  host), i.e. deciding sample's device time → event at the consumer. The analysis's own wait for
  that sample (after a cycle's end or a thrust's peak: ``bench_force.py``) comes before it and is
  not in it;
* transport: chunk handed to the consumer minus its last sample's time.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.pipeline import Analyzer  # noqa: E402
from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.protocol import binary  # noqa: E402
from firmware_bridge.serial_source import SerialSource  # noqa: E402


def timed_decode(src: SerialSource) -> dict:
    """Wrap the source's decode step to add up the reader thread's time in it."""
    box = {"s": 0.0}
    inner = src._decode

    def wrapped(data: bytes, t_host: float) -> None:
        t = time.thread_time()          # CPU time: waiting for the GIL is not decoding
        inner(data, t_host)
        box["s"] += time.thread_time() - t

    src._decode = wrapped
    return box


def decoder_alone_us(n: int = 200_000, per_frame: int = 10) -> float:
    y = np.random.default_rng(0).normal(50, 10, n)
    frames = b"".join(binary.encode_samples(i, i * 1000, 1000, y[i:i + per_frame]) for i in range(0, n, per_frame))
    dec = binary.BinaryDecoder()
    t = time.perf_counter()
    for k in range(0, len(frames), 4096):
        dec.feed(frames[k:k + 4096])
    return (time.perf_counter() - t) / n * 1e6


def source_path_alone_us(n: int = 60_000, per_frame: int = 10) -> float:
    """The serial source's whole decode path (decoder, clock, chunks) on one thread, no port."""
    src = SerialSource("unused")
    y = np.random.default_rng(0).normal(50, 10, n)
    frames = [binary.encode_samples(i, i * 1000, 1000, y[i:i + per_frame]) for i in range(0, n, per_frame)]
    t = time.thread_time()
    for k, f in enumerate(frames):
        src._decode(f, k * per_frame * 1e-3 + 5e-4)
        if src._q.qsize() > 1000:
            src.read(0)
    return (time.thread_time() - t) / n * 1e6


def run(rate: float, seconds: float, line: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        link = Path(d) / "s.pty"
        cmd = [sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "mixed",
               "--rate", str(rate)] + (["--line"] if line else [])
        em = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        em.stdout.readline()                      # "emulating ..." once the link exists
        src = SerialSource(str(link))
        spent = timed_decode(src)
        src.open()
        a = Analyzer(GradingScheme(40, 120))
        seqs, lat, transport = [], [], []
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            for c in src.read(0.1):
                now = src.now_s()
                transport.append(1000 * (now - c.t_s[-1]))
                seqs.append(np.arange(c.seq0, c.seq0 + len(c)))
                for e in a.feed(c):
                    if e.TYPE in ("cycle", "thrust"):
                        lat.append(1000 * (src.now_s() - e.t_detect_s))
        src.close()
        em.send_signal(signal.SIGTERM)
        sent = em.communicate(timeout=10)[0].strip()
    seq = np.concatenate(seqs)
    lost = int((np.diff(seq) - 1).sum())
    lat, transport = np.array(lat), np.array(transport)
    kind = "line" if line else "binary"
    print(f"{rate:.0f} Hz {kind} for {seconds / 60:.1f} min: {len(seq)} samples, lost {lost} "
          f"(source: dropped {src.stats.dropped}, CRC/bad {src.stats.crc_errors}); emulator: {sent}")
    print(f"  reader decode + clock mapping, live {spent['s'] / len(seq) * 1e6:.2f} us/sample (CPU time, "
          f"sharing 2 cores with the analysis and the emulator); same path alone {source_path_alone_us():.2f} "
          f"us/sample; binary decoder alone {decoder_alone_us():.2f} us/sample")
    print(f"  deciding sample's device time -> event at the consumer p50 {np.median(lat):.1f} ms, "
          f"p99 {np.percentile(lat, 99):.1f} ms, max {lat.max():.1f} ms (n={len(lat)} cycle and thrust events)")
    print(f"  transport (sample time -> consumer) p50 {np.median(transport):.1f} ms, "
          f"p99 {np.percentile(transport, 99):.1f} ms; fitted clock drift {src._clock_map.drift * 1e6:+.0f} ppm")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0, help="per rate (default 10)")
    ap.add_argument("--rates", type=float, nargs="+", default=[1000.0, 2000.0])
    ap.add_argument("--line", action="store_true", help="the ASCII line protocol instead of binary frames")
    a = ap.parse_args()
    for rate in a.rates:
        run(rate, a.minutes * 60, a.line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
