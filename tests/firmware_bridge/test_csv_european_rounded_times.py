"""Times a spreadsheet rounded to 3 decimals at 2 kHz (0,000 0,001 0,001 0,002 …) are read as the
2000 samples a second they were, not as hundreds of holes of samples lost: every time stays within
half the rounding (0.5 ms, to 2 %) of what the file says. A real gap of several samples is still told.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import gc

RATE_HZ = 2000


def _excel(v: float) -> str:
    """``v`` as Excel shows it to 3 decimals: 15 significant digits, then half up."""
    return str(Decimal(f"{v:.15g}").quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


ROUNDINGS = {"excel": _excel, "printf": lambda v: f"{v:.3f}"}


def _csv(rounding: str, n: int = 8000, lost: slice | None = None) -> str:
    t = np.arange(n) / RATE_HZ
    keep = np.ones(n, bool)
    if lost is not None:
        keep[lost] = False
    rows = [f"{ROUNDINGS[rounding](a)};{50 + 30 * np.sin(2 * np.pi * a):.2f}".replace(".", ",")
            for a in t[keep]]
    return "Time (s);Force (N)\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize("rounding", list(ROUNDINGS))
def test_replay_says_no_sample_lost(tmp_path, rounding):
    p = tmp_path / "rounded.csv"
    p.write_text(_csv(rounding))
    r = gc("replay", p)
    assert r.returncode == 0, r.stderr
    assert "lost" not in r.stderr, r.stderr


@pytest.mark.parametrize("rounding", list(ROUNDINGS))
def test_a_real_gap_of_ten_samples_is_still_told(tmp_path, rounding):
    p = tmp_path / "rounded.csv"
    p.write_text(_csv(rounding, lost=slice(4000, 4010)))
    r = gc("replay", p)
    said = re.findall(r"(\d+) samples? lost in (\d+) gaps?", r.stderr)
    assert said and int(said[0][1]) == 1 and 9 <= int(said[0][0]) <= 11, r.stderr


@pytest.mark.parametrize("n", [300, 8000])                 # read row by row; at pyarrow's speed
def test_each_time_stays_within_half_the_rounding(tmp_path, n):
    d = read_csv_bytes(tmp_path / "x.csv", _csv("printf", n).encode())
    assert len(d.t_s) == n and np.all(np.abs(d.t_s - np.arange(n) / RATE_HZ) <= 0.0005 * 1.02)
    assert np.ptp(np.diff(d.t_s)) < 1e-9 and d.rate_hz == pytest.approx(RATE_HZ, rel=1e-3) and d.t_s[0] == 0
