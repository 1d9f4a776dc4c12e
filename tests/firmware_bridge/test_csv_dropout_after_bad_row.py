"""A dropout right after a swapped or repeated row is still said as samples lost: the hole a bad
row leaves is that row, said as skipped, but a hole larger than the rows skipped there lost
samples besides. With 28 samples (140 ms) missing right after a swapped row, replay marked no gap
and said nothing of them (the swapped row's mark, placed by its line in the file, covered the
dropout); without the swapped row it said "28 samples lost in 1 gap"."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from firmware_bridge.replay import load_input

RATE = 200


def _file(tmp_path, n: int, swaps: list[int], repeats: list[int], lost: range):
    t = [f"{i / RATE:.3f}" for i in range(n)]
    f = [f"{50 + 30 * np.sin(2 * np.pi * i / RATE):.3f}" for i in range(n)]
    for j in repeats:                       # a time written again in place of the next one
        t[j] = t[j - 1]
    rows = [f"{a},{b}" for a, b in zip(t, f)]
    for j in swaps:                         # two neighbouring rows swapped
        rows[j], rows[j + 1] = rows[j + 1], rows[j]
    rows = [r for i, r in enumerate(rows) if i not in lost]
    p = tmp_path / f"d{n}.csv"
    p.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    return p


def _lost_said(inp):
    return [w for w in inp.warnings if " lost in " in w]


@pytest.mark.parametrize("n", [800, 3000])             # read row by row; at pyarrow's speed
def test_28_samples_lost_right_after_a_swapped_row_are_said(tmp_path, n):
    p = _file(tmp_path, n, swaps=[400], repeats=[], lost=range(402, 430))
    inp = load_input(p)
    assert [(round(g["t_start"], 3), round(g["t_end"], 3)) for g in inp.gaps] == [(2.005, 2.15)]
    assert _lost_said(inp) == [f"{p}: 28 samples lost in 1 gap (its times skip them, at 200 samples a second; "
                               f"the first at 2.00 s)"]
    assert inp.force.skipped_rows == 1


@st.composite
def _bad_rows_and_a_dropout(draw):
    """Up to 4 swaps and up to 4 repeated times, 8 rows apart, and 2 to 40 samples lost right after
    one of them (after a swap's second row, or after a repeated time)."""
    slots = draw(st.lists(st.integers(2, 80), min_size=1, max_size=8, unique=True))
    kinds = draw(st.lists(st.booleans(), min_size=len(slots), max_size=len(slots)))
    swaps = [8 * s for s, k in zip(slots, kinds) if k][:4]
    repeats = [8 * s for s, k in zip(slots, kinds) if not k][:4]
    at = draw(st.sampled_from([*(j + 2 for j in swaps), *(j + 1 for j in repeats)]))
    return swaps, repeats, range(at, at + draw(st.integers(2, 5)))


@pytest.mark.parametrize("n", [800, 3000])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=_bad_rows_and_a_dropout())
@example(bad=([400], [], range(402, 430)))
@example(bad=([], [400], range(401, 429)))
def test_a_dropout_right_after_a_bad_row_is_said_and_each_bad_row_alone_is_no_gap(tmp_path, n, bad):
    swaps, repeats, lost = bad
    p = _file(tmp_path, n, swaps, repeats, lost)
    inp = load_input(p)
    assert inp.force.skipped_rows == len(swaps) + len(repeats)
    # (a repeated time stands for a line written twice: the sample it stands in place of is lost too)
    missing = len(lost) + (lost.start - 1 in repeats)
    assert len(inp.gaps) == 1, inp.gaps
    said = _lost_said(inp)
    assert len(said) == 1 and said[0].startswith(f"{p}: {missing} samples lost in 1 gap"), said
