"""replay of a compressed CSV named as such (x.csv.gz) says what it is and what to do, as one
named x.csv does (it was "unknown input type"); a row that does not read just before a dropout
is said as a bad row and not counted again among the samples lost (29 were said for 28)."""

from __future__ import annotations

import gzip

import numpy as np

from firmware_bridge.replay import load_input
from tests.conftest import ROOT, gc


def test_a_gzipped_csv_named_so(tmp_path):
    p = tmp_path / "x.csv.gz"
    p.write_bytes(gzip.compress((ROOT / "fixtures" / "lumbar_grade3.csv").read_bytes()))
    r = gc("replay", p)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {p}: compressed (gzip): decompress it first (gunzip)"]


def test_a_bad_row_before_a_dropout_is_not_counted_twice(tmp_path):
    rate = 200
    rows = [f"{i / rate:.3f},{50 + 30 * np.sin(2 * np.pi * i / rate):.3f}" for i in range(800)]
    rows[401] = f"{401 / rate:.3f},n/a"
    rows = [r for i, r in enumerate(rows) if i not in range(402, 430)]       # 28 samples never sent
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    said = load_input(p).warnings
    assert any(w.startswith("1 bad row skipped") for w in said), said
    assert [w for w in said if "lost in" in w] == [f"{p}: 28 samples lost in 1 gap (its times skip them, at 200 "
                                                   f"samples a second; the first at 2.00 s)"]
