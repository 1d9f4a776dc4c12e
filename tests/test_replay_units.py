"""A bare CSV in a logger's own units (time in ms, force in kgf or lbf, named in its header)
is replayed as the same recording in s and N; it was refused ("header lacks column 'force_n'
(found force_kgf: unknown units?)"), though gradecoach knows these units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_a_comma_separated_export_with_the_decimal_comma_in_quotes_is_read(tmp_path):
    """LibreOffice or Google Sheets in a decimal-comma locale, told to separate by commas, quote
    every number ("0,002","1,2103"): it was refused as 'non-numeric cell (no usable rows)'."""
    d = read_force_csv(FIX / "thrust_letup.csv")
    rows = "".join(f'"{t:.4f}","{v:.4f}"\n'.replace(".", ",") for t, v in zip(d.t_s, d.values))
    path = tmp_path / "sheet.csv"
    path.write_text('"Time (s)","Force (N)"\n' + rows)
    got = load_input(path).force
    assert np.allclose(got.t_s, d.t_s, atol=1e-4) and np.allclose(got.values, d.values, atol=1e-4)


def test_quoted_thousands_are_not_read_as_decimal_commas(tmp_path):
    """"1,234.5" and "1,010" are thousands: never read as 1.2345 or 1.010 (refused, naming the row)."""
    from analysis.errors import InputError
    path = tmp_path / "us.csv"
    path.write_text('t_ms,force_n\n"1,000","1,010"\n"1,001","1,012.5"\n"1,002","1,011"\n')
    with pytest.raises(InputError, match=r"us.csv:2: non-numeric cell"):
        load_input(path)


def test_a_windows_spreadsheets_header_is_read(tmp_path, capsys):
    """A header saved in Windows-1252 ("Time (µs);Force (N)") was 'not a text CSV file'; a sound
    file named .csv still is."""
    from ui.cli import main
    path = tmp_path / "win.csv"
    path.write_bytes("Time (µs);Force (N)\n".encode("cp1252")
                     + "".join(f"{i * 1000};{20 + (i % 7)},5\n" for i in range(3000)).encode())
    got = load_input(path).force
    assert len(got.t_s) == 3000 and got.t_s[-1] == pytest.approx(2.999) and got.values[0] == 20.5
    wav = tmp_path / "clip.csv"
    wav.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\n" + bytes(64))
    assert main(["replay", str(wav)]) == 2
    assert "clip.csv:1: not a text CSV file" in capsys.readouterr().err


_CELLS = ["t_s", "force_n", "Time (s)", "time [ms]", "timestamp_ms", "Force (N)", "load (kg)", "weight_lb",
          "time", "force", "t", '"t_ms"', "time (µs)", "temp_c", "", "µ", "(", "[s]", "force ( n )"]


@given(header=st.one_of(st.binary(max_size=60),
                        st.tuples(st.lists(st.sampled_from(_CELLS), max_size=4), st.sampled_from([",", ";", "\t", "|"]))
                        .map(lambda c: c[1].join(c[0]).encode("utf-8"))),
       body=st.one_of(st.binary(max_size=200),
                      st.lists(st.sampled_from(['0,5;1,5', '"0,002","1,2"', "0.1,2", '"1,000","1,010"', "x", "",
                                                "1;2;3", '"', "0,1\t2,5"]), max_size=12)
                      .map(lambda r: "\n".join(r).encode())),
       eol=st.booleans())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_header_and_rows_of_a_bare_csv_read_or_fail_in_one_line(tmp_path, header, body, eol):
    """Header spellings, separators and decimal commas are read from untrusted bytes: whatever
    they are, a bare CSV is read or refused with one InputError naming the file."""
    from analysis.errors import InputError
    path = tmp_path / "any.csv"
    path.write_bytes(header + b"\n" + body + (b"\n" if eol else b""))
    try:
        inp = load_input(path)
    except InputError as e:
        assert str(e).startswith(str(path)) and "\n" not in str(e)
    else:
        assert inp.force is not None and np.all(np.diff(inp.force.t_s) > 0)
