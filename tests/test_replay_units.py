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


@pytest.mark.parametrize("header,t_scale,unit,sep", [
    ("Time (s),Force (N)", 1.0, "N", ","), ("time [ms],load [kg]", 1e3, "kg", ","),
    ("timestamp_ms,force_lbf", 1e3, "lbf", ","), ("Elapsed time (s);Weight (kg)", 1.0, "kg", ";"),
    ("t_ms;force_kg", 1e3, "kg", ";"), ("time_us\tforce (lb)", 1e6, "lbf", "\t")])
def test_a_spreadsheets_own_column_names_are_read(tmp_path, header, t_scale, unit, sep):
    """Loggers and spreadsheets write "Time (s)", "load [kg]", "timestamp_ms", with semicolons and
    a decimal comma in much of Europe: read as the same recording, in s and N."""
    d = read_force_csv(FIX / "thrust_letup.csv")
    f = d.values / KNOWN_FORCE_UNITS[unit]
    rows = "".join(f"{t * t_scale:.6f}{sep}{v:.6f}\n" for t, v in zip(d.t_s, f))
    if sep == ";":
        rows = rows.replace(".", ",")
    path = tmp_path / "export.csv"
    path.write_text(header + "\n" + rows)
    got = load_input(path).force
    assert np.allclose(got.t_s, d.t_s, atol=1e-6) and np.allclose(got.values, d.values, rtol=1e-5, atol=1e-5)
    assert [e["type"] for e in events(path)] == [e["type"] for e in events(FIX / "thrust_letup.csv")]


def test_columns_without_units_are_named_in_the_error(tmp_path, capsys):
    from ui.cli import main
    path = tmp_path / "export.csv"
    path.write_text("time;force\n0,000;1,5\n0,001;1,6\n")
    assert main(["replay", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "export.csv:1:" in err and "time with no unit" in err and "'time (s)'" in err
