"""Rows swapped with their neighbour and repeated times in one file: each is one bad row, said
once, and none leaves a hole said as samples lost. A file with one swap and one repeated time
before it said "1 sample lost in 1 gap" and a 1.995–2.005 s "dropped samples" gap as well as "2 bad
rows skipped": the swapped row's hole was placed one row off among the rows kept."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from firmware_bridge.replay import load_input

RATE = 200


def _file(tmp_path, n: int, swaps: list[int], repeats: list[int]):
    t = [f"{i / RATE:.3f}" for i in range(n)]
    f = [f"{50 + 30 * np.sin(2 * np.pi * i / RATE):.3f}" for i in range(n)]
    for j in repeats:                       # a time written again in place of the next one
        t[j] = t[j - 1]
    rows = [f"{a},{b}" for a, b in zip(t, f)]
    for j in swaps:                         # two neighbouring rows swapped
        rows[j], rows[j + 1] = rows[j + 1], rows[j]
    p = tmp_path / f"s{n}.csv"
    p.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    return p


@pytest.mark.parametrize("n", [800, 3000])             # read row by row; at pyarrow's speed
def test_a_swap_after_a_repeated_time_is_no_gap(tmp_path, n):
    p = _file(tmp_path, n, swaps=[400], repeats=[100])   # lines 402/403 swapped, line 102 repeats 0.495
    inp = load_input(p)
    assert inp.gaps == []
    assert inp.force.skipped_rows == 2
    assert [w for w in inp.warnings if "lost" in w] == []
    assert f"2 bad rows skipped (first: {p}:102: time does not advance (0.495 after 0.495))" in inp.warnings
    assert len(inp.force.t_s) == n - 2


@st.composite
def _bad_rows(draw):
    """Up to 5 swaps and up to 5 repeated times (under 1 row in 100: each a bad row), 6 rows apart."""
    slots = draw(st.lists(st.integers(1, 90), min_size=1, max_size=10, unique=True))
    kinds = draw(st.lists(st.booleans(), min_size=len(slots), max_size=len(slots)))
    swaps = [6 * s for s, k in zip(slots, kinds) if k][:5]
    repeats = [6 * s for s, k in zip(slots, kinds) if not k][:5]
    return swaps, repeats


@pytest.mark.parametrize("n", [800, 3000])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=_bad_rows())
@example(bad=([60], [30]))
def test_each_swap_and_repeat_is_one_bad_row_and_no_gap(tmp_path, n, bad):
    swaps, repeats = bad
    p = _file(tmp_path, n, swaps, repeats)
    inp = load_input(p)
    assert inp.force.skipped_rows == len(swaps) + len(repeats)
    assert len(inp.force.t_s) == n - len(swaps) - len(repeats)
    assert inp.gaps == []
    assert [w for w in inp.warnings if "lost" in w] == []
