"""A thrust's mean rate is its rise from onset to peak over its time to peak, which after a
let-up is more than the amplitude (peak − preload) over that time: format.md says so, with the
figures the demo's let-up thrust really gives (it said only "the mean rate from onset to peak",
and the trainer's page called it the amplitude over the time to peak, 1659 N/s where 1767 N/s
was shown)."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, gc


def test_format_md_says_what_the_mean_rate_is_with_the_demos_figures():
    r = gc("replay", ROOT / "fixtures" / "demo_mixed.csv", "--r1", "40", "--r2", "120", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    thrusts = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "thrust"]
    t = next(e for e in thrusts if e["letup"])
    rise = t["rate_n_per_s"] * t["time_to_peak_ms"] / 1e3
    amplitude = t["peak_n"] - t["preload_n"]
    assert rise > amplitude + 10          # the rise starts below the preload, by the let-up
    doc = " ".join((ROOT / "docs" / "format.md").read_text(encoding="utf-8").split())
    assert "`(peak_n − force at onset) / time_to_peak_ms`" in doc
    assert "The thrust amplitude is `peak_n − preload_n`" in doc
    said = re.search(r"second thrust: peak ([\d.]+) N, preload ([\d.]+) N, (\d+) ms, let-up ([\d.]+) N, "
                     r"mean rate (\d+) N/s, where (\d+) N ÷ \d+ ms would be (\d+) N/s", doc)
    assert said, "format.md gives no worked example of a let-up thrust's mean rate"
    peak, pre, ttp, letup, rate, amp, would = map(float, said.groups())
    assert (peak, pre, ttp, letup, rate) == (round(t["peak_n"], 1), round(t["preload_n"], 1),
                                             round(t["time_to_peak_ms"]), round(t["letup_n"], 1),
                                             round(t["rate_n_per_s"]))
    assert amp == round(amplitude) and would == round(amplitude / (t["time_to_peak_ms"] / 1e3))
