"""One row out of time order costs that row, named by its line, not the rest of the file.

A row whose time jumps far ahead (a logger's glitch) made every row after it "go backwards": the
file was refused, naming the line after the glitch. Two swapped rows 100 lines apart lost the 100
rows between them. Two recordings one after the other in one file are still refused at the first
row of the second, saying so.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from firmware_bridge.replay import load_input
from firmware_bridge.session import _read_bytes, read_force_csv


def _rows(n: int) -> list[str]:
    return [f"{i / 1000:.3f},{i % 50}" for i in range(n)]


def _write(tmp_path, rows: list[str], name: str = "x.csv"):
    p = tmp_path / name
    p.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    return p


@pytest.mark.parametrize("n", [600, 5000])              # read row by row; at pyarrow's speed
def test_a_time_jumping_far_ahead_skips_that_row_alone_and_names_its_line(tmp_path, n):
    rows = _rows(n)
    rows[1000 % n] = f"{1000 % n / 1000 + 1000:.3f},777"     # line 1002 (or 402), 1000 s ahead
    line = 1000 % n + 2
    p = _write(tmp_path, rows)
    inp = load_input(p)
    assert len(inp.force.t_s) == n - 1 and np.all(np.diff(inp.force.t_s) > 0)
    assert 777 not in inp.force.values
    assert inp.warnings == [f"1 bad row skipped (first: {p}:{line}: time jumps ahead of the rows after it "
                            f"({float(rows[line - 2].split(',')[0])}, then {(line - 1) / 1000}))"]


def test_a_first_row_far_ahead_is_skipped(tmp_path):
    rows = _rows(3000)
    rows[0] = "1000.000,7"
    p = _write(tmp_path, rows)
    d = read_force_csv(p)
    assert len(d.t_s) == 2999 and d.t_s[0] == 0.001
    assert d.problems == [f"{p}:2: time jumps ahead of the rows after it (1000.0, then 0.001)"]


def test_two_rows_swapped_100_lines_apart_lose_those_two_rows(tmp_path):
    rows = _rows(5000)
    rows[1000], rows[1100] = rows[1100], rows[1000]
    p = _write(tmp_path, rows)
    d = read_force_csv(p)
    assert d.skipped_rows == 2 and len(d.t_s) == 4998               # was 100 rows skipped
    assert d.problems == [f"{p}:1002: time jumps ahead of the rows after it (1.1, then 1.001)",
                          f"{p}:1102: time goes backwards (1.0 after 1.099)"]


def test_two_neighbouring_rows_swapped_lose_one_row_as_before(tmp_path):
    rows = _rows(5000)
    rows[1000], rows[1001] = rows[1001], rows[1000]
    p = _write(tmp_path, rows)
    d = read_force_csv(p)
    assert d.skipped_rows == 1 and d.problems == [f"{p}:1003: time goes backwards (1.0 after 1.001)"]


@pytest.mark.parametrize("first, second", [(1000, 3000), (3000, 1000)])
def test_two_recordings_in_one_file_are_still_refused_at_the_second(tmp_path, first, second):
    rows = _rows(first) + _rows(second)
    p = _write(tmp_path, rows)
    with pytest.raises(InputError) as e:
        read_force_csv(p)
    last = (first - 1) / 1000
    assert str(e.value) == f"{p}:{first + 2}: time restarts at 0 after {last:g}: two recordings in one file? split them"


@settings(max_examples=50, deadline=None)
@given(n=st.integers(3, 400), jumps=st.lists(st.tuples(st.integers(0, 399), st.floats(-5, 1000)), max_size=4),
       leaf=st.sampled_from([0, 200, 2000]))
def test_rows_out_of_order_are_read_alike_by_both_readers(tmp_path_factory, n, jumps, leaf):
    """Times jumping ahead or back anywhere: pyarrow's reader (split into parts of any size) and
    the row-by-row reader give the same rows, counts and messages."""
    import firmware_bridge.csv_stream as csv_stream

    t = np.arange(n) / 100
    for i, dt in jumps:
        t[i % n] += dt
    raw = ("t_s,force_n\n" + "".join(f"{v!r},{k}\n" for k, v in enumerate(t))).encode()
    p = tmp_path_factory.mktemp("order") / "x.csv"

    def outcome(fast):
        try:
            d = _read_bytes(p, raw, ("t_s", "force_n"), 0.5, fast=fast)
        except InputError as e:
            return str(e)
        return d.t_s.tolist(), d.values.tolist(), d.skipped_rows, d.problems, d.notes

    with pytest.MonkeyPatch.context() as m:
        m.setattr(csv_stream, "_LEAF_BYTES", leaf)
        assert outcome(True) == outcome(False)
