"""IMU figures on simulated hand-worn recordings.

    python benchmarks/bench_imu.py [--recordings 12]

Prints the per-cycle displacement amplitude error (median, p90), frequency error, thrust
precision/recall from acceleration (±200 ms of the force peak) and speed at 500 Hz.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.chunk import Chunk  # noqa: E402
from analysis.imu import ImuProcessor  # noqa: E402
from analysis.scheme import GradingScheme  # noqa: E402
from firmware_bridge.imu_sim import imu_signal, imu_truth  # noqa: E402
from firmware_bridge.simulator import Sim, mixed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--recordings", type=int, default=12)
    a = ap.parse_args()
    d_err, f_err, tp, fp, n_truth_th, n_cyc, n_match, dur, cpu = [], [], 0, 0, 0, 0, 0, 0.0, 0.0
    for seed in range(a.recordings):
        sim = Sim(40, 120, seed=100 + seed)
        mixed(sim, GradingScheme(40, 120))
        t, v = imu_signal(sim, 500, seed=seed)
        p = ImuProcessor()
        t0 = time.perf_counter()
        ev = []
        for i in range(0, len(t), 5):          # 10 ms chunks at 500 Hz
            ev += p.feed(Chunk(t[i:i + 5], v[i:i + 5], stream="imu"))
        cpu += time.perf_counter() - t0
        dur += t[-1] - t[0]
        truth = imu_truth(sim)
        cyc = [e for e in ev if e.TYPE == "imu_cycle"]
        for w in (e for e in truth if e["type"] == "imu_cycle"):
            n_cyc += 1
            m = [c for c in cyc if abs(c.t_crest - w["t_crest"]) < 0.25]
            if m:
                n_match += 1
                d_err.append(abs(m[0].displacement_mm / w["displacement_mm"] - 1))
                f_err.append(abs(m[0].freq_hz / w["freq_hz"] - 1))
        th = [e for e in ev if e.TYPE == "thrust"]
        want = [e["t_peak"] for e in truth if e["type"] == "thrust"]
        n_truth_th += len(want)
        hit = sum(any(abs(e.t_peak - w) < 0.2 for e in th) for w in want)
        tp += hit
        fp += len(th) - hit
    d, f = 100 * np.array(d_err), 100 * np.array(f_err)
    print(f"recordings {a.recordings}, {dur / 60:.1f} min of IMU at 500 Hz")
    print(f"cycles matched {n_match}/{n_cyc}")
    print(f"displacement amplitude error: median {np.median(d):.1f} %, p90 {np.percentile(d, 90):.1f} %")
    print(f"frequency error: median {np.median(f):.1f} %, p90 {np.percentile(f, 90):.1f} %")
    print(f"thrusts from acceleration: recall {100 * tp / max(1, n_truth_th):.1f} % ({tp}/{n_truth_th}), "
          f"precision {100 * tp / max(1, tp + fp):.1f} %")
    print(f"speed in 10 ms chunks: {dur / cpu:.0f}x real time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
