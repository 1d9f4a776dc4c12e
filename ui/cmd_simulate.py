"""``gradecoach simulate``: write a realistic labelled force fixture and its expected events."""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
from pathlib import Path

from analysis.errors import InputError
from analysis.scheme import GradingScheme, NotAGrade, ThrustScheme, parse_target
from firmware_bridge.session import write_force_csv
from firmware_bridge.simulator import (MIXED_CYCLES, MIXED_FREQ_HZ, MIXED_LETUP_N, MIXED_PEAK_N, MIXED_PRELOAD_N,
                                       MIXED_TARGETS, MIXED_TTP_MS, Noise, Sim, letup_threshold_n, makeable,
                                       mean_length_s, mixed, technique)
from ui.cli import interrupts_held, warn
from ui.options import NUMBERS_HELP, number, output_path, with_examples


# option -> (lowest, highest, unit): what a trainer can meet on a force sensor (published manual therapy forces).
# Values outside are refused with one line; nothing is clamped.
RANGES = {
    "r1": (1.0, 1000.0, "N"),             # cervical R1 ≈ 10 N … lumbar up to ≈ 350 N (Harms & Bader 1997)
    "r2": (1.0, 1000.0, "N"),
    "freq": (0.1, 5.0, "Hz"),             # 0.1–4.5 Hz in 36 studies (Gorrell 2023)
    "cycles": (1, 500, ""),               # 120 s sets (Gorrell 2023) at 4 Hz
    "sets": (1, 50, ""),
    "rate": (10.0, 10000.0, "Hz"),
    "preload": (5.0, 500.0, "N"),         # 20–150 N published; below 5 N no thrust is detected
    "peak": (20.0, 2000.0, "N"),          # 100–1011 N published (side posture, force plate)
    "time_to_peak": (20.0, 1000.0, "ms"),  # 60–250 ms published; up to 1 s for a thrust too slow
    "letup": (0.0, 500.0, "N"),
    "noise": (0.0, 20.0, "N"),
    "tremor": (0.0, 20.0, "N"),
    "drift": (0.0, 100.0, "N"),
    "quant": (0.0, 10.0, "N"),
    "spikes": (0.0, 10.0, "per s"),
    "dropouts": (0.0, 60.0, "per min"),
    "jitter": (0.0, 0.5, "of a sample interval"),  # beyond half an interval samples would swap places
    "t0": (0.0, 1e7, "s"),                # a device's uptime clock: up to ≈ 116 days
    "imu": (50.0, 10000.0, "Hz"),         # (docs/imu.md: the IMU analysis takes any rate, warns under 100 Hz for thrusts)
    "audio": (16000.0, 192000.0, "Hz"),   # pops are detected at 16 kHz or more
    "seed": (0, 2 ** 32 - 1, ""),
}
# options of one kind of simulation, and their values when not given (None in the parser tells
# "not given"): the oscillations' of grades I–IV, the thrusts' of grade V; mixed takes both
SET_OPTIONS = {"freq": 1.5, "cycles": 20}
THRUST_OPTIONS = {"preload": 150.0, "peak": 600.0, "time_to_peak": 120.0, "letup": 0.0}
MAX_LENGTH_S = 600.0                      # one simulated recording: ten minutes, a few hundred MB at most
MAX_AUDIO_SAMPLES = MAX_LENGTH_S * 48000  # ten minutes at 48 kHz: a few GB at 192 kHz otherwise


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _num(v: float | int) -> str:
    return str(v) if isinstance(v, int) else f"{v:.10g}"


def _range_text(name: str) -> str:
    lo, hi, unit = RANGES[name]
    return f"{_num(lo)}–{_num(hi)}" + (f" {unit}" if unit else "")


def check_options(args: argparse.Namespace) -> frozenset[str]:
    """Raise :class:`InputError` (one line naming the option) for any value a simulation cannot
    honour: an option the kind of simulation has no use for (a thrust's with grades I–IV, an
    oscillation's with grade V), out of :data:`RANGES`, not finite, thrust values that contradict
    each other, a grade no amplitude makes at that --alpha (:func:`~firmware_bridge.simulator.makeable`),
    or a recording longer than :data:`MAX_LENGTH_S`. Fills in the values not given
    and returns the names of those given (mixed draws the others itself)."""
    if args.grade is not None and args.grade.lower() != "mixed":
        try:
            parse_target(args.grade, f"--grade {args.grade}")
        except InputError as e:              # (--grade also takes mixed)
            why = "unknown grade" if isinstance(e, NotAGrade) else str(e).split(": ", 1)[1]
            raise InputError(f"--grade {args.grade}: {why}; give I, II, III, IV (III/IV may end in --, -, +, ++), "
                             f"V/HVLA or mixed") from None
    if args.thrust and args.grade is not None and (args.grade.lower() == "mixed" or parse_target(args.grade)[0] != "V"):
        raise InputError(f"--thrust simulates grade V, not --grade {args.grade}; give one of them")
    named = "--thrust" if args.thrust else (f"--grade {args.grade}" if args.grade else "grade III (the default)")
    args.grade = "V" if args.thrust else (args.grade or "III")
    is_mixed = args.grade.lower() == "mixed"
    is_thrust = not is_mixed and parse_target(args.grade)[0] == "V"
    given = frozenset(n for n in {**SET_OPTIONS, **THRUST_OPTIONS} if getattr(args, n, None) is not None)
    for name in sorted(given, key=list(vars(args)).index):
        if is_thrust and name in SET_OPTIONS:
            raise InputError(f"{_flag(name)} {_num(getattr(args, name))}: {named} simulates thrusts, which do not "
                             f"oscillate; give {_flag(name)} with grades I–IV or mixed")
        if not is_thrust and not is_mixed and name in THRUST_OPTIONS:
            raise InputError(f"{_flag(name)} {_num(getattr(args, name))}: {named} simulates oscillations, not "
                             f"thrusts; give {_flag(name)} with --thrust, --grade V or mixed")
    for name, default in {**SET_OPTIONS, **THRUST_OPTIONS}.items():
        if name not in given:
            setattr(args, name, default)
    for name, (lo, hi, _) in RANGES.items():
        v = getattr(args, name, None)
        if v is None:
            continue
        if not (math.isfinite(v) and lo <= v <= hi):
            raise InputError(f"{_flag(name)} {_num(v)}: give {_range_text(name)}")
        setattr(args, name, v + 0)          # -0 is 0 (numpy refuses a noise of scale -0.0)
    if args.r2 <= args.r1:
        raise InputError(f"--r2 {args.r2:g}: give more than --r1 ({args.r1:g} N)")
    if not (math.isfinite(args.alpha) and 0 < args.alpha < 1):
        raise InputError(f"--alpha {args.alpha:g}: give a share greater than 0 and less than 1 (0.5: half-way to R1)")
    if not is_thrust:                       # each grade's amplitude fits α, or no amplitude does
        scheme = GradingScheme(args.r1, args.r2, alpha=args.alpha)
        for kind in MIXED_TARGETS if is_mixed else (args.grade,):
            makeable(kind, scheme, f"the grade {kind} sets of --grade mixed" if is_mixed else None)
    if is_thrust or is_mixed:
        _check_thrusts(args, given if is_mixed else frozenset(THRUST_OPTIONS))
    length = estimated_length_s(args, given)
    if length > MAX_LENGTH_S:
        if is_mixed:
            what = ("--grade mixed" + (f" with --cycles {args.cycles}" if "cycles" in given else "")
                    + (f" at --freq {args.freq:g} Hz" if "freq" in given else "") + f" and --sets {args.sets}")
        elif is_thrust:
            what = f"--sets {args.sets}"
        else:
            what = f"--cycles {args.cycles} × --sets {args.sets} at --freq {args.freq:g} Hz"
        raise InputError(f"{what} would make about {length:.0f} s of recording; keep it within "
                         f"{MAX_LENGTH_S:g} s")
    if args.audio is not None and length * args.audio > MAX_AUDIO_SAMPLES:
        top = int(MAX_AUDIO_SAMPLES / length // 1000 * 1000)
        raise InputError(f"--audio {args.audio:g}: for about {length:.0f} s of recording give at most {top} Hz")
    return given


def _check_thrusts(args: argparse.Namespace, known: frozenset[str]) -> None:
    """The thrusts' preload, peak and let-up agree: a peak far enough over the preload to be
    detected, a let-up less than the preload. A value not ``known`` is one mixed draws, so the
    whole of its range must agree."""
    lift = ThrustScheme().min_amplitude_n        # a smaller rise is not detected as a thrust
    pre_lo, pre_hi = (args.preload, args.preload) if "preload" in known else MIXED_PRELOAD_N
    peak_lo = args.peak if "peak" in known else MIXED_PEAK_N[0]
    if peak_lo < pre_hi + lift:
        if "peak" not in known:
            raise InputError(f"--preload {args.preload:g}: mixed draws peaks from {peak_lo:g} N; give at most "
                             f"{peak_lo - lift:g} N, or give --peak too")
        if "preload" in known:
            raise InputError(f"--peak {args.peak:g}: give at least --preload + {lift:g} N ({pre_hi + lift:g} N)")
        raise InputError(f"--peak {args.peak:g}: mixed draws preloads up to {pre_hi:g} N; give at least "
                         f"{pre_hi + lift:g} N, or give --preload too")
    if "letup" in known and args.letup >= pre_lo:
        if "preload" in known:
            raise InputError(f"--letup {args.letup:g}: give less than --preload ({pre_lo:g} N)")
        raise InputError(f"--letup {args.letup:g}: mixed draws preloads from {pre_lo:g} N; give less than that, "
                         f"or give --preload too")


def estimated_length_s(args: argparse.Namespace, given: frozenset[str] = frozenset()) -> float:
    """The simulated recording's length (s) on average, before building it, within a few per
    cent of the one made (:func:`firmware_bridge.simulator.mean_length_s`): mixed draws the
    sets' frequencies and cycles and the thrusts' times to peak that were not ``given``."""
    kind = "V" if args.thrust else args.grade
    if kind.lower() == "mixed":
        told = {k: getattr(args, n) for n, k in (("freq", "freq_hz"), ("cycles", "cycles"), ("time_to_peak", "ttp_ms"),
                                                 ("letup", "letup_n")) if n in given}
        return mean_length_s("mixed", args.sets, **told)
    return mean_length_s(kind, args.sets, freq_hz=args.freq, cycles=args.cycles, ttp_ms=args.time_to_peak,
                         letup_n=args.letup)


def _most_sets(kind: str, **told) -> int:
    """The most sets (repeats of mixed) of ``kind`` whose recording is within :data:`MAX_LENGTH_S`."""
    return next(n for n in range(RANGES["sets"][1], 0, -1) if mean_length_s(kind, n, **told) <= MAX_LENGTH_S)


def _drawn(lo_hi: tuple[float, float]) -> str:
    return f"{lo_hi[0]:g}–{lo_hi[1]:g}"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="write a simulated recording with its expected events", **with_examples(
        "Simulate a trainee's technique on a force sensor. Writes OUTPUT.csv (t_s,force_n) and "
        "OUTPUT.expected.jsonl (fixture settings, then the ground-truth cycles and thrusts); "
        "'gradecoach replay OUTPUT.csv --r1 R1 --r2 R2' grades it (with --audio, add '--audio OUTPUT.flac' to "
        "hear its pops: the sound is not read unless given). Defaults in brackets.",
        "gradecoach simulate --grade III+ --r1 40 --r2 120 --freq 1.5 --cycles 20 --rate 500 -o fixtures/x.csv",
        "gradecoach simulate --thrust --preload 150 --peak 600 --time-to-peak 120 --letup 30 -o fixtures/t.csv",
        "gradecoach simulate --grade mixed --imu 500 --audio 48000 -o sim/mixed.csv"))
    p.description += " " + NUMBERS_HELP          # (what its numbers may be written as)
    p.add_argument("--grade", help="I, II, III, IV (III/IV with --, -, +, ++), V/HVLA, or 'mixed': each grade, "
                                   "then two thrusts [III]")
    p.add_argument("--r1", type=number("N", "40.5"), default=40.0, metavar="N", help="first resistance R1 in newtons [40]")
    p.add_argument("--r2", type=number("N", "120"), default=120.0, metavar="N", help="limit of range R2 in newtons [120]")
    p.add_argument("--alpha", type=number(None, "0.5"), default=0.5, metavar="A", help="large-amplitude ratio: each grade's amplitudes are made to be that grade under it, "
                        "or the grade is refused [0.5]")
    p.add_argument("--freq", type=number("Hz", "1.5"), metavar="HZ",
                   help="grades I–IV and mixed: oscillations per second [1.5]; "
                        f"mixed draws {_drawn(MIXED_FREQ_HZ)} a set unless given")
    p.add_argument("--cycles", type=number(None, "20", whole=True), metavar="N",
                   help="grades I–IV and mixed: oscillations in a set [20]; "
                        f"mixed draws {_drawn((MIXED_CYCLES[0], MIXED_CYCLES[1] - 1))} a set unless given")
    p.add_argument("--sets", type=number(None, "3", whole=True), default=1, metavar="N",
                   help="sets, with a rest between them (with --thrust: thrusts; with mixed: repeats) [1]; "
                        f"1–50, the recording at most {MAX_LENGTH_S:g} s long: up to {_most_sets('mixed')} repeats of "
                        f"mixed, {_most_sets('III', freq_hz=1.5, cycles=20)} sets of 20 cycles at 1.5 Hz")
    p.add_argument("--rate", type=number("Hz", "500"), default=500.0, metavar="HZ", help="sensor samples per second [500]")
    p.add_argument("--thrust", action="store_true", help="simulate HVLA thrusts (same as --grade V)")
    p.add_argument("--preload", type=number("N", "150"), metavar="N",
                   help="thrust: force held before it, in newtons [150]; "
                        f"mixed draws {_drawn(MIXED_PRELOAD_N)} a thrust unless given")
    p.add_argument("--peak", type=number("N", "600"), metavar="N",
                   help="thrust: peak force in newtons [600]; "
                        f"mixed draws {_drawn(MIXED_PEAK_N)} a thrust unless given")
    p.add_argument("--time-to-peak", type=number("ms", "120"), metavar="MS",
                   help="thrust: milliseconds from its onset to the peak [120]; "
                        f"mixed draws {_drawn(MIXED_TTP_MS)} a thrust unless given")
    p.add_argument("--letup", type=number("N", "30"), metavar="N",
                   help="thrust: how far the force dips below the preload just before it, in newtons [0]; "
                        f"mixed: its first thrust has none, its second {_drawn(MIXED_LETUP_N)} drawn unless given")
    n = p.add_argument_group("imperfections")
    n.add_argument("--noise", type=number("N", "0.3"), default=0.3, metavar="N", help="white noise SD in newtons [0.3]")
    n.add_argument("--tremor", type=number("N", "0.4"), default=0.4, metavar="N", help="8–12 Hz tremor amplitude in newtons [0.4]")
    n.add_argument("--drift", type=number("N", "2.5"), default=0.0, metavar="N", help="slow baseline drift, its peak in newtons [0]")
    n.add_argument("--quant", type=number("N", "0.1"), default=0.0, metavar="N", help="ADC step in newtons [0: none]")
    n.add_argument("--spikes", type=number(None, "0.5"), default=0.0, metavar="PER_S", help="single-sample spikes a second [0]")
    n.add_argument("--dropouts", type=number(None, "2"), default=0.0, metavar="PER_MIN",
                   help="holes of 20–150 ms of lost samples a minute [0]")
    n.add_argument("--jitter", type=number(None, "0.1"), default=0.0, metavar="SHARE",
                   help="timestamp jitter, share of a sample interval [0]")
    n.add_argument("--t0", type=number("s", "12.5"), default=0.0, metavar="S",
                   help="first timestamp in seconds (a device's clock) [0]")
    p.add_argument("--imu", type=number("Hz", "500"), metavar="HZ",
                   help="also write OUTPUT.imu.csv from a hand-worn IMU sampled at HZ")
    p.add_argument("--audio", type=number("Hz", "48000"), metavar="HZ",
                   help="also write OUTPUT.flac: a room microphone at HZ with cavitation pops at the thrusts "
                        "(and their truth in the expected events), started with the force: with --t0 S its "
                        "first sample is at S s, so replay it with --audio-start S (the command is printed)")
    p.add_argument("--seed", type=number(None, "1", whole=True), default=0, help="random seed: the same seed gives the same recording [0]")
    p.add_argument("-o", "--output", required=True, metavar="FILE.csv",
                   help="the force CSV to write; the other files are named after it")
    p.add_argument("--overwrite", action="store_true",
                   help="replace a recording already there (OUTPUT.csv and the files written with it)")
    p.set_defaults(func=run)


def written_beside(out: Path, args: argparse.Namespace) -> list[Path]:
    """The files written with OUTPUT.csv: its expected events, and the IMU's and audio's files."""
    files = [out.with_suffix(".expected.jsonl")]
    if args.imu:
        files += [out.with_name(out.stem + ".imu.csv"), out.with_name(out.stem + ".imu-expected.jsonl")]
    if args.audio:
        files.append(out.with_suffix(".flac"))
    return files


def stale_beside(out: Path, args: argparse.Namespace) -> list[Path]:
    """Files of an earlier recording OUTPUT.csv that this one does not write (its IMU's, its
    audio): replay would pair them with the new force, so they go with what they belong to."""
    every = [out.with_name(out.stem + ".imu.csv"), out.with_name(out.stem + ".imu-expected.jsonl"),
             out.with_suffix(".flac")]
    new = written_beside(out, args)
    return [p for p in every if p not in new and p.exists()]


def simulate(args: argparse.Namespace, given: frozenset[str] = frozenset()) -> tuple[Sim, object, object]:
    """Build the recording ``args`` ask for (checked by :func:`check_options`, which says which
    of the sets' and thrusts' options were ``given``: mixed draws the others)."""
    scheme = GradingScheme(args.r1, args.r2, alpha=args.alpha)
    sim = Sim(args.r1, args.r2, seed=args.seed)
    kind = "V" if args.thrust else args.grade
    if kind.lower() == "mixed":
        told = {k: getattr(args, n) for n, k in (("freq", "freq_hz"), ("cycles", "cycles"), ("preload", "preload_n"),
                                                 ("peak", "peak_n"), ("time_to_peak", "ttp_ms"), ("letup", "letup_n"))
                if n in given}
        mixed(sim, scheme, repeats=args.sets, **told)
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
    given = check_options(args)
    # never into a recorded session's folder; an existing recording only with --overwrite
    stale = stale_beside(out, args)
    output_path(out, overwrite=args.overwrite, beside=written_beside(out, args) + stale)
    sim, (t, y), noise = simulate(args, given)
    # each file is written beside its place and all are put in place together at the end: a
    # Ctrl-C or an error part way left a new force file beside an earlier recording's truth
    # and audio (or a torn one), a fixture whose expected events were not its own
    tag = secrets.token_hex(4)
    parts: dict[Path, Path] = {}

    def part(final: Path) -> Path:        # (the suffix kept: soundfile takes the format from it)
        parts[final] = final.with_name(f".{final.stem}.{tag}.part{final.suffix}")
        return parts[final]

    try:
        write_force_csv(part(out), t, y)
        if args.imu:
            from firmware_bridge.imu_sim import imu_signal, imu_truth, write_imu_csv
            ti, vi = imu_signal(sim, args.imu, seed=args.seed, t0_s=noise.t0_s)
            write_imu_csv(part(out.with_name(out.stem + ".imu.csv")), ti, vi)
            with open(part(out.with_name(out.stem + ".imu-expected.jsonl")), "w", encoding="utf-8") as fh:
                for e in imu_truth(sim, noise.t0_s):
                    fh.write(json.dumps(e) + "\n")
        # the microphone starts with the force, at t0: its first sample is the force's t0 (replay
        # places it with --audio-start t0), so the sound is as long as the force, whatever --t0
        pops = write_pops_audio(part(out.with_suffix(".flac")), sim.truth(noise.t0_s),
                                float(t[-1]) - noise.t0_s + 0.5, args.audio, args.seed,
                                start_s=noise.t0_s) if args.audio else []
        settings = {k: v for k, v in vars(args).items() if k not in ("func", "output", "overwrite") and v is not None}
        header = {"type": "fixture", "file": out.name, "r1_n": args.r1, "r2_n": args.r2, "alpha": args.alpha,
                  "rate_hz": args.rate, "settings": settings}
        with open(part(out.with_suffix(".expected.jsonl")), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(header) + "\n")
            for e in sim.truth(noise.t0_s) + pops:
                fh.write(json.dumps(e) + "\n")
        with interrupts_held():
            for final, tmp in parts.items():
                os.replace(tmp, final)
            for p in stale:
                p.unlink()
            # (said before a Ctrl-C noted meanwhile ends the command: the files are in place)
            _say_written(out, t, args, stale)
        _say_letups_unflagged(sim, args, out, given)
    except BaseException as e:
        for tmp in parts.values():
            try:
                tmp.unlink()
            except OSError:
                pass                            # (not begun, already in its place, or a read-only folder)
        if isinstance(e, OSError):
            raise InputError(f"-o {out}: cannot write ({e.strerror or e})") from None
        raise
    return 0


def _say_written(out: Path, t, args: argparse.Namespace, stale: list[Path]) -> None:
    files = [f"{out} ({len(t)} samples, {t[-1] - t[0]:.1f} s)", out.with_suffix(".expected.jsonl").name]
    if args.imu:
        files += [out.stem + ".imu.csv", out.stem + ".imu-expected.jsonl"]
    if args.audio:
        files.append(out.with_suffix(".flac").name)
    print("wrote " + ", ".join(files[:-1]) + " and " + files[-1]
          + (f"; removed the earlier {', '.join(p.name for p in stale)}" if stale else ""))
    if args.audio and args.t0:
        print(f"its sound starts at the force's {_start_text(args.t0)} s (--t0); replay them together with: "
              f"{replay_command(out, args)}")


def _say_letups_unflagged(sim: Sim, args: argparse.Namespace, out: Path, given: frozenset[str]) -> None:
    """One warning when a let-up was made smaller than the analysis flags (replay gives it as
    measured, unflagged): the truth records it as not flagged, and says so."""
    small = [e for e in sim.truth() if e["type"] == "thrust" and e["letup_n"] > 0 and not e["letup"]]
    if not small:
        return
    need = max(letup_threshold_n(e["preload_n"], sim.noise) for e in small)
    s = ThrustScheme()
    sizes = sorted({f"{e['letup_n']:.1f}" for e in small}, key=float)
    what = f"--letup {args.letup:g}" if "letup" in given or args.thrust or args.grade.lower() != "mixed" \
        else f"a let-up of {sizes[0]} N" if len(sizes) == 1 else f"let-ups of {sizes[0]}–{sizes[-1]} N"
    warn(f"{what}: under the {need:.1f} N from which the analysis flags a let-up (the largest of "
         f"{s.letup_min_n:g} N, {s.letup_min_frac * 100:g} % of the preload and {s.letup_noise_k:g} SD of its "
         f"noise); made, and recorded as not flagged in {out.with_suffix('.expected.jsonl').name} "
         f"({len(small)} of {len(sim.thrusts)} thrusts)")


def replay_command(out: Path, args: argparse.Namespace) -> str:
    """The replay command line that grades OUTPUT.csv with its sound in place: replay puts a bare
    CSV's --audio at t = 0 unless --audio-start says where its first sample is, and the simulated
    microphone starts at --t0."""
    import shlex
    flac = out.with_suffix(".flac")
    return (f"gradecoach replay {shlex.quote(str(out))} --r1 {args.r1:g} --r2 {args.r2:g} "
            f"--audio {shlex.quote(str(flac))}" + (f" --audio-start {_start_text(args.t0)}" if args.t0 else ""))


def _start_text(t0: float) -> str:
    """--t0 as replay's --audio-start takes it, to the microsecond the CSV's times are written to
    (10 significant digits keep only the hundredths of a second of a --t0 near 1e7)."""
    return f"{t0:.6f}".rstrip("0").rstrip(".")


def write_pops_audio(path: Path, truth: list[dict], duration_s: float, rate_hz: float, seed: int,
                     start_s: float = 0.0) -> list[dict]:
    """A room recording to go with the force file, ``duration_s`` long, its first sample at the
    force's time ``start_s`` (the CSV's t0; replay's ``--audio-start``): noise, hum and
    distractors (speech, knocks, steps, clicks, handling) away from the thrusts, and at most
    thrusts a cluster of 1–4 pops starting 30 ms before to 10 ms after peak force, 15–30 dB over
    the room noise. Returns the pops' truth, on the force's timeline:
    ``{"type": "cavitation", "t", "thrust"}``. The sound made does not depend on ``start_s``."""
    import numpy as np
    import soundfile as sf

    from firmware_bridge.audio_sim import make_scene, pop_wave

    lo, hi, _ = RANGES["audio"]
    if not lo <= rate_hz <= hi:
        raise InputError(f"--audio {rate_hz:g}: give {_range_text('audio')} (pops are detected at 16 kHz or more)")
    busy = make_scene(duration_s, rate_hz, seed, thrusts_per_min=0, distractors=True, density=0.7)
    calm = make_scene(duration_s, rate_hz, seed, thrusts_per_min=0, distractors=False)
    x, fs = busy.audio.astype(np.float64), float(rate_hz)
    rng = np.random.default_rng(seed + 7919)
    out = []
    thrusts = [e for e in truth if e["type"] == "thrust"]
    for i, th in enumerate(thrusts):
        peak = th["t_peak"] - start_s                              # (on the sound's own clock)
        a, b = int((peak - 0.4) * fs), int((peak + 0.4) * fs)
        x[max(a, 0):b] = calm.audio[max(a, 0):b]                 # nobody talks over the thrust itself
        if i % 4 == 3:
            continue                                              # not every thrust cavitates
        tt = peak + rng.uniform(-0.03, 0.01)
        for _ in range(int(rng.integers(1, 5))):
            w = pop_wave(rng, fs)
            k = int(round(tt * fs))
            m = min(len(w), len(x) - k)
            x[k:k + m] += calm.noise_rms * 10 ** (rng.uniform(15, 30) / 20) * w[:m]
            out.append({"type": "cavitation", "t": round(start_s + k / fs, 6), "thrust": i})
            tt += rng.uniform(0.008, 0.03)
    x *= min(1.0, 0.95 / max(np.abs(x).max(), 1e-9))
    try:
        sf.write(str(path), x.astype(np.float32), int(round(fs)), subtype="PCM_16")
    except sf.SoundFileRuntimeError as e:           # (libsndfile's "System error.": not an OSError)
        raise _sound_not_written(path, e) from None
    return out


def _sound_not_written(path: Path, e: Exception) -> OSError:
    """The OSError to say for a sound libsndfile could not write to ``path``: a full disk when
    its folder has less than a mebibyte left, else libsndfile's own words."""
    import errno
    try:
        st = os.statvfs(path.parent)
        full = st.f_bavail * st.f_frsize < 1 << 20
    except (OSError, AttributeError):
        full = False
    if full:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return OSError(errno.EIO, f"its sound: {getattr(e, 'error_string', None) or e}".rstrip("."))
