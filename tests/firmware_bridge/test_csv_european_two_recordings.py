"""Two recordings pasted one after the other in one CSV (the time restarting at 0 part way) are
refused in one line naming the line where the second begins. A second recording shorter than a
fifth of the file was read as bad rows of the first, skipped, and replayed with exit 0; a longer one
was refused as "time goes backwards", which did not say what was wrong.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import InputError
from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import gc


def _rows(n: int, start_s: float = 0.0) -> list[str]:
    """``n`` rows at 500 Hz from ``start_s``, decimal commas, a 1 Hz oscillation."""
    t = start_s + np.arange(n) / 500
    return [f"{a:.3f};{50 + 30 * np.sin(2 * np.pi * a):.2f}".replace(".", ",") for a in t]


def _file(tmp_path, *parts: list[str]):
    p = tmp_path / "two.csv"
    p.write_text("Time (s);Force (N)\n" + "".join(r + "\n" for part in parts for r in part))
    return p


def test_a_short_second_recording_is_refused_not_skipped(tmp_path):
    p = _file(tmp_path, _rows(3000), _rows(500))
    r = gc("replay", p)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (f"gradecoach: error: {p}:3002: time restarts at 0 after 5.998: two recordings in one file? "
                        f"split them\n")


@pytest.mark.parametrize("first, second", [(100, 100), (3000, 4000)])   # read row by row; at pyarrow's speed
def test_the_line_where_the_second_begins_is_named_after_its_own_header(tmp_path, first, second):
    p = _file(tmp_path, _rows(first), ["Time (s);Force (N)"], _rows(second, 0.002))
    with pytest.raises(InputError) as e:
        read_csv_bytes(p, p.read_bytes())
    assert str(e.value) == f"{p}:{first + 3}: time restarts at 0.002 after {(first - 1) / 500:g}: two recordings " \
                           f"in one file? split them"


@pytest.mark.parametrize("n", [200, 5000])
def test_a_lone_row_with_time_0_is_a_skipped_row(tmp_path, n):
    """A logger's glitch: the rows after it go on from the row before it."""
    rows = _rows(n)
    rows[n // 2] = "0,000;0"
    p = _file(tmp_path, rows)
    d = read_csv_bytes(p, p.read_bytes())
    assert d.skipped_rows == 1 and len(d.t_s) == n - 1
    assert d.problems == [f"{p}:{n // 2 + 2}: time goes backwards (0.0 after {(n // 2 - 1) / 500:g})"]
