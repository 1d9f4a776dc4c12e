"""How far the sound's stamps stray from the host's timeline: ``firmware_bridge.audio.AudioClock``
on simulated block arrivals (this machine has no sound card), a card some ppm off its nominal
48 kHz, 10 ms blocks each arriving up to some ms late, and the first blocks of the stream later
still (a stream's first callbacks, or an interpreter busy as the window opens).

    .venv/bin/python benchmarks/bench_audio_clock.py

Printed for each case: the stamp error (stamped time less true time) of the sample one minute and
one hour in, with the measured rate and with the nominal one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from firmware_bridge.audio import AudioClock  # noqa: E402

RATE = 48000.0
BLOCK = 480
CASES = (   # ppm, each block up to (s) late, the first blocks' extra lateness (s), for how long (s)
    (50.0, 0.002, 0.0, 0.0),
    (50.0, 0.010, 0.0, 0.0),
    (-120.0, 0.005, 0.0, 0.0),
    (50.0, 0.002, 0.005, 0.010),
    (50.0, 0.002, 0.030, 0.5),
    (50.0, 0.010, 0.030, 0.5),
)


def stamp_errors_ms(ppm: float, jitter_s: float, start_late_s: float, start_s: float,
                    measured: bool) -> tuple[float, float]:
    """Stamp errors (ms) one minute and one hour in."""
    rng = np.random.default_rng(0)
    true_hz = RATE * (1 + ppm * 1e-6)
    clock = AudioClock(RATE, 0.0, settle_s=5.0 if measured else float("inf"))
    out = []
    marks = iter((60.0, 3600.0))
    mark = next(marks)
    for k in range(int(3600 * true_hz / BLOCK) + 2):
        due = (k + 1) * BLOCK / true_hz
        late = rng.uniform(0.0, jitter_s) + (start_late_s if due <= start_s + 1e-9 else 0.0)
        t = clock.stamp(BLOCK, due + late)
        if k * BLOCK / true_hz >= mark:
            out.append(1e3 * (t[0] - k * BLOCK / true_hz))
            mark = next(marks, np.inf)
    return out[0], out[1]


def main() -> int:
    print(f"audio clock, {RATE / 1e3:g} kHz nominal, {1e3 * BLOCK / RATE:g} ms blocks (simulated arrivals): "
          f"stamp error at 1 min and 1 h")
    for ppm, jitter, late, span in CASES:
        first = (f", the blocks of the first {1e3 * span:g} ms {1e3 * late:g} ms later still" if late else "")
        m1, m60 = stamp_errors_ms(ppm, jitter, late, span, True)
        n1, n60 = stamp_errors_ms(ppm, jitter, late, span, False)
        print(f"  {ppm:+g} ppm, blocks up to {1e3 * jitter:g} ms late{first}: measured rate "
              f"{m1:+.2f} / {m60:+.2f} ms, nominal rate {n1:+.2f} / {n60:+.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
