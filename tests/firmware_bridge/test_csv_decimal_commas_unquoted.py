"""A comma-separated CSV whose decimal commas are not quoted (``0,000000,1,6048``: every number
split in two) is refused in one line naming the file and line, not read as nonsense.

fixtures/lumbar_grade3.csv with every '.' turned into ',' replayed with exit 0: its rows were read
as the header's two columns, times of whole seconds and forces of the fractions' digits, giving
"16 cycles ... amplitude 792704.6 N" with two side warnings (times shared by 8745 of 8763 rows,
a force of 998000 N). Quoted decimal commas, semicolon files, a trailing comma on each row, a
header naming more columns than needed, and an unnamed column of whole numbers stay read.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import ROOT, gc

MESSAGE = "cells where the header has"


def test_the_fixture_with_decimal_commas_unquoted_is_refused_naming_its_first_row(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text((ROOT / "fixtures" / "lumbar_grade3.csv").read_text().replace(".", ","))
    r = gc("replay", p)
    assert r.returncode == 2, r.stdout[-500:]
    assert r.stdout == ""
    assert r.stderr == (f"gradecoach: error: {p}:2: 4 cells where the header has 2: decimal commas? quote them "
                        f"(\"0,5\") or separate the columns with ';'\n")


@pytest.mark.parametrize("text", [
    't_s,force_n\n"0,000","1,60"\n"0,002","1,38"\n"0,004","1,20"\n',        # quoted decimal commas
    "t_s;force_n\n0,000;1,60\n0,002;1,38\n0,004;1,20\n",                   # separated by semicolons
    "t_s,force_n\n0.000,1.60,\n0.002,1.38,\n0.004,1.20,\n",                # a trailing comma
    "t_s,force_n,\n0.000,1.60,\n0.002,1.38,\n0.004,1.20,\n",
    "t_s,force_n,temp_c\n0.000,1.60,20.5\n0.002,1.38,20.5\n0.004,1.20,20.5\n",
    "t_s,force_n\n0.000,1.60,7\n0.002,1.38,7\n0.004,1.20,7\n",             # an unnamed column
])
def test_files_with_more_cells_than_needed_stay_read(tmp_path, text):
    d = read_csv_bytes(tmp_path / "y.csv", text.encode())
    assert d.t_s.tolist() == [0.0, 0.002, 0.004] and d.values.tolist() == [1.6, 1.38, 1.2]


def test_whole_milliseconds_and_forces_with_decimal_commas_are_refused(tmp_path):
    """Times going up (whole milliseconds) do not hide forces split in two: a fraction's leading zero tells."""
    text = "t_ms,force_n\n" + "".join(f"{i},{50 + 30 * np.sin(i / 100):.3f}\n".replace(".", ",") for i in range(100))
    with pytest.raises(InputError) as e:
        read_csv_bytes(tmp_path / "y.csv", text.encode(), ("t_ms", "force_n"))
    assert str(e.value).startswith(f"{tmp_path / 'y.csv'}:2: 3 cells where the header has 2: decimal commas?")


def test_whole_numbers_with_an_unnamed_column_stay_read(tmp_path):
    text = "t_ms,force_n\n" + "".join(f"{i},{20 + i % 7},0\n" for i in range(100))
    d = read_csv_bytes(tmp_path / "y.csv", text.encode(), ("t_ms", "force_n"))
    assert d.t_s.tolist() == list(range(100)) and d.values[:3].tolist() == [20, 21, 22]


def _num(v: float, places: int | None) -> str:
    return f"{v:.{places}f}" if places is not None else f"{v:g}"


@st.composite
def _table(draw):
    """A recording as a spreadsheet would write it: times at 2 to 2000 samples a second with 3 or
    6 decimals; forces (and a third column, sometimes) with 0 to 4 decimals or as few as needed;
    its values repeated ``copies`` times (large enough to be read at pyarrow's speed too)."""
    rate = draw(st.sampled_from([2, 10, 100, 250, 1000, 2000]))
    n = draw(st.integers(20, 120))
    copies = draw(st.integers(1, 40))
    t_places = 6 if rate > 250 else draw(st.sampled_from([3, 6]))
    cols = draw(st.integers(1, 2))
    places = [draw(st.one_of(st.none(), st.integers(0, 4))) for _ in range(cols)]
    vals = draw(st.lists(st.lists(st.floats(-500, 500, allow_nan=False), min_size=cols, max_size=cols),
                         min_size=n, max_size=n))
    rows = [[_num(i / rate, t_places)] + [_num(v, p) for v, p in zip(vals[i % n], places)] for i in range(n * copies)]
    return ["t_s", "force_n", "temp_c"][:cols + 1], rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=_table(), ending=st.sampled_from(["\n", "\r\n"]), trailing=st.booleans())
@example(table=(["t_s", "force_n"], [[f"{i / 500:.6f}", "57"] for i in range(50)]), ending="\n", trailing=False)
def test_decimal_commas_unquoted_are_refused_or_read_as_written(tmp_path, table, ending, trailing):
    """Never read as other numbers than those written: a file with a decimal comma in it is
    refused naming its first row split by one; one without is read as written. Its decimal commas
    quoted, or its columns separated by ';', it is read as written."""
    header, rows = table
    end = "," + ending if trailing else ending
    written = [[float(c) for c in row] for row in rows]

    def file(sep: str, quote: bool) -> bytes:
        cells = [[f'"{c.replace(".", ",")}"' if quote else c.replace(".", ",") for c in row] for row in rows]
        return (sep.join(header) + ending + "".join(sep.join(r) + end.replace(",", sep) for r in cells)).encode()

    p = tmp_path / "x.csv"
    required = tuple(header[:2])
    commas = [k for k, row in enumerate(rows) if any("." in c for c in row)]
    if commas:
        with pytest.raises(InputError) as e:
            read_csv_bytes(p, file(",", False), required)
        k = commas[0]
        cells = sum(len(c.split(".")) for c in rows[k])
        assert str(e.value).startswith(f"{p}:{k + 2}: {cells} {MESSAGE} {len(header)}: decimal commas?")
    for sep, quote in [(";", False), (",", True)] + ([] if commas else [(",", False)]):
        try:
            d = read_csv_bytes(p, file(sep, quote), required)
        except InputError as e:         # (the times the draw gave may repeat: refused as such, never misread)
            assert MESSAGE not in str(e)
            continue
        if not d.problems and not d.notes:
            assert np.array_equal(d.t_s, [r[0] for r in written])
            assert np.array_equal(d.values, [r[1] for r in written])
