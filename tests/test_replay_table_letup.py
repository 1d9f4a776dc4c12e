"""Replay's thrust table gives each thrust's let-up as measured: one below the flag read "0"
(the JSON said 4.3 N), a flagged one reads "30.1 N flagged" (it read "30.1!"); one below the flag
says so after its figure ("(under 7.5 N: none)")."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import gc
from ui.table import render_summary

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def thrust_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if x.split()[:3] == ["thrust", "peak", "at"])
    return [x.split() for x in lines[at + 1:] if x.strip()]


def test_unflagged_let_up_reads_as_measured():
    r = gc("replay", FIX / "thrust_lumbar.csv", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    thrusts = json.loads(r.stdout.splitlines()[-1])["thrusts"]
    assert thrusts and not any(t["letup"] for t in thrusts)
    assert all(t["letup_n"] >= 0.05 for t in thrusts)         # measured, not nil
    r = gc("replay", FIX / "thrust_lumbar.csv", "--format", "table")
    assert r.returncode == 0, r.stderr
    rows = thrust_rows(r.stdout)
    assert [row[8:10] for row in rows] == [[f"{t['letup_n']:.1f}", "N"] for t in thrusts]
    assert "flagged" not in r.stdout


def thrust(i, letup_n, letup):
    return {"index": i, "t_peak": 3.0 + 5 * i, "preload_n": 150.0, "peak_n": 600.0, "time_to_peak_ms": 120.0,
            "duration_ms": 190.0, "rate_n_per_s": 3800.0, "max_rate_n_per_s": 6200.0,
            "letup_n": letup_n, "letup": letup, "pops": None, "first_pop_ms_from_peak": None}


def test_flag_is_a_word_after_the_figure_and_the_figures_stay_aligned():
    summary = {"duration_s": 20.0, "n_cycles": 0, "n_thrusts": 3, "n_cavitations": 0, "audio": False,
               "r1_n": None, "r2_n": None, "sets": [], "warnings": [],
               "thrusts": [thrust(0, 2.197, False), thrust(1, 30.126, True), thrust(2, None, False)]}
    text = render_summary("x.csv", summary)
    head, *rows = text.splitlines()[-4:]
    assert [r.split()[8:-1] for r in rows] == [["2.2", "N", "(under", "7.5", "N:", "none)"],
                                              ["30.1", "N", "flagged"], ["–"]]
    # each let-up figure ends where the heading does
    end = head.index("let-up") + len("let-up")
    for r, figure in zip(rows, ("2.2 N", "30.1 N", "–")):
        assert r.index(figure, end - len(figure) - 1) + len(figure) == end, (head, r)
