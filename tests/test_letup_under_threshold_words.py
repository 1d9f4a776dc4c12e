"""Every place that gives a thrust's let-up says whether it counts as one, in the same words:
replay's thrust table, the report's thrust table and the review's details read a bare "2.9 N"
(or "2.9") for a let-up under the flag, which a trainee took for a fault. One under it reads
"2.9 N (under 7.7 N: none)", the least let-up the analysis flags from that thrust's preload; a
flagged one still reads "30.1 N flagged"."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from analysis.scheme import ThrustScheme
from tests._cli_in_process import gc_in_process
from ui.report import thrust_head, thrust_rows
from ui.review.data import describe
from ui.table import render_summary

FIX = Path(__file__).resolve().parent.parent / "fixtures"
NONE_UNDER = re.compile(r"(\d+\.\d) N \(under (\d+(?:\.\d+)?) N: none\)")


def flag_from_n(preload_n: float) -> float:
    s = ThrustScheme()
    return max(s.letup_min_n, s.letup_min_frac * preload_n)


def test_replay_table_says_a_let_up_under_the_flag_is_none_and_where_flagging_starts(capfd):
    r = gc_in_process(capfd, "replay", FIX / "thrust_lumbar.csv", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    thrusts = json.loads(r.stdout.splitlines()[-1])["thrusts"]
    assert thrusts and not any(t["letup"] for t in thrusts)
    r = gc_in_process(capfd, "replay", FIX / "thrust_lumbar.csv", "--format", "table")
    assert r.returncode == 0, r.stderr
    said = NONE_UNDER.findall(r.stdout)
    assert [figure for figure, _ in said] == [f"{t['letup_n']:.1f}" for t in thrusts]
    for (figure, bar), t in zip(said, thrusts):
        # the analysis's own bar, rounded up to the figure's tenth
        assert float(bar) == math.ceil(10 * flag_from_n(t["preload_n"]) - 1e-9) / 10 > float(figure)


def thrust(i, letup_n, letup, preload_n=150.0):
    return {"type": "thrust", "index": i, "t_onset": 2.88 + 5 * i, "t_peak": 3.0 + 5 * i, "preload_n": preload_n,
            "peak_n": 600.0, "time_to_peak_ms": 120.0, "duration_ms": 190.0, "rate_n_per_s": 3800.0,
            "max_rate_n_per_s": 6200.0, "letup_n": letup_n, "letup": letup, "pops": None,
            "first_pop_ms_from_peak": None}


SUMMARY = {"duration_s": 20.0, "n_cycles": 0, "n_thrusts": 4, "n_cavitations": 0, "audio": False,
           "r1_n": None, "r2_n": None, "sets": [], "warnings": [],
           # under the flag; flagged; past the least flagged yet unflagged (the hold's tremor raised
           # the bar); an IMU's (unknown)
           "thrusts": [thrust(0, 2.197, False), thrust(1, 30.126, True), thrust(2, 9.04, False),
                       thrust(3, None, False)]}
WORDS = ["2.2 N (under 7.5 N: none)", "30.1 N flagged", "9.0 N (within tremor: none)", "–"]


def test_table_report_and_review_word_the_let_up_alike():
    rows = render_summary("x.csv", SUMMARY).splitlines()[-4:]
    assert [re.split(r"\s{2,}", r.strip())[8] for r in rows] == WORDS       # (the 9th column)
    # the report's heading holds the unit: its cells the same words without the figure's
    col = thrust_head(SUMMARY).index("let-up (N)")
    assert [r[col] for r in thrust_rows(SUMMARY, audio=False)] == [w.replace(" N", "", 1) for w in WORDS]
    assert [dict(describe(t))["let-up"] for t in SUMMARY["thrusts"]] == WORDS


def test_table_figures_stay_aligned_under_their_heading():
    head, *rows = render_summary("x.csv", SUMMARY).splitlines()[-5:]
    end = head.index("let-up") + len("let-up")
    for r, figure in zip(rows, ("2.2 N", "30.1 N", "9.0 N", "–")):
        assert r.index(figure, end - len(figure) - 1) + len(figure) == end, (head, r)


def test_a_figure_that_rounds_to_the_bar_is_given_finer():
    # 7.46 N from a 150 N preload (flagged from 7.5 N) read "7.5 N (under 7.5 N: none)"
    assert dict(describe(thrust(0, 7.46, False)))["let-up"] == "7.46 N (under 7.5 N: none)"
