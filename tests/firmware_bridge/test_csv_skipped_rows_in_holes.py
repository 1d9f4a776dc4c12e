"""The CSV reader says where each skipped row's sample lies among the samples kept
(``StreamData.skipped_at``), so that a hole in the times is told as the samples the file lacks
there, not again as the rows skipped: an unreadable cell right before 28 lost samples gave a hole
of 29 samples, said as "29 samples lost" beside "1 bad row skipped" (the row counted twice).
An unusable row lies where its line is; a row out of time order where its time belonged."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from firmware_bridge.csv_stream import _read_bytes
from firmware_bridge.sources import holes_in_times, lost_in_gap

RATE = 200


def _rows(n: int, unreadable: dict[int, str], swaps: list[int], lost: set[int]) -> tuple[bytes, np.ndarray]:
    """The file's bytes, and the time of each sample it lacks (``lost``)."""
    rows = [f"{i / RATE:.3f},{50 + 30 * np.sin(2 * np.pi * i / RATE):.3f}" for i in range(n)]
    for j, how in unreadable.items():
        rows[j] = {"force": f"{j / RATE:.3f},n/a", "time": "n/a,50.0", "nan": f"{j / RATE:.3f},nan",
                   "short": f"{j / RATE:.3f}"}[how]
    for j in swaps:                         # two neighbouring rows swapped: the second is skipped
        rows[j], rows[j + 1] = rows[j + 1], rows[j]
    kept = [r for i, r in enumerate(rows) if i not in lost]
    return ("t_s,force_n\n" + "\n".join(kept) + "\n").encode(), np.array(sorted(lost)) / RATE


def _lacks(d, lost_t: np.ndarray) -> list[tuple[int, int]]:
    """For each hole in the times read, (samples in it less the rows skipped there, samples the file lacks in it)."""
    out = []
    for i in holes_in_times(d.t_s, d.rate_hz):
        n = lost_in_gap(d.t_s, float(d.t_s[i]), d.rate_hz)[1] - int(np.count_nonzero(d.skipped_at == i))
        out.append((n, int(np.count_nonzero((lost_t > d.t_s[i - 1]) & (lost_t < d.t_s[i])))))
    return out


@pytest.mark.parametrize("n", [800, 3000])             # read row by row; at pyarrow's speed
@pytest.mark.parametrize("fast", [False, True])
def test_an_unreadable_cell_right_before_28_lost_samples_is_not_counted_among_them(tmp_path, n, fast):
    raw, lost_t = _rows(n, {401: "force"}, [], set(range(402, 430)))
    d = _read_bytes(tmp_path / "x.csv", raw, ("t_s", "force_n"), 0.2, fast=fast)
    assert d.skipped_rows == 1
    assert d.skipped_at.tolist() == [401]             # (the sample read at 2.150 s, after the hole)
    assert _lacks(d, lost_t) == [(28, 28)]


@st.composite
def _bad_rows_and_dropouts(draw):
    """Up to 6 rows unreadable in one way or another and up to 3 swaps of neighbouring rows, 10
    rows apart, and up to 3 dropouts of 2 to 40 samples, some right after a bad row."""
    slots = draw(st.lists(st.integers(2, 70), min_size=1, max_size=9, unique=True))
    kinds = draw(st.lists(st.sampled_from(["force", "time", "nan", "short", "swap"]), min_size=len(slots),
                          max_size=len(slots)))
    unreadable = {10 * s: k for s, k in zip(slots, kinds) if k != "swap"}
    swaps = [10 * s for s, k in zip(slots, kinds) if k == "swap"][:3]
    lost: set[int] = set()
    for _ in range(draw(st.integers(0, 3))):
        after = draw(st.sampled_from(sorted(unreadable) + [j + 1 for j in swaps] + [733]))
        lost |= set(range(after + 1, after + 1 + draw(st.integers(2, 40))))
    lost -= set(unreadable) | {j for s in swaps for j in (s, s + 1)}
    return unreadable, swaps, lost


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=_bad_rows_and_dropouts(), n=st.sampled_from([800, 3000]), fast=st.booleans())
@example(bad=({401 - 1: "force"}, [], set(range(401, 429))), n=800, fast=True)
@example(bad=({400: "time"}, [420], set(range(401, 420))), n=3000, fast=False)
def test_each_hole_less_the_rows_skipped_there_is_what_the_file_lacks(tmp_path, bad, n, fast):
    unreadable, swaps, lost = bad
    raw, lost_t = _rows(n, unreadable, swaps, lost)
    d = _read_bytes(tmp_path / "x.csv", raw, ("t_s", "force_n"), 0.2, fast=fast)
    assert d.skipped_rows == len(unreadable) + len(swaps)
    said = _lacks(d, lost_t)
    assert [a for a, _ in said] == [b for _, b in said], said
    assert sum(b for _, b in said) == len(lost)
