"""Speed, latency and memory of the force analysis.

    python benchmarks/bench_force.py [--hours 1.0]

Prints:
* decision latency of cycle events (t_detect_s - t_end) and thrust events (t_detect_s - t_peak)
  over the committed fixtures, in data time (what a trainee waits beyond the filter's own delay
  is included: the event can only be decided once the deciding sample has arrived);
* the same for cycle events by grade and rate, on sets made by the simulator (three seeds of ten
  cycles each, 500 Hz, its default noise and tremor): slow cycles of a small amplitude have flat
  troughs, which take longest to tell from noise;
* per-chunk processing time for 10 ms chunks at 1 kHz (p50/p99/max);
* memory while streaming a simulated hour in 10 ms chunks (RSS every 10 simulated minutes);
* whole-process ``gradecoach replay`` of a 1-hour 1 kHz CSV (wall time, x real time, peak RSS), and of
  the same CSV with a torn last line, as a crashed recording leaves it (should cost about the same).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.chunk import Chunk  # noqa: E402
from analysis.pipeline import Analyzer  # noqa: E402
from analysis.scheme import GradingScheme  # noqa: E402
from benchmarks.fixture_set import committed, header  # noqa: E402
from firmware_bridge.replay import analyze_input, load_input  # noqa: E402
from firmware_bridge.simulator import Noise, Sim, technique  # noqa: E402
from firmware_bridge.scenarios import scenario_signal  # noqa: E402
from firmware_bridge.session import write_force_csv  # noqa: E402


def latencies() -> None:
    cyc, thr = [], []
    for f in committed():
        h = header(f)
        for e in analyze_input(load_input(f), GradingScheme(h["r1_n"], h["r2_n"])):
            d = e.to_dict()
            if d["type"] == "cycle":
                cyc.append(1000 * (d["t_detect_s"] - d["t_end"]))
            elif d["type"] == "thrust":
                thr.append(1000 * (d["t_detect_s"] - d["t_peak"]))
    for name, v in (("cycle event after cycle end", cyc), ("thrust event after peak", thr)):
        v = np.asarray(v)
        print(f"  {name:30s} n={len(v):4d}  median {np.median(v):6.1f} ms  p95 {np.percentile(v, 95):6.1f} ms"
              f"  max {v.max():6.1f} ms  share <= 100 ms {100 * np.mean(v <= 100):5.1f} %")


def latency_by_grade_and_rate() -> None:
    scheme = GradingScheme(40.0, 120.0)
    for grade in ("I", "II", "III", "IV"):
        parts = []
        for freq in (0.5, 1.0, 2.0):
            v = []
            for seed in (1, 2, 3):
                sim = Sim(40.0, 120.0, seed=seed)
                technique(grade, sim, scheme, freq_hz=freq, cycles=10)
                t, y = sim.sample(500.0, Noise())
                a = Analyzer(scheme, streams=("force",))
                evs = a.feed(Chunk(t, y, 0, "force", 500.0)) + a.finish()
                v += [1000 * (e.t_detect_s - e.t_end) for e in evs if e.TYPE == "cycle"]
            v = np.asarray(v)
            parts.append(f"{freq:g} Hz median {np.median(v):4.0f} ms, max {v.max():5.0f}, "
                         f"{100 * np.mean(v <= 100):3.0f} % <= 100 ms")
        print(f"  grade {grade:3s} " + "; ".join(parts))


def hour_signal(hours: float, rate: float = 1000.0) -> tuple[np.ndarray, np.ndarray]:
    ts, ys, off, seed = [], [], 0.0, 0
    total = hours * 3600
    while off < total:
        t, y, _ = scenario_signal("mixed", rate, seed)
        ts.append(t + off)
        ys.append(y)
        off = ts[-1][-1] + 1 / rate
        seed += 1
    t, y = np.concatenate(ts), np.concatenate(ys)
    keep = t < total
    return t[keep], y[keep]


def chunk_costs_and_memory(t: np.ndarray, y: np.ndarray) -> None:
    a = Analyzer(GradingScheme(40, 120))
    proc = psutil.Process()
    n = 10  # 10 ms at 1 kHz
    costs = np.empty(len(t) // n)
    rss = []
    mark = 600_000
    for i in range(len(costs)):
        c = Chunk(t[i * n:(i + 1) * n], y[i * n:(i + 1) * n], i * n, "force", 1000.0)
        t0 = time.perf_counter()
        a.feed(c)
        costs[i] = time.perf_counter() - t0
        if (i + 1) * n % mark == 0:
            rss.append(proc.memory_info().rss / 2**20)
    c = costs * 1e3
    print(f"  10 ms chunks at 1 kHz: n={len(c)}  p50 {np.percentile(c, 50):.3f} ms  p99 {np.percentile(c, 99):.3f} ms"
          f"  p99.9 {np.percentile(c, 99.9):.3f} ms  max {c.max():.2f} ms")
    if rss:                                        # (none in a run under 10 simulated minutes)
        print("  RSS every 10 simulated minutes (MiB): " + " ".join(f"{r:.1f}" for r in rss))
    if len(rss) > 2:
        print(f"  RSS growth after the first 10 minutes: {rss[-1] - rss[0]:+.1f} MiB")


def whole_replay(t: np.ndarray, y: np.ndarray, torn: bool = False) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "hour.csv"
        write_force_csv(p, t, y)
        if torn:
            with open(p, "a") as fh:
                fh.write(f"{t[-1] + 0.001:.3f}")       # the row being written when the recorder died
        size = p.stat().st_size / 2**20
        # the replay's own peak memory (VmHWM) said at its exit: the ru_maxrss wait4 gives keeps this
        # script's own peak across the child's exec, as a forked child's starts at its parent's
        hwm = Path(d) / "hwm"
        run = ("import runpy, sys\nout = sys.argv[1]\nsys.argv = ['gradecoach', *sys.argv[2:]]\ntry:\n"
               "    runpy.run_module('ui.cli', run_name='__main__')\nfinally:\n"
               "    open(out, 'w').write(next(ln.split()[1] for ln in open('/proc/self/status') "
               "if ln.startswith('VmHWM:')))\n")
        cmd = [sys.executable, "-c", run, str(hwm), "replay", str(p), "--r1", "40", "--r2", "120",
               "--format", "jsonl", "-o", str(Path(d) / "ev.jsonl")]
        best, peak = None, 0.0
        for _ in range(3):
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parent.parent)
            _, status, _ = os.wait4(proc.pid, 0)
            dt = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode:
                raise subprocess.CalledProcessError(proc.returncode, cmd)
            best = dt if best is None else min(best, dt)
            peak = max(peak, int(hwm.read_text()) / 1024)
        last = json.loads(Path(d, "ev.jsonl").read_text().splitlines()[-1])
        dur = t[-1] - t[0]
        what = "with a torn last line " if torn else ""
        print(f"  replay of {dur / 3600:.2f} h at 1 kHz {what}({len(t)} rows, {size:.0f} MiB CSV): best of 3 {best:.2f} s"
              f" = {dur / best:.0f}x real time; peak RSS {peak:.0f} MiB; {last['n_cycles']} cycles, {last['n_thrusts']} thrusts")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hours", type=float, default=1.0, help="length of the long recording replayed for speed and memory [1.0]")
    a = ap.parse_args()
    print("decision latency (committed fixtures)")
    latencies()
    print("cycle event after cycle end, simulated sets by grade and rate (3 x 10 cycles each)")
    latency_by_grade_and_rate()
    t, y = hour_signal(a.hours)
    print(f"streaming {a.hours:g} h in 10 ms chunks")
    chunk_costs_and_memory(t, y)
    print("whole-process replay")
    whole_replay(t, y)
    whole_replay(t, y, torn=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
