"""``gradecoach simulate``: write a realistic labelled force fixture and its expected events."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from analysis.errors import InputError
from analysis.scheme import GradingScheme, parse_target
from firmware_bridge.session import write_force_csv
from firmware_bridge.simulator import Noise, Sim, mixed, technique


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="write a simulated recording with its expected events",
                       description="Simulate a trainee's technique on a force sensor. Writes OUTPUT.csv "
                                   "(t_s,force_n) and OUTPUT.expected.jsonl (fixture settings, then the "
                                   "ground-truth cycles and thrusts).")
    p.add_argument("--grade", default="III", help="I, II, III, IV (III/IV with --, -, +, ++), V/HVLA, or 'mixed'")
    p.add_argument("--r1", type=float, default=40.0, metavar="N")
    p.add_argument("--r2", type=float, default=120.0, metavar="N")
    p.add_argument("--alpha", type=float, default=0.5)
    p.add_argument("--freq", type=float, default=1.5, metavar="HZ", help="oscillation rate")
    p.add_argument("--cycles", type=int, default=20)
    p.add_argument("--sets", type=int, default=1)
    p.add_argument("--rate", type=float, default=500.0, metavar="HZ", help="sensor sample rate")
    p.add_argument("--thrust", action="store_true", help="simulate HVLA thrusts (same as --grade V)")
    p.add_argument("--preload", type=float, default=150.0, metavar="N")
    p.add_argument("--peak", type=float, default=600.0, metavar="N")
    p.add_argument("--time-to-peak", type=float, default=120.0, metavar="MS")
    p.add_argument("--letup", type=float, default=0.0, metavar="N", help="let-up depth before the thrust")
    n = p.add_argument_group("imperfections")
    n.add_argument("--noise", type=float, default=0.3, metavar="N", help="white noise SD")
    n.add_argument("--tremor", type=float, default=0.4, metavar="N", help="8–12 Hz tremor amplitude")
    n.add_argument("--drift", type=float, default=0.0, metavar="N")
    n.add_argument("--quant", type=float, default=0.0, metavar="N", help="ADC step")
    n.add_argument("--spikes", type=float, default=0.0, metavar="PER_S")
    n.add_argument("--dropouts", type=float, default=0.0, metavar="PER_MIN")
    n.add_argument("--jitter", type=float, default=0.0, metavar="SHARE", help="timestamp jitter, share of a sample interval")
    n.add_argument("--t0", type=float, default=0.0, metavar="S", help="first timestamp")
    p.add_argument("--imu", type=float, default=0.0, metavar="HZ",
                   help="also write OUTPUT.imu.csv from a hand-worn IMU sampled at HZ")
    p.add_argument("--audio", type=float, default=0.0, metavar="HZ",
                   help="also write OUTPUT.flac: a room microphone at HZ with cavitation pops at the thrusts "
                        "(and their truth in the expected events)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    p.set_defaults(func=run)


def simulate(args: argparse.Namespace) -> tuple[Sim, object, object]:
    scheme = GradingScheme(args.r1, args.r2, alpha=args.alpha)
    sim = Sim(args.r1, args.r2, seed=args.seed)
    kind = "V" if args.thrust else args.grade
    if kind.lower() == "mixed":
        mixed(sim, scheme, repeats=args.sets)
    else:
        parse_target(kind)
        technique(kind, sim, scheme, freq_hz=args.freq, cycles=args.cycles, preload_n=args.preload,
                  peak_n=args.peak, ttp_ms=args.time_to_peak, letup_n=args.letup, sets=args.sets)
    noise = Noise(noise_n=args.noise, tremor_n=args.tremor, drift_n=args.drift, quant_n=args.quant,
                  spikes_per_s=args.spikes, dropouts_per_min=args.dropouts, jitter=args.jitter, t0_s=args.t0)
    t, y = sim.sample(args.rate, noise)
    return sim, (t, y), noise


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() != ".csv":
        raise InputError(f"{out}: the output must end in .csv")
    if args.rate < 10 or args.rate > 10000:
        raise InputError(f"--rate {args.rate}: use 10–10000 Hz")
    sim, (t, y), noise = simulate(args)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_force_csv(out, t, y)
    if args.imu:
        from firmware_bridge.imu_sim import imu_signal, imu_truth, write_imu_csv
        ti, vi = imu_signal(sim, args.imu, seed=args.seed, t0_s=noise.t0_s)
        write_imu_csv(out.with_name(out.stem + ".imu.csv"), ti, vi)
        with open(out.with_name(out.stem + ".imu-expected.jsonl"), "w", encoding="utf-8") as fh:
            for e in imu_truth(sim, noise.t0_s):
                fh.write(json.dumps(e) + "\n")
    pops = write_pops_audio(out.with_suffix(".flac"), sim.truth(noise.t0_s), float(t[-1]) + 0.5, args.audio,
                            args.seed) if args.audio else []
    settings = {k: v for k, v in vars(args).items() if k not in ("func", "output")}
    header = {"type": "fixture", "file": out.name, "r1_n": args.r1, "r2_n": args.r2, "alpha": args.alpha,
              "rate_hz": args.rate, "settings": settings}
    with open(out.with_suffix(".expected.jsonl"), "w", encoding="utf-8") as fh:
        fh.write(json.dumps(header) + "\n")
        for e in sim.truth(noise.t0_s) + pops:
            fh.write(json.dumps(e) + "\n")
    print(f"wrote {out} ({len(t)} samples, {t[-1] - t[0]:.1f} s) and {out.with_suffix('.expected.jsonl').name}")
    return 0


def write_pops_audio(path: Path, truth: list[dict], duration_s: float, rate_hz: float, seed: int) -> list[dict]:
    """A room recording to go with the force file (it starts at t = 0 of the CSV): noise, hum and
    distractors (speech, knocks, steps, clicks, handling) away from the thrusts, and at most
    thrusts a cluster of 1–4 pops starting 30 ms before to 10 ms after peak force, 15–30 dB over
    the room noise. Returns the pops' truth: ``{"type": "cavitation", "t", "thrust"}``."""
    import numpy as np
    import soundfile as sf

    from firmware_bridge.audio_sim import make_scene, pop_wave

    if not 16000 <= rate_hz <= 192000:
        raise InputError(f"--audio {rate_hz:g}: use 16000–192000 Hz (pops are detected at 16 kHz or more)")
    busy = make_scene(duration_s, rate_hz, seed, thrusts_per_min=0, distractors=True, density=0.7)
    calm = make_scene(duration_s, rate_hz, seed, thrusts_per_min=0, distractors=False)
    x, fs = busy.audio.astype(np.float64), float(rate_hz)
    rng = np.random.default_rng(seed + 7919)
    out = []
    thrusts = [e for e in truth if e["type"] == "thrust"]
    for i, th in enumerate(thrusts):
        a, b = int((th["t_peak"] - 0.4) * fs), int((th["t_peak"] + 0.4) * fs)
        x[max(a, 0):b] = calm.audio[max(a, 0):b]                 # nobody talks over the thrust itself
        if i % 4 == 3:
            continue                                              # not every thrust cavitates
        tt = th["t_peak"] + rng.uniform(-0.03, 0.01)
        for _ in range(int(rng.integers(1, 5))):
            w = pop_wave(rng, fs)
            k = int(round(tt * fs))
            m = min(len(w), len(x) - k)
            x[k:k + m] += calm.noise_rms * 10 ** (rng.uniform(15, 30) / 20) * w[:m]
            out.append({"type": "cavitation", "t": round(k / fs, 6), "thrust": i})
            tt += rng.uniform(0.008, 0.03)
    x *= min(1.0, 0.95 / max(np.abs(x).max(), 1e-9))
    sf.write(str(path), x.astype(np.float32), int(round(fs)), subtype="PCM_16")
    return out
