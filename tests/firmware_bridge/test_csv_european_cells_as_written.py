"""A cell that does not read, in a CSV with decimal commas, is quoted as the file has it: ``'12,5 N'``,
not ``'12.5 N'`` (the decimal commas turned into points to read the numbers), so the user finds it
in the file. Read at pyarrow's speed or row by row alike.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import InputError
from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import gc


def _rows(n: int) -> list[str]:
    t = np.arange(n) / 500
    return [f"{a:.3f};{50 + 30 * np.sin(2 * np.pi * a):.2f}".replace(".", ",") for a in t]


def test_replay_quotes_the_bad_cell_as_written(tmp_path):
    rows = _rows(2000)
    rows[5] = "0,010;12,5 N"
    p = tmp_path / "x.csv"
    p.write_text("Time (s);Force (N)\n" + "\n".join(rows) + "\n")
    r = gc("replay", p)
    assert r.returncode == 0
    assert f"gradecoach: warning: 1 bad row skipped (first: {p}:7: non-numeric cell '12,5 N')\n" in r.stderr


@pytest.mark.parametrize("n", [20, 3000])                 # read row by row; at pyarrow's speed
@pytest.mark.parametrize("sep_line", [False, True])        # Excel's sep=; line above the header
def test_the_first_bad_cells_are_quoted_as_written(tmp_path, n, sep_line):
    rows = _rows(n)
    rows[2] = "0,004;\"1,5,0\""
    rows[4] = "0,0,8;1,0"
    rows[6] = "0,012;n/a"
    text = ("sep=;\n" if sep_line else "") + "t_s;force_n\n" + "\n".join(rows) + "\n"
    d = read_csv_bytes(tmp_path / "x.csv", text.encode(), max_bad_share=0.5)
    first = 3 if sep_line else 2
    assert d.problems == [f"{tmp_path / 'x.csv'}:{first + 2}: non-numeric cell '1,5,0'",
                          f"{tmp_path / 'x.csv'}:{first + 4}: non-numeric cell '0,0,8'",
                          f"{tmp_path / 'x.csv'}:{first + 6}: non-numeric cell 'n/a'"]


def test_a_file_refused_for_its_bad_rows_quotes_the_first_as_written(tmp_path):
    p = tmp_path / "x.csv"
    with pytest.raises(InputError) as e:
        read_csv_bytes(p, b"t_s;force_n\n0,000;1,0\n0,002;12,5 N\n0,004;1,0\n")
    assert str(e.value) == f"{p}:3: non-numeric cell '12,5 N' (1 of 3 rows bad)"


def test_a_long_cell_is_cut_as_before(tmp_path):
    p = tmp_path / "x.csv"
    with pytest.raises(InputError) as e:
        read_csv_bytes(p, b"t_s;force_n\n0,000;1,0\n0,002;1,2,3,4,5,6,7,8,9,10,11\n")
    assert str(e.value) == f"{p}:3: non-numeric cell '1,2,3,4,5,6,7,8,9...' (1 of 2 rows bad)"
