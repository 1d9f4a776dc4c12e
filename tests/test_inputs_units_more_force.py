"""A force CSV's header in kilonewtons or millinewtons is read, converted to N; a header whose unit or
name is not read says which names and units are, instead of guessing "unknown units?" (said of
'Force (kN)', 'Force (g)' and 'temps (s)', whose unit is fine and whose name is not)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import read_force_csv
from ui.cli import main

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def _events(path):
    return [e.to_dict() for e in analyze_input(load_input(path), GradingScheme(40.0, 120.0))]


@pytest.mark.parametrize("header, per_n", [("t_s,Force (kN)", 1e-3), ("t_s,force_kn", 1e-3), ("Time (s);Force [mN]", 1e3),
                                           ("t_s,force_mN", 1e3)])
def test_kilonewtons_and_millinewtons_are_read_in_newtons(tmp_path, header, per_n):
    d = read_force_csv(FIX / "thrust_letup.csv")
    sep = ";" if ";" in header else ","
    path = tmp_path / "cell.csv"
    path.write_text(header + "\n" + "".join(f"{t:.6f}{sep}{v * per_n:.9g}\n" for t, v in zip(d.t_s, d.values)))
    got = load_input(path).force
    assert np.allclose(got.values, d.values, rtol=1e-7, atol=1e-9)
    want = _events(FIX / "thrust_letup.csv")
    have = _events(path)
    assert [e["type"] for e in have] == [e["type"] for e in want]
    for g, w in zip(have, want):
        for k, v in w.items():
            if isinstance(v, float):
                assert g[k] == pytest.approx(v, rel=1e-5, abs=1e-5), k


@pytest.mark.parametrize("header", ["Time (s),Weight (g)", "t_s,load_g", "t_s,Force (grams)", "t_s,force_gf"])
def test_a_scales_grams_are_read_in_newtons(tmp_path, header):
    """A kitchen or postal scale logs its weight in grams: read as a thousandth of a kgf, the
    thrusts are those of the same recording in newtons."""
    d = read_force_csv(FIX / "thrust_letup.csv")
    path = tmp_path / "scale.csv"
    path.write_text(header + "\n" + "".join(f"{t:.6f},{v / 9.80665e-3:.6f}\n" for t, v in zip(d.t_s, d.values)))
    assert np.allclose(load_input(path).force.values, d.values, rtol=1e-7, atol=1e-6)
    want = [e for e in _events(FIX / "thrust_letup.csv") if e["type"] == "thrust"]
    have = [e for e in _events(path) if e["type"] == "thrust"]
    assert len(have) == len(want) == 3
    assert [e["peak_n"] for e in have] == pytest.approx([e["peak_n"] for e in want], rel=1e-5)


@pytest.mark.parametrize("header, said", [
    ("t_s,Force (g)", "(found 'Force (g)': g is not read as a unit of force (grams? an acceleration?): give the "
                      "force in N, kN, mN, kgf, kg, lbf or grams, named force_n, force_kgf, force_kg, force_lbf, "
                      "'force (N)' or 'weight (g)'; grams also as 'force (grams)' or force_gf)"),
    ("t_s,force_g", "(found 'force_g': g is not read as a unit of force (grams? an acceleration?)"),
    ("t_s,Force (dN)", "(found 'Force (dN)': dN is not a unit of force read here (N, kN, mN, kgf, kg, lbf or grams): "
                       "name it force_n, force_kgf, force_kg, force_lbf, 'force (N)' or 'weight (g)')"),
    ("temps (s),force (N)", "header lacks column 't_s' (found 'temps (s)': 'temps' is not a name of time read here "
                            "(t, time, timestamp, elapsed, elapsed time, then its unit): name it t_s, t_ms, t_us or "
                            "'time (s)')"),
    ("t_s,Kraft (N)", "(found 'Kraft (N)': 'Kraft' is not a name of force read here (force, load, weight, then its "
                      "unit): name it force_n"),
])
def test_a_header_not_read_names_the_names_and_units_that_are(tmp_path, capsys, header, said):
    path = tmp_path / "logger.csv"
    path.write_text(header + "\n" + "".join(f"{k / 100},{k % 7}\n" for k in range(100)))
    assert main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}:1: " in err and said in err
    assert "unknown units" not in err


def test_an_imu_column_in_a_unit_not_read_names_the_imus_units(tmp_path, capsys):
    path = tmp_path / "h.imu.csv"
    path.write_text("t_s,ax_mg,ay_mg,az_mg\n" + "".join(f"{k / 100},0,0,1000\n" for k in range(100)))
    assert main(["replay", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(found 'ax_mg': mg is not a unit of acceleration read here (m/s² or g): name " \
                                     "it ax_mps2 (m/s²) or ax_g)" in err
