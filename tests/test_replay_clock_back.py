"""A force logger whose clock steps back part way (every time from a row on half a second early):
the rows whose times went back are skipped, and the rows after them are a new run, marked as a
gap where the two runs meet, as a dropout is, with no cycle across it. Replay stitched the two
halves together there and found a cycle that never was (III- at 5 Hz, the frequency CV ten
times the untouched file's), with no gap to show the join."""

from __future__ import annotations

import json

import numpy as np

from firmware_bridge.csv_stream import write_force_csv
from tests._cli_in_process import gc_in_process
from tests.conftest import simulate

AT = 3000          # the first row (0 = the first after the header) written with its time 0.5 s early
BACK_S = 0.5


def _stepped_back(tmp_path, back_s=BACK_S):
    """The recording as written, and with its times from row AT on ``back_s`` early."""
    t0, y, _ = simulate("III+", cycles=10, seed=1)
    t = t0.copy()
    t[AT:] -= back_s
    write_force_csv(tmp_path / "true.csv", t0, y)
    write_force_csv(tmp_path / "back.csv", t, y)
    return tmp_path / "back.csv", t0, t


def _replayed(capfd, p, out):
    r = gc_in_process(capfd, "replay", p, "--r1", "40", "--r2", "120", "--format", "jsonl", "-o", out)
    assert r.returncode == 0, r.stderr
    return [json.loads(x) for x in out.read_text().splitlines()]


def test_the_join_is_a_gap_and_no_cycle_spans_it(tmp_path, capfd):
    p, t0, t = _stepped_back(tmp_path)
    events = _replayed(capfd, p, tmp_path / "ev.jsonl")
    k = AT + int(np.count_nonzero(t[AT:] <= t[AT - 1]))     # the first row after the ones skipped
    gaps = [e for e in events if e["type"] == "gap"]
    assert [(g["t_start"], g["t_end"], g["reason"]) for g in gaps] == [
        (round(float(t[AT - 1]), 6), round(float(t[k]), 6), "clock stepped back")]
    cycles = [e for e in events if e["type"] == "cycle"]
    assert not [c for c in cycles if c["t_start"] < t[k] and c["t_end"] > t[AT - 1]]
    assert {c["grade"] + (c["modifier"] or "") for c in cycles} == {"III+"}
    # every cycle of the recording as written but those the skipped rows held a part of
    true = [c for c in _replayed(capfd, tmp_path / "true.csv", tmp_path / "true.jsonl") if c["type"] == "cycle"]
    kept = [c for c in true if c["t_end"] <= t0[AT - 1] or c["t_start"] >= t0[k]]
    assert len(kept) == 8 and len(cycles) == len(kept)
    warnings = [e["message"] for e in events if e["type"] == "warning"]
    assert warnings == [f"{p}:{AT + 2}: the logger's clock stepped back 0.5 s ({t[AT]:g} after {t[AT - 1]:g}): "
                        f"{k - AT} rows (lines {AT + 2}–{k + 1}) repeat times already had and are skipped; the rows "
                        f"after them, from {t[k]:.3f} s on, are a new run, not joined to those before"]


def test_the_table_lists_the_gap(tmp_path, capfd):
    p, _, t = _stepped_back(tmp_path)
    r = gc_in_process(capfd, "replay", p, "--r1", "40", "--r2", "120", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "  gaps: 1 (clock stepped back: 1)," in r.stdout
    assert f"    {t[AT - 1]:.2f}–{t[AT - 1] + 0.002:.2f} s  clock stepped back" in r.stdout
    assert "III+:8" in r.stdout and "III-" not in r.stdout


def test_a_short_step_back_is_bad_rows_alone(tmp_path, capfd):
    """Rows going back less than the analysis bridges (0.1 s here) stay bad rows skipped, as a
    lone row out of order does: no gap."""
    p, _, t = _stepped_back(tmp_path, 0.1)
    events = _replayed(capfd, p, tmp_path / "ev.jsonl")
    assert [e for e in events if e["type"] == "gap"] == []
    assert events[-1]["skipped_rows"] == int(np.count_nonzero(t[AT:] <= t[AT - 1]))
