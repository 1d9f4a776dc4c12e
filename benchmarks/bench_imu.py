"""IMU figures on simulated hand-worn recordings (firmware_bridge/imu_sim.py).

    python benchmarks/bench_imu.py [--recordings 12] [--rate 1000] [--jitter 0]

Each recording is the technique simulator's "mixed" session (every grade, thrusts with and
without let-up) worn by a tilted, rolling IMU with offset, noise and tremor, fed in 10 ms chunks.
Prints the per-cycle displacement amplitude error (median, p90) over cycles of at least 0.5 mm,
how many of those were found, the frequency error, thrust precision/recall from acceleration
(IMU onset within 50 ms of the force onset;
the movement's deepest point, reported as t_peak, is compared with the force peak separately), the thrusts' time to peak
error and the error of the hand's movement from onset to peak (the thrust's ``displacement_mm``, and the band-limited
movement between its onset and peak, as a plot of it shows), spurious cycles per minute, and speed.
Timestamps are regular unless ``--jitter`` is given (a BLE link's is 0.3-0.5 of the sample interval).

    python benchmarks/bench_imu.py --pops

prints instead how long the pops tied to an IMU's thrusts (a worn IMU, sound, no force sensor) wait
to be given, live (:func:`pop_latency`).

    python benchmarks/bench_imu.py --peaks --tremor 0.6 --noise 120 [--recordings 30]

prints instead whether the thrusts' peaks, known as soon as the hand has come back from them, are the
deepest points of their whole window, under stronger tremor and noise (:func:`peaks_known`), and in how
many of those recordings the units check took the shaking hand for wrong units.

    python benchmarks/bench_imu.py --ms-times

prints instead how an IMU recording whose times are in ms (under a seconds header) is refused by its
reader, and how long the analysis of such times takes, a short one and 10 minutes at 1 kHz (:func:`ms_times`).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recordings", type=int, default=None, help="how many (12; --peaks: 30)")
    ap.add_argument("--rate", type=float, default=1000.0, help="IMU sample rate in Hz")
    ap.add_argument("--jitter", type=float, default=0.0,
                    help="timestamp jitter as a share of the sample interval (a BLE link's: 0.3-0.5)")
    ap.add_argument("--pops", action="store_true",
                    help="only the live latency of pops tied to an IMU's thrusts (pop_latency)")
    ap.add_argument("--peaks", action="store_true",
                    help="only the thrusts' peaks known early against their whole window's (peaks_known)")
    ap.add_argument("--tremor", type=float, default=0.6, help="--peaks: peak 8-12 Hz tremor, m/s²")
    ap.add_argument("--noise", type=float, default=120.0, help="--peaks: accelerometer noise, µg/√Hz")
    ap.add_argument("--ms-times", action="store_true",
                    help="only the time to replay an IMU recording whose times are in ms (ms_times)")
    a = ap.parse_args()
    if a.ms_times:
        ms_times()
        return 0
    if a.pops:
        pop_latency()
        return 0
    if a.peaks:
        peaks_known(a.tremor, a.noise, a.recordings or 30)
        return 0
    a.recordings = a.recordings or 12
    chunk = max(1, int(round(0.01 * a.rate)))
    d_err, f_err, tp, fp, n_th, n_cyc, n_small, n_match, n_spur = [], [], 0, 0, 0, 0, 0, 0, 0
    dur, cpu, per_chunk = 0.0, 0.0, []
    onset_err, peak_err, n_hit_before = [], [], 0
    ttp_err, moved_err, trace_err = [], [], []
    for seed in range(a.recordings):
        sim = Sim(40, 120, seed=100 + seed)
        mixed(sim, GradingScheme(40, 120))
        t, v = imu_signal(sim, a.rate, seed=seed, jitter=a.jitter)
        p = ImuProcessor()
        ev = []
        t0 = time.perf_counter()
        for i in range(0, len(t), chunk):
            c0 = time.perf_counter()
            ev += p.feed(Chunk(t[i:i + chunk], v[i:i + chunk], stream="imu"))
            per_chunk.append(time.perf_counter() - c0)
        cpu += time.perf_counter() - t0
        dur += t[-1] - t[0]
        truth = imu_truth(sim)
        cyc = [e for e in ev if e.TYPE == "imu_cycle"]
        tc = [w["t_crest"] for w in truth if w["type"] == "imu_cycle"]
        n_spur += sum(not any(abs(c.t_crest - x) < 0.25 for x in tc) for c in cyc)
        for w in (e for e in truth if e["type"] == "imu_cycle"):
            if w["displacement_mm"] < 0.5:
                n_small += 1
                continue
            n_cyc += 1
            m = [c for c in cyc if abs(c.t_crest - w["t_crest"]) < 0.25]
            if m:
                n_match += 1
                d_err.append(abs(m[0].displacement_mm / w["displacement_mm"] - 1))
                f_err.append(abs(m[0].freq_hz / w["freq_hz"] - 1))
        th = [e for e in ev if e.TYPE == "thrust"]
        want = [(e["t_onset"], e["t_peak"], e["displacement_mm"]) for e in truth if e["type"] == "thrust"]
        n_th += len(want)
        t_mv, d_mv = p.displacement(p.t_first, p.t_last, turning_points=False)
        for w in want:
            m = [e for e in th if abs(e.t_onset - w[0]) < 0.05]
            if m:
                onset_err.append(1e3 * abs(m[0].t_onset - w[0]))
                peak_err.append(1e3 * (m[0].t_peak - w[1]))
                ttp_err.append(m[0].time_to_peak_ms - 1e3 * (w[1] - w[0]))
                moved = getattr(m[0], "displacement_mm", None)
                moved_err.append(np.nan if moved is None else 100 * (moved / w[2] - 1))
                # what a plot of the band-limited movement shows between the thrust's marks
                trace = np.interp(m[0].t_peak, t_mv, d_mv) - np.interp(m[0].t_onset, t_mv, d_mv)
                trace_err.append(100 * (trace / w[2] - 1))
        hit = len(onset_err) - n_hit_before
        n_hit_before = len(onset_err)
        tp += hit
        fp += len(th) - hit
    d, f = 100 * np.array(d_err), 100 * np.array(f_err)
    pc = 1e3 * np.array(per_chunk)
    jit = f" (timestamps jittered by ±{a.jitter:g} of a step)" if a.jitter else ""
    print(f"recordings {a.recordings}, {dur / 60:.1f} min of IMU at {a.rate:.0f} Hz{jit}, 10 ms chunks")
    print(f"cycles >= 0.5 mm found {n_match}/{n_cyc} ({100 * n_match / max(1, n_cyc):.1f} %); "
          f"{n_small} smaller cycles not scored")
    print(f"spurious cycles: {n_spur} ({n_spur / (dur / 60):.2f} per minute)")
    print(f"displacement amplitude error: median {np.median(d):.1f} %, p90 {np.percentile(d, 90):.1f} %")
    print(f"frequency error: median {np.median(f):.1f} %, p90 {np.percentile(f, 90):.1f} %")
    print(f"thrusts from acceleration: recall {100 * tp / max(1, n_th):.1f} % ({tp}/{n_th}), "
          f"precision {100 * tp / max(1, tp + fp):.1f} % ({fp} false)")
    print(f"thrust onset error: median {np.median(onset_err):.1f} ms, max {np.max(onset_err):.1f} ms; "
          f"movement peak minus force peak: median {np.median(peak_err):.0f} ms, "
          f"range {np.min(peak_err):.0f}..{np.max(peak_err):.0f} ms")
    te, me, re = np.abs(ttp_err), np.abs(moved_err), np.abs(trace_err)
    print(f"thrust time to peak error: median {np.median(te):.0f} ms, max {np.max(te):.0f} ms "
          f"(signed median {np.median(ttp_err):+.0f} ms)")
    print("thrust movement onset to peak (displacement_mm): " + (
        "not given" if np.isnan(me).all() else
        f"error median {np.nanmedian(me):.1f} %, max {np.nanmax(me):.1f} % (signed median {np.nanmedian(moved_err):+.1f} %)"))
    print(f"band-limited movement between onset and peak: error median {np.median(re):.1f} %, "
          f"max {np.max(re):.1f} % (signed median {np.median(trace_err):+.1f} %)")
    print(f"speed: {dur / cpu:.0f}x real time; per chunk p50 {np.median(pc):.3f} ms, "
          f"p99 {np.percentile(pc, 99):.3f} ms")
    return 0


def pop_latency(seeds: range = range(2, 10), ttp_seeds: range = range(10, 18)) -> None:
    """Live latency of the pops tied to an IMU's thrusts with no force sensor: ``simulate --grade V
    --sets 3 --imu 500 --audio 16000 --seed N`` (times to peak 120 ms; the IMU's thrust peaks as the
    hand's deepest point), and for ``ttp_seeds`` with ``--time-to-peak`` drawn in 60-200 ms; the IMU
    and the sound fed in 10 ms chunks, interleaved as a live source delivers them. Onset → end of
    the chunk that gave the pop, data time; and how many pops were tied to the thrust they were
    simulated for; and when the thrusts were known (:meth:`ImuProcessor.thrusts_begun_by`) and
    given, after their onset and peak."""
    import json

    import soundfile as sf

    from analysis.events import CavitationEvent, ThrustEvent
    from analysis.pipeline import Analyzer
    from ui.cli import main as cli

    known, onset_to_event = [], []           # (known after onset, after peak) s; event after onset

    def run(csv: Path) -> tuple[list[float], int, int]:
        imu = np.loadtxt(csv.with_suffix(".imu.csv"), delimiter=",", skiprows=1)
        x, sr = sf.read(str(csv.with_suffix(".flac")), dtype="float32")
        ta = np.arange(len(x)) / sr
        expected = map(json.loads, csv.with_suffix(".expected.jsonl").read_text().splitlines())
        truth = [(d["t"], d["thrust"]) for d in expected if d["type"] == "cavitation"]
        a = Analyzer(GradingScheme(40.0, 120.0), streams=("imu", "audio"))
        lat, right, n = [], 0, 0
        edges = np.arange(0.0, max(imu[-1, 0], ta[-1]) + 0.02, 0.01)
        ev, at = [], {}                     # (the IMU forgets the times of thrusts no pop can reach)
        for lo, hi in zip(edges[:-1], edges[1:]):
            for name, t, v, r in (("imu", imu[:, 0], imu[:, 1:], 500.0), ("audio", ta, x, float(sr))):
                i, j = np.searchsorted(t, [lo, hi])
                if j > i:
                    ev += [(hi, e) for e in a.feed(Chunk(t[i:j], v[i:j], -1, name, r))]
                    at.update(getattr(a.processors.get("imu"), "known_at", {}))
        ev += [(None, e) for e in a.finish()]
        at.update(getattr(a.processors.get("imu"), "known_at", {}))
        pops = [(hi, e) for hi, e in ev if isinstance(e, CavitationEvent)]
        for e in (e for _, e in ev if isinstance(e, ThrustEvent)):
            onset_to_event.append(e.t_detect_s - e.t_onset)
            if e.index in at:
                known.append((at[e.index] - e.t_onset, at[e.index] - e.t_peak))
        for hi, e in pops:
            n += 1
            want = [k for t, k in truth if abs(t - e.t) < 2e-3]
            right += bool(want) and want[0] == e.thrust
            if e.thrust is not None:
                lat.append(np.inf if hi is None else hi - e.t)
        return lat, right, n

    def line(what: str, lat: list[float], right: int, n: int) -> str:
        ms = 1e3 * np.array(lat)
        return (f"{what}: {len(ms)} of {n} pops tied ({right} to the thrust simulated for them): onset → end of "
                f"the chunk that gave it {np.min(ms):.1f}-{np.max(ms):.1f} ms, median {np.median(ms):.1f} ms, "
                f"95th percentile {np.percentile(ms, 95):.1f} ms, over 50 ms {int(np.sum(ms > 50.0))}")

    rng = np.random.default_rng(ttp_seeds.start)
    every, right, n = [], 0, 0
    with tempfile.TemporaryDirectory() as d:
        for seed in [*seeds, *ttp_seeds]:
            csv = Path(d) / f"v{seed}.csv"
            ttp = ["--time-to-peak", f"{rng.uniform(60.0, 200.0):.0f}"] if seed in ttp_seeds else []
            with contextlib.redirect_stdout(io.StringIO()):
                cli(["simulate", "--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000", *ttp,
                     "--seed", str(seed), "-o", str(csv)])
            lat, r, k = run(csv)
            if seed == 2:
                print(line("pops tied to an IMU's thrust, live, 10 ms chunks, --seed 2", lat, r, k))
            every, right, n = every + lat, right + r, n + k
    print(line(f"the same, {len(seeds) + len(ttp_seeds)} recordings (seeds {seeds.start}-{ttp_seeds.stop - 1}, "
               f"times to peak 120 ms and 60-200 ms)", every, right, n))
    k, ev = 1e3 * np.array(known).reshape(-1, 2), 1e3 * np.array(onset_to_event)
    print(f"their {len(ev)} thrusts: given {np.min(ev):.0f}-{np.max(ev):.0f} ms after their onset; "
          + (f"{len(k)} known before that, {np.min(k[:, 0]):.0f}-{np.max(k[:, 0]):.0f} ms after their onset "
             f"(median {np.median(k[:, 0]):.0f}), {np.min(k[:, 1]):.0f}-{np.max(k[:, 1]):.0f} ms after their peak "
             f"(median {np.median(k[:, 1]):.0f})" if len(k) else "none known before that"))

def peaks_known(tremor_mps2: float, noise_ug: float, recordings: int) -> None:
    """Thrusts under stronger tremor and noise: ``recordings`` simulated sessions, every other one
    three thrusts (preload 80-160 N, peak 350-700 N, times to peak 60-250 ms), the others ``mixed``,
    worn at 500 Hz or 1 kHz, fed in 10 ms chunks to the default processor and to one that never
    knows a peak early (its peak: the deepest point within ``max_time_to_peak_s``). Prints how many
    thrusts' peaks differ, and when the peaks were known; and in how many recordings the units check
    took the shaking hand for an IMU in other units (their cycles and thrusts left out)."""
    from firmware_bridge.simulator import technique

    g = np.random.default_rng(int(tremor_mps2 * 1000) + int(noise_ug))
    n, after, differ, units = 0, [], [], []
    for s in range(recordings):
        sim = Sim(40, 120, seed=500 + s)
        if s % 2:
            mixed(sim, GradingScheme(40, 120))
        else:
            technique("V", sim, GradingScheme(40, 120), preload_n=g.uniform(80, 160), peak_n=g.uniform(350, 700),
                      ttp_ms=g.uniform(60, 250), sets=3)
        rate = float(g.choice([500.0, 1000.0]))
        t, v = imu_signal(sim, rate, seed=s, tremor_mps2=tremor_mps2, noise_ug_per_rthz=noise_ug)
        chunk, res = int(round(0.01 * rate)), []
        for kw in ({}, {"peak_fall_mm": np.inf}):
            p = ImuProcessor(**kw)
            ev = []
            for i in range(0, len(t), chunk):
                ev += p.feed(Chunk(t[i:i + chunk], v[i:i + chunk], stream="imu"))
            ev += p.finish()
            res.append(([e for e in ev if e.TYPE == "thrust"], dict(p.known_at)))
            if not kw and (sum(p.n_withheld) or any("units" in w for w in p.notes())):
                units.append(f"recording {s}: {p.n_withheld[0]} cycles, {p.n_withheld[1]} thrusts left out")
        (got, known), (whole, _) = res
        for e, w in zip(got, whole):
            n += 1
            if e.t_peak != w.t_peak:
                differ.append(f"{e.t_onset:.3f} s of recording {s}: {e.time_to_peak_ms:.0f} ms, {e.displacement_mm:.2f} mm "
                              f"(whole window {w.time_to_peak_ms:.0f} ms, {w.displacement_mm:.2f} mm)")
            if e.index in known:
                after.append(1e3 * (known[e.index] - e.t_peak))
    ms = np.array(after)
    print(f"{recordings} recordings, tremor {tremor_mps2:g} m/s², noise {noise_ug:g} µg/√Hz: {n} thrusts, "
          f"{len(differ)} known with a peak other than their whole window's"
          + "".join(f"\n  {d}" for d in differ))
    print(f"{len(ms)} known before their event, " + (
        f"{np.min(ms):.0f}-{np.max(ms):.0f} ms after their peak (median {np.median(ms):.0f})" if len(ms) else ""))
    print(f"units taken for wrong (the tremor read as a gyroscope in °/s) in {len(units)} of {recordings} recordings"
          + "".join(f"\n  {u}" for u in units))


def ms_times(repeats: int = 3, minutes: float = 10.0) -> None:
    """``simulate --grade III --sets 1 --imu 500 --seed 3`` (8,763 IMU samples), its IMU times
    multiplied by 1000, as a file given in ms: every sample 2 "s" after the last, each a run of its
    own after a dropout. Prints the best of ``repeats`` replays of it as ``replay`` does, in the
    process (start-up left out), and what the replay said. Then the same, replayed once, for the
    first ``minutes`` of a long session at 1 kHz (the ``mixed`` session repeated 8 times, seed 3,
    worn by the IMU of the other figures): every sample 1 "s" after the last."""
    from firmware_bridge.imu_sim import write_imu_csv
    from firmware_bridge.replay import load_input
    from ui.cli import main as cli

    def replay(path: Path, n: int, what: str, repeats: int) -> None:
        # the file is refused by its reader (whole-number times under t_s: name the column t_ms);
        # what is timed is the analysis of the same times reaching it from a source, 1000 samples a chunk
        from analysis.chunk import Chunk
        from analysis.errors import InputError
        from analysis.imu import ImuProcessor
        t0 = time.perf_counter()
        try:
            load_input(path)
            print(f"{what}: the file was read (not refused)")
        except InputError as e:
            print(f"{what}: the file is refused in {time.perf_counter() - t0:.2f} s: {e}")
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        best, p = np.inf, None
        for _ in range(repeats):
            t0 = time.perf_counter()
            p = ImuProcessor(warnings=[])
            ev = []
            for i in range(0, len(data), 1000):
                ev += p.feed(Chunk(data[i:i + 1000, 0], data[i:i + 1000, 1:], stream="imu"))
            ev += p.finish()
            best = min(best, time.perf_counter() - t0)
        print(f"{what}, {n} samples: analysed in {best:.2f} s"
              f"{f' (best of {repeats})' if repeats > 1 else ''}, {1e6 * best / n:.0f} µs a sample")
        n_gaps = sum(e.TYPE == "gap" for e in ev)
        print(f"  {n_gaps} gap event{'s' * (n_gaps != 1)}; warnings: {'; '.join(p._warnings)}")

    with tempfile.TemporaryDirectory() as d:
        csv = Path(d) / "sim.csv"
        with contextlib.redirect_stdout(io.StringIO()):
            cli(["simulate", "--grade", "III", "--sets", "1", "--imu", "500", "--seed", "3", "-o", str(csv)])
        imu = np.loadtxt(csv.with_suffix(".imu.csv"), delimiter=",", skiprows=1)
        path = Path(d) / "ms.imu.csv"
        write_imu_csv(path, 1000.0 * imu[:, 0], imu[:, 1:])
        replay(path, len(imu), "IMU times in ms", repeats)
        # (mixed repeated 8 times makes 668 s at 1 kHz; the first `minutes` of it)
        sim = Sim(40, 120, seed=3)
        mixed(sim, GradingScheme(40, 120), repeats=8)
        t, v = imu_signal(sim, 1000.0, seed=3)
        n = min(len(t), int(round(minutes * 60 * 1000)))
        path = Path(d) / "long_ms.imu.csv"
        write_imu_csv(path, 1000.0 * t[:n], v[:n])
        replay(path, n, f"IMU times in ms, {n / 60000:g} min at 1 kHz", 1)


if __name__ == "__main__":
    sys.exit(main())
