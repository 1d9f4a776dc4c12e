"""A CSV whose logger's clock stepped back part way and went on from there: the rows whose times
went back are skipped, and the reader tells where the rows after them start a new run (their
times run on from the ones before as if nothing were missing), read row by row or by pyarrow
alike, judged in seconds whatever the time column's unit. Fewer rows back than the analysis
bridges as a pause (0.25 s), a lone row or two swapped, are bad rows alone."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.csv_stream import read_timed_csv

STEP_MS = 2


def _written(tmp_path, n: int, at: int, back_rows: int, unit: str = "s", name: str = "x.csv"):
    """``n`` rows 2 ms apart, the times from row ``at`` on ``back_rows`` rows early."""
    k = np.arange(n)
    k[at:] -= back_rows
    t = k * STEP_MS * (1e-3 if unit == "s" else 1.0)
    y = 50 + 30 * np.sin(np.arange(n) / 50)
    p = tmp_path / name
    fmt = "{:.6f},{:.4f}\n" if unit == "s" else "{:.0f},{:.4f}\n"
    p.write_text(f"t_{unit},force_n\n" + "".join(fmt.format(a, b) for a, b in zip(t, y)))
    return p, t


@pytest.mark.parametrize("n", [900, 3000])             # row by row (under 16 KB), and by pyarrow
def test_the_rows_after_a_step_back_start_a_new_run(tmp_path, n):
    p, t = _written(tmp_path, n, 300, 150)
    d = read_timed_csv(p)
    assert d.skipped_rows == 150
    assert [(i, line, round(back, 6), a, b) for i, line, back, a, b in d.clock_steps] == [
        (300, 302, 0.3, round(t[300], 6), round(t[299], 6))]
    assert d.t_s[300] == pytest.approx(t[450]) and d.t_s[299] == pytest.approx(t[299])


def test_milliseconds_are_judged_in_seconds(tmp_path):
    p, _ = _written(tmp_path, 3000, 300, 150, unit="ms")
    d = read_timed_csv(p)
    assert [(i, line, round(back, 6)) for i, line, back, *_ in d.clock_steps] == [(300, 302, 0.3)]
    p, _ = _written(tmp_path, 3000, 300, 100, unit="ms", name="short.csv")
    assert read_timed_csv(p).clock_steps == []


@pytest.mark.parametrize("back_rows", [1, 2, 100])     # 2 ms, 4 ms, 0.2 s back: bridged
def test_a_short_step_back_is_bad_rows_alone(tmp_path, back_rows):
    p, _ = _written(tmp_path, 3000, 300, back_rows)
    d = read_timed_csv(p)
    assert d.skipped_rows == back_rows and d.clock_steps == []


def test_a_lone_row_back_or_two_swapped_is_no_new_run(tmp_path):
    p, t = _written(tmp_path, 3000, 0, 0)
    lines = p.read_text().splitlines(keepends=True)
    lines[1001] = f"{t[10]:.6f},1.0\n"                   # a lone row far back
    lines[2001], lines[2002] = lines[2002], lines[2001]     # two neighbours swapped
    p.write_text("".join(lines))
    d = read_timed_csv(p)
    assert d.skipped_rows == 2 and d.clock_steps == []
