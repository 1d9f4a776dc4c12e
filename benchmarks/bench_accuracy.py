"""Grade, modifier, spurious-cycle and thrust figures on labelled recordings.

    python benchmarks/bench_accuracy.py [--holdout N] [--verbose]

Prints per-file lines and totals for (a) the committed fixtures and (b) a generated held-out set.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.evaluate import Score, score  # noqa: E402
from analysis.scheme import GradingScheme  # noqa: E402
from benchmarks.fixture_set import committed, generate_holdout, header, truth  # noqa: E402
from firmware_bridge.replay import analyze_input, load_input  # noqa: E402


def evaluate(files: list[Path], verbose: bool) -> Score:
    total = Score()
    for f in files:
        h = header(f)
        inp = load_input(f)
        ev = [e.to_dict() for e in analyze_input(inp, GradingScheme(h["r1_n"], h["r2_n"], alpha=h["alpha"]))]
        s = score(truth(f), ev, h["rate_hz"], inp.duration_s - float(inp.force.t_s[0]))
        fig = s.figures()
        print(f"  {f.name:28s} {h['rate_hz']:6.0f} Hz  cycles {s.matched_cycles:3d}/{s.truth_cycles:<3d} "
              f"grade {s.grade_ok:3d}  mod {s.modifier_ok:3d}/{s.modifier_total:<3d} spurious {s.spurious_cycles:2d}  "
              f"thrust {s.thrust_tp}/{s.thrust_truth} fp {s.thrust_fp}"
              + (f"  ttp_err {fig['median_ttp_err_ms']:.1f} ms" if fig['median_ttp_err_ms'] is not None else ""))
        if verbose and s.confusions:
            print("      confusions (truth, detected, t):", s.confusions[:8])
        total = total + s
    return total


def show(title: str, s: Score) -> None:
    print(f"{title}:")
    for k, v in s.figures().items():
        print(f"  {k:24s} {v if v is None or isinstance(v, int) else round(v, 2)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--holdout", type=int, default=45, help="generated held-out recordings [45]")
    ap.add_argument("--verbose", action="store_true", help="also each recording's figures and its grade confusions")
    a = ap.parse_args()
    print("committed fixtures")
    fx = evaluate(committed(), a.verbose)
    show("fixtures total", fx)
    if a.holdout:
        with tempfile.TemporaryDirectory() as d:
            print(f"held-out set ({a.holdout} generated recordings)")
            ho = evaluate(generate_holdout(Path(d), a.holdout), a.verbose)
        show("held-out total", ho)
        show("all", fx + ho)
    return 0


if __name__ == "__main__":
    sys.exit(main())
