"""``gradecoach evaluate``: how well the analysis finds what a simulated recording holds.

Each ``NAME.csv`` is replayed with the calibration its ``NAME.expected.jsonl`` (written beside it
by ``gradecoach simulate``) was made with, and its cycles and thrusts are compared with those
expected ones by :mod:`analysis.evaluate`, as the fixture tests and
``benchmarks/bench_accuracy.py`` compare them. Exit status 0 when every file meets the
thresholds, 1 when one falls below them, 2 on bad input. See docs/analysis.md.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from analysis.errors import InputError
from ui.options import with_examples

TRUTH_SUFFIX = ".expected.jsonl"

# the thresholds of the fixture tests (tests/test_fixtures.py): option, Score figure, bound, its
# default, unit, words
THRESHOLDS = (
    ("--min-cycles-found", "min", 90.0, " %", "cycles found of those expected"),
    ("--min-grade-accuracy", "min", 95.0, " %", "cycles found graded as expected"),
    ("--min-modifier-accuracy", "min", 90.0, " %", "grade III and IV cycles given their expected + or -"),
    ("--max-spurious", "max", 1, "", "cycles found that were not expected"),
    ("--max-missed-thrusts", "max", 0, "", "thrusts expected and not found"),
    ("--max-false-thrusts", "max", 0, "", "thrusts found that were not expected"),
    ("--max-peak-error", "max", 5.0, " %", "error of a found thrust's peak force"),
    ("--max-time-to-peak-error", "max", 15.0, " ms", "error of a found thrust's time to peak (at 200 Hz or more)"),
    ("--max-letup-errors", "max", 0, "", "let-ups missed or found where none was"),
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="compare replay's analysis of simulated recordings with their expected "
                                        "events", **with_examples(
        "Replay each recording NAME.csv with the calibration (R1, R2, alpha) its NAME.expected.jsonl says, "
        "the expected events 'gradecoach simulate' writes beside it, and compare: per file, the cycles found "
        "and how many were graded as expected, cycles found that were not expected (spurious), and thrusts "
        "found and missed. A folder gives its CSVs that have such a file. Exit status 0 when every file meets "
        "the thresholds (the fixture tests' by default), 1 when one falls below them, 2 on bad input.",
        "gradecoach simulate --grade III --cycles 10 -o x.csv",
        "gradecoach evaluate x.csv",
        "gradecoach evaluate fixtures/ --min-grade-accuracy 90 --max-spurious 2   # a CI job's own bounds",
        "gradecoach evaluate fixtures/ --format jsonl > figures.jsonl"))
    p.add_argument("inputs", nargs="+", metavar="FILE.csv",
                   help="a recording with its NAME.expected.jsonl beside it, or a folder of them")
    p.add_argument("--format", choices=("table", "jsonl"), default="table",
                   help="table (a line per file, default) or jsonl (each file's figures as one JSON object)")
    g = p.add_argument_group("thresholds (default: those of the fixture tests)")
    for option, bound, default, unit, words in THRESHOLDS:
        kind = "at least" if bound == "min" else "at most"
        metavar, what = {" %": ("PCT", f"this share of {words}, in per cent"),
                         " ms": ("MS", f"this {words}, in ms"), "": ("N", f"this many {words}")}[unit]
        g.add_argument(option, type=float, default=default, metavar=metavar,
                       help=f"{kind} {what} [{default:g}{unit}]".replace("%", "%%"))
    p.set_defaults(func=run)


def recordings(inputs: list[str]) -> list[Path]:
    """The CSVs ``inputs`` name: a file as given, a folder's ``*.csv`` that have expected events
    beside them (a one-line error when it has none)."""
    out: list[Path] = []
    for given in inputs:
        p = Path(given)
        if p.is_dir():
            found = sorted(c for c in p.glob("*.csv") if truth_file(c).is_file())
            if not found:
                raise InputError(f"{given}: no recording with its expected events (NAME.csv beside "
                                 f"NAME{TRUTH_SUFFIX}) in this folder")
            out += found
        elif not p.exists():
            raise InputError(f"{given}: no such file or folder")
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def truth_file(csv: Path) -> Path:
    return csv.with_name(csv.name[:-len(csv.suffix)] + TRUTH_SUFFIX if csv.suffix else csv.name + TRUTH_SUFFIX)


def read_truth(csv: Path) -> tuple[dict, list[dict]]:
    """The settings line and the expected events of ``csv``'s ``NAME.expected.jsonl``; a one-line
    error naming the file (and line) when it is missing or not one."""
    t = truth_file(csv)
    if not t.is_file():
        raise InputError(f"{csv}: no {t.name} beside it: evaluate compares a recording with the expected events "
                         f"'gradecoach simulate' writes beside it")
    try:
        lines = t.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{t}: cannot read ({getattr(e, 'strerror', None) or e})") from None
    events = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            e = json.loads(line)
        except (ValueError, RecursionError):
            raise InputError(f"{t}:{n}: not a JSON object") from None
        if not isinstance(e, dict) or not isinstance(e.get("type"), str):
            raise InputError(f"{t}:{n}: not an event (a JSON object with a \"type\")")
        events.append((n, e))
    if not events or events[0][1]["type"] != "fixture":
        raise InputError(f"{t}:1: not the settings line 'gradecoach simulate' writes first "
                         f"({{\"type\": \"fixture\", \"r1_n\": …, \"r2_n\": …}})")
    head = events[0][1]
    for key in ("r1_n", "r2_n", "rate_hz"):
        v = head.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise InputError(f"{t}:1: {key} is {json.dumps(v)}, not a positive number")
    alpha = head.get("alpha", 0.5)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise InputError(f"{t}:1: alpha is {json.dumps(alpha)}, not a ratio between 0 and 1")
    if head["r1_n"] >= head["r2_n"]:
        raise InputError(f"{t}:1: r1_n {head['r1_n']:g} is not below r2_n {head['r2_n']:g}")
    for n, e in events[1:]:
        need = {"cycle": ("t_start", "t_end", "t_crest", "freq_hz", "crest_n", "grade", "modifier"),
                "thrust": ("t_peak", "peak_n", "time_to_peak_ms")}.get(e["type"], ())
        missing = [k for k in need if k not in e]
        if missing:
            raise InputError(f"{t}:{n}: a {e['type']} without {', '.join(missing)}")
    return head, [e for _, e in events[1:]]


def check_thresholds(args: argparse.Namespace) -> None:
    for option, _, _, unit, _ in THRESHOLDS:
        v = getattr(args, option[2:].replace("-", "_"))
        top = 100.0 if unit == " %" and option.startswith("--min") else math.inf
        if not (math.isfinite(v) and 0 <= v <= top):
            raise InputError(f"{option} {v:g}: give " + ("0–100 (per cent)" if top == 100 else "a number, 0 or more"))


def evaluate_one(csv: Path, head: dict, truth: list[dict]):
    """The :class:`analysis.evaluate.Score` of ``csv`` replayed with ``head``'s calibration."""
    from analysis.evaluate import score
    from analysis.scheme import GradingScheme
    from firmware_bridge.replay import analyze_input, load_input

    inp = load_input(csv)
    if inp.force is None or len(inp.force.t_s) < 2:
        raise InputError(f"{csv}: no force to evaluate (evaluate compares a force recording's cycles and thrusts)")
    scheme = GradingScheme(float(head["r1_n"]), float(head["r2_n"]), alpha=float(head.get("alpha", 0.5)))
    events = [e.to_dict() for e in analyze_input(inp, scheme)]
    return score(truth, events, float(head["rate_hz"]), float(inp.force.t_s[-1] - inp.force.t_s[0]))


def below(s, args: argparse.Namespace) -> list[str]:
    """What of the score ``s`` falls below the thresholds ``args`` give, in words."""
    f = s.figures()
    have = {
        "--min-cycles-found": f["cycle_recall_pct"] if s.truth_cycles else None,
        "--min-grade-accuracy": f["grade_accuracy_pct"] if s.truth_cycles else None,
        "--min-modifier-accuracy": f["modifier_accuracy_pct"] if s.truth_cycles else None,
        "--max-spurious": s.spurious_cycles,
        "--max-missed-thrusts": s.thrust_truth - s.thrust_tp,
        "--max-false-thrusts": s.thrust_fp,
        "--max-peak-error": max(s.peak_err_pct, default=None),
        "--max-time-to-peak-error": max(s.ttp_err_ms, default=None),
        "--max-letup-errors": (s.letup_truth - s.letup_found) + s.letup_false,
    }
    out = []
    for option, bound, _, unit, words in THRESHOLDS:
        v, limit = have[option], getattr(args, option[2:].replace("-", "_"))
        if v is None:
            if option == "--min-grade-accuracy" and s.truth_cycles:   # (none found: none graded)
                out.append(f"{words}: none, no cycle was found (at least {limit:g} %, {option})")
            continue
        if (v < limit) if bound == "min" else (v > limit):
            said = f"{v:.1f}{unit}" if unit else f"{v:g}"
            out.append(f"{words}: {said} ({'at least' if bound == 'min' else 'at most'} {limit:g}{unit}, {option})")
    return out


def line(name: str, s) -> str:
    """A file's figures, as the table says them."""
    f = s.figures()
    if s.truth_cycles:
        grades = (f"grades {s.grade_ok}/{s.matched_cycles} as expected"
                  + (f" ({f['grade_accuracy_pct']:.1f} %)" if s.matched_cycles else "")
                  + f", {s.matched_cycles} of {s.truth_cycles} cycles found")
    else:
        grades = "no cycles expected"
    text = (f"{name}: {grades}, {s.spurious_cycles} spurious; thrusts {s.thrust_tp} of {s.thrust_truth} found, "
            f"{s.thrust_truth - s.thrust_tp} missed, {s.thrust_fp} not expected")
    if s.peak_err_pct:
        text += f"; peak error up to {max(s.peak_err_pct):.1f} %"
    return text


def run(args: argparse.Namespace) -> int:
    check_thresholds(args)
    files = recordings(args.inputs)
    truths = {p: read_truth(p) for p in files}          # all checked before any is replayed
    from analysis.evaluate import Score
    total, failed = Score(), []
    for p, (head, truth) in truths.items():
        s = evaluate_one(p, head, truth)
        total = total + s
        why = below(s, args)
        if why:
            failed.append(p)
        if args.format == "jsonl":
            f = s.figures()
            print(json.dumps({"file": str(p), **f, "cycles_found": s.matched_cycles, "grades_as_expected": s.grade_ok,
                              "spurious_cycles": s.spurious_cycles, "thrusts_expected": s.thrust_truth,
                              "thrusts_found": s.thrust_tp, "thrusts_missed": s.thrust_truth - s.thrust_tp,
                              "thrusts_not_expected": s.thrust_fp, "below": why}), flush=True)
            continue
        print(line(str(p), s) + ("" if not why else "\n  below the thresholds: " + "; ".join(why)), flush=True)
    if args.format == "table" and len(truths) > 1:
        print(line(f"all {len(truths)} recordings", total))
        print(f"{len(failed)} of {len(truths)} below the thresholds" if failed else "all meet the thresholds")
    return 1 if failed else 0
