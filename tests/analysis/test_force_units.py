"""Force in the wrong units is named: a recording in millinewtons read as newtons was graded
as it came (amplitudes of 10895 N, every crest beyond R2, thrusts of 569 kN) with no word
that the numbers could not come from hands."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.chunk import Chunk
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.session import read_force_csv
from firmware_bridge.simulator import Noise, Sim, technique

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def warnings(t, y, step=997):
    a = Analyzer(GradingScheme(40.0, 120.0))
    for i in range(0, len(t), step):
        a.feed(Chunk(t[i:i + step], y[i:i + step], i, "force", 1000.0))
    return a.finish()[-1].warnings


def units_warning(ws):
    return [w for w in ws if "is it in newtons?" in w]


def test_millinewtons_are_named():
    d = read_force_csv(FIX / "demo_mixed.csv")
    ws = units_warning(warnings(d.t_s, d.values * 1000.0))
    assert len(ws) == 1 and ws[0].startswith("the force reaches 5691")
    assert units_warning(warnings(d.t_s, d.values * 1000.0, step=50)) == ws


def test_hands_and_glitches_are_not():
    d = read_force_csv(FIX / "demo_mixed.csv")
    assert units_warning(warnings(d.t_s, d.values)) == []
    y = d.values.copy()
    y[np.arange(9) * 4000 + 100] = 1e6                     # nine glitches of a bad cable
    assert units_warning(warnings(d.t_s, y)) == []
    sim = Sim(40.0, 120.0, seed=3)
    technique("V", sim, GradingScheme(40.0, 120.0), preload_n=300.0, peak_n=2000.0, ttp_ms=150.0)
    t, y = sim.sample(1000.0, Noise())
    assert units_warning(warnings(t, y)) == []
