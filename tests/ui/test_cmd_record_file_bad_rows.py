"""Recording from a played file (``--device file:…``) says, as 'replay' does, which of its rows
were skipped: the recording lacks them (a NaN cell, times going back), and it said nothing."""

from __future__ import annotations

import numpy as np

from .conftest import run_record


def test_record_from_a_file_with_a_bad_row_says_so_once(tmp_path):
    t = np.arange(1000) / 500.0                                # 2 s at 500 Hz
    rows = [f"{a:.6f},{5 + 10 * np.sin(a):.4f}" for a in t]
    rows[100] = f"{t[100]:.6f},nan"                            # line 102 of the file
    src = tmp_path / "cell_nan.csv"
    src.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    r = run_record("--device", f"file:{src}", "--out", tmp_path / "rec", "--duration", "0.5", "--quiet")
    said = [ln for ln in r.stderr.splitlines() if "skipped" in ln]
    assert said == [f"file:{src}: 1 bad row skipped (first: {src}:102: NaN or infinite value)"]
