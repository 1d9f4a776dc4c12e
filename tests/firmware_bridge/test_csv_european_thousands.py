"""In a CSV whose numbers have decimal commas (``2,202;1.010``), a point grouping digits in threes
is a thousands separator: ``1.010`` is 1010, ``12.345.678`` is 12345678, ``1.010,5`` is 1010.5.

A scale's export in grams (``Time (s);Weight (g)``, forces from 600 to 1400 g) was read with every
force of 1000 g or more as 1.000 to 1.400 g, and replayed with exit 0 on those wrong forces. A
point that groups no three digits (``0.5``) in such a file is refused, naming its line: the file
mixes its decimal marks, and which is meant cannot be told.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.errors import InputError
from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import gc

G_TO_N = 9.80665e-3


def _grams(v: float) -> str:
    """``v`` grams as a German spreadsheet writes it: 1.013 for 1013, 600 for 600."""
    return f"{v:,.0f}".replace(",", ".")


def test_a_scale_export_in_grams_with_thousands_points_replays_its_forces(tmp_path):
    t = np.arange(0, 6, 0.01)
    g = 1000 + 400 * np.sin(2 * np.pi * 0.5 * t)
    p = tmp_path / "waage.csv"
    p.write_text("Time (s);Weight (g)\n" + "".join(f"{a:.3f};{_grams(b)}\n".replace(".", ",", 1)
                                                    for a, b in zip(t, g)))
    assert "0,010;1.013\n" in p.read_text()
    r = gc("replay", p, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    crest = summary["sets"][0]["mean_crest_n"]
    assert crest == pytest.approx(1400 * G_TO_N, rel=0.02), crest


@pytest.mark.parametrize("cell, value", [("1.010", 1010.0), ("12.345.678", 12345678.0), ("1.010,5", 1010.5),
                                         ("-1.010", -1010.0), ("\"1.010,25\"", 1010.25), ("600", 600.0)])
def test_a_point_grouping_three_digits_is_a_thousands_separator(tmp_path, cell, value):
    text = f"t_s;force_n\n2,200;5,5\n2,202;{cell}\n2,204;7\n"
    d = read_csv_bytes(tmp_path / "x.csv", text.encode())
    assert d.t_s.tolist() == [2.2, 2.202, 2.204]
    assert d.values.tolist() == [5.5, value, 7.0]


@pytest.mark.parametrize("cell", ["0.5", "1.01", "1.0105", "0.010"])
def test_a_point_grouping_no_three_digits_among_decimal_commas_is_refused(tmp_path, cell):
    p = tmp_path / "x.csv"
    text = f"t_s;force_n\n2,200;5,5\n2,202;{cell}\n2,204;7\n"
    with pytest.raises(InputError) as e:
        read_csv_bytes(p, text.encode())
    msg = str(e.value)
    assert msg.startswith(f"{p}:3: force_n {cell!r}: a decimal point among numbers with decimal commas"), msg
    assert "\n" not in msg


def test_points_stay_decimal_points_where_no_number_has_a_decimal_comma(tmp_path):
    text = "t_s;force_n\n2.200;5.5\n2.202;1.010\n2.204;7\n"
    d = read_csv_bytes(tmp_path / "x.csv", text.encode())
    assert d.values.tolist() == [5.5, 1.01, 7.0]


def test_a_column_not_read_keeps_its_points_and_commas(tmp_path):
    """A note or a column the analysis does not read neither makes the file one of decimal commas
    nor is refused for its points."""
    text = "t_s;force_n;note\n2.200;5.5;v1.2\n2.202;1.010;ok, 0.5\n2.204;7;x\n"
    assert read_csv_bytes(tmp_path / "x.csv", text.encode()).values.tolist() == [5.5, 1.01, 7.0]
    text = "t_s;force_n;temp_c\n2,200;5,5;20.5\n2,202;1.010;20.5\n2,204;7;20.5\n"
    assert read_csv_bytes(tmp_path / "x.csv", text.encode()).values.tolist() == [5.5, 1010.0, 7.0]


def test_a_large_file_reads_alike(tmp_path):
    """Read at pyarrow's speed (over its smallest part read row by row) the values are the same."""
    n = 4000
    text = "t_s;force_n\n" + "".join(f"{i / 1000:.3f};{_grams(1000 + i)}\n".replace(".", ",", 1) for i in range(n))
    d = read_csv_bytes(tmp_path / "x.csv", text.encode())
    assert d.values.tolist() == [1000.0 + i for i in range(n)] and d.skipped_rows == 0


def test_quoted_decimal_commas_read_a_quoted_point_grouping_three_digits_as_thousands(tmp_path):
    """Comma-separated, the numbers quoted for their decimal commas ("0,5","1.010")."""
    text = 't_s,force_n\n"0,5","1.010"\n"1,0","1.020,5"\n"1,5","7"\n'
    assert read_csv_bytes(tmp_path / "x.csv", text.encode()).values.tolist() == [1010.0, 1020.5, 7.0]
    p = tmp_path / "y.csv"
    with pytest.raises(InputError) as e:
        read_csv_bytes(p, 't_s,force_n\n"0,5","1,5"\n"1,0","0.5"\n"1,5","7"\n'.encode())
    assert str(e.value).startswith(f"{p}:3: '0.5': a decimal point among numbers with decimal commas"), e.value
