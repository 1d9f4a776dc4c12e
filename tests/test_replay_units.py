"""A bare CSV in a logger's own units (time in ms, force in kgf or lbf, named in its header)
is replayed as the same recording in s and N; it was refused ("header lacks column 'force_n'
(found force_kgf: unknown units?)"), though gradecoach knows these units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import KNOWN_FORCE_UNITS, read_force_csv

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def events(path):
    return [e.to_dict() for e in analyze_input(load_input(path), GradingScheme(40.0, 120.0))]


@pytest.mark.parametrize("t_col,t_scale,f_col,unit", [
    ("t_ms", 1e3, "force_n", "N"), ("t_s", 1.0, "force_kgf", "kgf"), ("t_s", 1.0, "force_lbf", "lbf"),
    ("t_us", 1e6, "force_kg", "kg"), ("t_ms", 1e3, "force_lbf", "lbf")])
def test_units_in_the_header_are_converted(tmp_path, t_col, t_scale, f_col, unit):
    d = read_force_csv(FIX / "thrust_letup.csv")
    f = d.values / KNOWN_FORCE_UNITS[unit]
    rows = "".join(f"{t * t_scale:.6f},{v:.6f}\r\n" for t, v in zip(d.t_s, f))
    path = tmp_path / "logger.csv"
    path.write_bytes(("\ufeff" + f"{t_col},{f_col},temp_c\r\n").encode() + rows.replace("\r\n", ",21\r\n").encode())
    got, want = events(path), events(FIX / "thrust_letup.csv")
    assert [e["type"] for e in got] == [e["type"] for e in want]
    for g, w in zip(got, want):
        for k in ("t_peak", "peak_n", "preload_n", "letup_n", "t_crest", "crest_n", "duration_s"):
            if isinstance(w.get(k), float):
                assert g[k] == pytest.approx(w[k], rel=1e-4, abs=2e-3), k
    assert np.isclose(load_input(path).force.values.max(), d.values.max(), rtol=1e-5)
