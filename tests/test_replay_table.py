"""The thrust table stays aligned when figures outgrow its headings: a device clock at
1000003.79 s or a rate over 10 kN/s pushed every column after it two places to the right."""

from __future__ import annotations

import re

from ui.table import render_summary


def thrust(i, t_peak, rate):
    return {"index": i, "t_peak": t_peak, "preload_n": 308.1, "peak_n": 1506.9, "time_to_peak_ms": 117.0,
            "duration_ms": None if i else 191.0, "rate_n_per_s": rate, "max_rate_n_per_s": 1.6 * rate,
            "letup_n": 0.0, "letup": False, "pops": None, "first_pop_ms_from_peak": None}


def summary(thrusts):
    return {"duration_s": 10.0, "n_cycles": 0, "n_thrusts": len(thrusts), "n_cavitations": 0, "audio": False,
            "r1_n": 40.0, "r2_n": 120.0, "alpha": 0.5, "sets": [], "thrusts": thrusts, "warnings": []}


def ends(line):
    """Where each field of a line ends (fields parted by two spaces or more)."""
    out, i = [], 0
    for word in re.split(r"\s{2,}", line.strip()):
        i = line.index(word, i) + len(word)
        out.append(i)
    return out


def test_large_figures_stay_under_their_headings():
    text = render_summary("x.csv", summary([thrust(0, 1000003.79, 10199.0), thrust(1, 1000008.25, 123456.0)]))
    head, *rows = text.splitlines()[-3:]
    for row in rows:
        # (the let-up's figure ends under its heading, whether it counts after it)
        assert ends(row)[:8] == ends(head)[:8], (head, row)
        assert row.index(" N (under ") == ends(head)[8] - len(" N"), (head, row)


def test_ordinary_figures_keep_the_usual_layout():
    text = render_summary("x.csv", summary([thrust(0, 66.32, 3402.0)]))
    assert text.splitlines()[-2:] == [
        "  thrust  peak at (s)  preload (N)  peak (N)  to peak (ms)  duration (ms)  rate (N/s)  max rate (N/s)"
        "  let-up                       pops",
        "       1        66.32        308.1    1506.9           117            191        3402            5443"
        "   0.0 N (under 15.5 N: none)  –"]


def test_the_short_column_names_and_the_cv_are_said_in_words():
    """A trainee read "ttp_ms", "dur_ms", a bare "–" under dur_ms and "CV" without a word of what
    they were: the table says them once, above the thrusts and in the first set."""
    from tests.conftest import ROOT, gc
    r = gc("replay", ROOT / "fixtures" / "demo_mixed.csv", "--r1", "40", "--r2", "120", "--format", "table")
    lines = r.stdout.splitlines()
    head = next(i for i, x in enumerate(lines) if x.lstrip().startswith("thrust  peak at (s)"))
    assert lines[head - 1].startswith("  to peak: from the thrust's onset to its peak; duration: from onset until"
                                      " the force is back halfway down")
    assert "(– when it stayed up too long after the peak to tell)" in lines[head - 1]
    freq = [x for x in lines if x.startswith("    frequency ")]
    assert "(CV, cycle-to-cycle variation: " in freq[0] and all("(CV " in x for x in freq[1:])
