"""Labelled recordings for the accuracy benchmark: the committed fixtures plus a generated
held-out set whose parameters are drawn at random (other seeds, rates, noise and people)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ui.cmd_simulate import register, run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def committed() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.csv") if p.with_suffix(".expected.jsonl").exists())


def header(csv: Path) -> dict:
    return json.loads(csv.with_suffix(".expected.jsonl").read_text().splitlines()[0])


def truth(csv: Path) -> list[dict]:
    return [json.loads(x) for x in csv.with_suffix(".expected.jsonl").read_text().splitlines()[1:]]


def generate_holdout(folder: Path, n: int = 40, seed: int = 1000) -> list[Path]:
    """``n`` random recordings: every grade/modifier, thrusts, 80–2000 Hz, imperfections."""
    rng = np.random.default_rng(seed)
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    register(sub)
    grades = ["I", "II", "III--", "III-", "III", "III+", "III++", "IV--", "IV-", "IV", "IV+", "IV++", "V", "V", "mixed"]
    out = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        g = grades[i % len(grades)]
        rate = float(rng.choice([80, 200, 500, 1000, 2000]))
        r1 = float(rng.choice([10, 25, 40, 60, 100]))
        r2 = r1 * float(rng.uniform(2.0, 4.0))
        scale = r1 / 40
        # (drawn for every recording, so that each draws the same numbers as it always did; given
        # to the grades that oscillate at them: mixed draws its own, a thrust has none)
        freq, cycles = f"{rng.uniform(0.6, 3.0):.2f}", str(int(rng.integers(8, 16)))
        argv = ["simulate", "--grade", g, "--r1", f"{r1:g}", "--r2", f"{r2:.1f}", "--rate", f"{rate:g}",
                *(["--freq", freq, "--cycles", cycles] if g not in ("V", "mixed") else []),
                "--noise", f"{rng.uniform(0.05, 0.6) * max(scale, 0.3):.2f}",
                "--tremor", f"{rng.uniform(0.1, 1.2) * max(scale, 0.3):.2f}",
                "--drift", f"{rng.uniform(0, 5) * scale:.1f}",
                "--spikes", f"{rng.choice([0, 0, 0.3]):g}", "--dropouts", f"{rng.choice([0, 0, 4]):g}",
                "--jitter", f"{rng.choice([0, 0, 0.3]):g}", "--seed", str(seed + i),
                "--quant", "0.25" if rate == 80 else "0",
                "-o", str(folder / f"holdout_{i:02d}.csv")]
        if g == "V":
            pre = float(rng.uniform(0.3, 1.5) * r1 + 10)
            peak = max(pre * rng.uniform(3, 8), r2 * rng.uniform(1.2, 2.5))
            argv += ["--preload", f"{pre:.0f}", "--peak", f"{peak:.0f}",
                     "--time-to-peak", f"{rng.uniform(70, 200):.0f}", "--sets", "3",
                     "--letup", f"{pre * 0.2:.0f}" if i % 2 else "0"]
        args = parser.parse_args(argv)
        import contextlib, io
        with contextlib.redirect_stdout(io.StringIO()):
            run(args)
        out.append(folder / f"holdout_{i:02d}.csv")
    return out
