"""A CSV another tool exported across Bluetooth dropouts has holes in its times and no gap marked:
``replay``, ``screenshot --replay`` and a played file (``--device file:``) count the samples lost
in each from the times either side of it, alike, and mark it as a BLE capture marks its own. They
said nothing, and the analysis bridged the holes as if no sample were missing. Jittered times
(a BLE logger's, up to ±0.45 of a period) are no loss."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tests.conftest import ROOT
from ui import cmd_screenshot
from ui.cli import build_parser, main

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
RATE_HZ = 500.0
HOLES = ((1000, 1), (2500, 5), (4000, 40))        # (first sample lost, samples lost)
LOST = sum(n for _, n in HOLES)                   # 46


def _force(t: np.ndarray) -> np.ndarray:
    return 60 + 30 * np.sin(2 * np.pi * 1.5 * t)


def _write(path, t, y, header="t_s,force_n", fmt="{:.6f},{:.3f}\n"):
    path.write_text(header + "\n" + "".join(fmt.format(a, b) for a, b in zip(t, y)))
    return path


def _holed(tmp_path, jitter=0.3, seed=3):
    """12 s at 500 Hz, times jittered by up to ``jitter`` of a period, with :data:`HOLES` cut out;
    and the times either side of each hole."""
    g = np.random.default_rng(seed)
    grid = np.arange(0, 12, 1 / RATE_HZ)
    t = grid + g.uniform(-jitter, jitter, len(grid)) / RATE_HZ
    keep = np.ones(len(t), bool)
    for a, n in HOLES:
        keep[a:a + n] = False
    sides = [(round(float(t[a - 1]), 6), round(float(t[a + n]), 6)) for a, n in HOLES]
    return _write(tmp_path / "export.csv", t[keep], _force(grid[keep])), sides


def _replayed(tmp_path, path, capsys) -> tuple[list[dict], str]:
    out = tmp_path / "r.jsonl"
    assert main(["replay", str(path), "--format", "jsonl", "-o", str(out), "--r1", "40", "--r2", "120"]) == 0
    return [json.loads(x) for x in out.read_text().splitlines()], capsys.readouterr().err


def _screenshot(tmp_path, flag, spec, at=11.0):
    """The status line's dropped count and the warnings of ``screenshot FLAG SPEC --at AT``."""
    args = build_parser("screenshot").parse_args(["screenshot", flag, str(spec), "--at", str(at), "--r1", "40",
                                                  "--r2", "120", "-o", str(tmp_path / "x.png")])
    warnings: list[str] = []
    win = cmd_screenshot.render(args, warnings)
    try:
        return int(re.search(r"\bdropped (\d+)\b", win._status_text()).group(1)), warnings
    finally:
        win.close()


def test_replay_counts_the_samples_lost_where_the_times_jump(tmp_path, capsys):
    path, sides = _holed(tmp_path)
    events, err = _replayed(tmp_path, path, capsys)
    said = (f"{path}: {LOST} samples lost in 3 gaps (its times skip them, at 500 samples a second; the first "
            f"at {sides[0][0]:.2f} s)")
    assert f"gradecoach: warning: {said}" in err.splitlines()
    assert said in [e["message"] for e in events if e["type"] == "warning"]
    gaps = [(round(e["t_start"], 6), round(e["t_end"], 6), e["reason"]) for e in events if e["type"] == "gap"]
    assert gaps == [(a, b, "dropped samples") for a, b in sides]

    assert main(["replay", str(path), "--format", "table", "--r1", "40", "--r2", "120"]) == 0
    table = capsys.readouterr().out
    assert "  gaps: 3 (dropped samples: 3)" in table and said in table


def test_screenshot_and_a_played_file_count_them_as_replay_does(tmp_path, monkeypatch):
    from firmware_bridge import sources

    # (the played file at 20 times its speed: 11 s of it in 0.55 s, not 11)
    monkeypatch.setitem(sources.SOURCES, "file", lambda rest: sources.FileSource(rest, speed=20.0))
    path, sides = _holed(tmp_path)
    said = f"{path}: {LOST} samples lost in 3 gaps"
    dropped, warnings = _screenshot(tmp_path, "--replay", path)
    assert dropped == LOST and any(w.startswith(said) for w in warnings)
    dropped, warnings = _screenshot(tmp_path, "--device", f"file:{path}")
    assert dropped == LOST and any(said in w for w in warnings)
    # up to a time between the holes: those before it
    assert _screenshot(tmp_path, "--replay", path, at=6.0)[0] == 1 + 5


def test_the_trainers_file_playback_tells_each_hole_and_counts_it(tmp_path):
    from firmware_bridge.sources import FileSource

    path, sides = _holed(tmp_path)
    src = FileSource(str(path), speed=100.0)
    src.open()
    told, seq = [], []
    try:
        while not src.exhausted:
            for c in src.read(0.1):
                seq.extend(range(c.seq0, c.seq0 + len(c)))
            told += [n for n in src.notices() if n.kind == "gap"]
    finally:
        src.close()
    assert [(round(n.t_s, 6), round(n.t_end_s, 6), n.samples) for n in told] == \
        [(a, b, n) for (a, b), (_, n) in zip(sides, HOLES)]
    assert told[2].message == f"file export.csv at {sides[2][0]:.2f} s: 40 samples lost in the recording"
    assert src.stats.dropped == LOST
    steps = np.diff(seq)
    assert sorted(int(s) - 1 for s in steps[steps != 1]) == sorted(n for _, n in HOLES)   # numbered as a device


def test_an_imu_csv_alone_has_its_holes_counted(tmp_path, capsys):
    t = np.arange(0, 12, 0.01)                                       # 100 Hz
    keep = np.ones(len(t), bool)
    keep[300:303] = False
    p = tmp_path / "wrist.csv"
    p.write_text("t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads\n"
                 + "".join(f"{a:.3f},{0.5 * np.sin(2 * np.pi * 1.5 * a):.4f},0,9.81,0,0,0\n" for a in t[keep]))
    events, err = _replayed(tmp_path, p, capsys)
    assert f"{p}: 3 samples lost in 1 gap (its times skip them, at 100 samples a second; the first at 2.99 s)" in err
    assert [(e["t_start"], e["t_end"]) for e in events if e["type"] == "gap"] == [(2.99, 3.03)]


def test_a_hole_the_analysis_finds_itself_stays_its_dropout(tmp_path, capsys):
    """A second without samples the analysis grades apart as a dropout, as before; only the
    short hole, which it bridged, is marked and counted."""
    t = np.concatenate([np.arange(0, 5, 0.002), np.arange(6, 10, 0.002)])
    t = np.delete(t, [3000, 3001])                                  # 2 samples at 7 s
    events, err = _replayed(tmp_path, _write(tmp_path / "x.csv", t, _force(t)), capsys)
    assert "2 samples lost in 1 gap" in err
    assert [(e["reason"], round(e["t_start"], 3)) for e in events if e["type"] == "gap"] == \
        [("dropout", 4.998), ("dropped samples", 6.998)]


def _jittered(tmp_path, kind):
    g = np.random.default_rng(11)
    if kind == "fixture":                       # simulated BLE logger: ±0.4 of a period at 200 Hz
        return ROOT / "fixtures" / "thrust_ble_letup.csv"
    if kind == "uniform":                       # up to ±0.45 of a period at 200 Hz
        grid = np.arange(0, 60, 1 / 200)
        t = grid + g.uniform(-0.45, 0.45, len(grid)) / 200
        return _write(tmp_path / "u.csv", t, _force(grid))
    if kind == "normal":                        # σ 0.15 of a period at 1 kHz
        grid = np.arange(0, 60, 1e-3)
        t = np.sort(grid + np.clip(g.normal(0, 0.15, len(grid)), -0.49, 0.49) * 1e-3)
        return _write(tmp_path / "n.csv", t, _force(grid))
    # whole milliseconds of a 300 Hz logger: steps of 3 and 4 ms
    grid = np.arange(0, 60, 1 / 300)
    return _write(tmp_path / "ms.csv", np.round(grid * 1e3), _force(grid), "t_ms,force_n", "{:.0f},{:.3f}\n")


@pytest.mark.parametrize("kind", ["fixture", "uniform", "normal", "whole_ms"])
def test_jittered_times_are_no_loss(tmp_path, capsys, kind):
    events, err = _replayed(tmp_path, _jittered(tmp_path, kind), capsys)
    assert "lost" not in err
    assert [e for e in events if e["type"] == "gap"] == []


@pytest.mark.parametrize("n", [2000, 50000])            # read row by row; at pyarrow's speed
def test_a_skipped_bad_row_is_said_as_such_and_a_real_hole_as_lost(tmp_path, capsys, n):
    """The hole a skipped row leaves in the times is that row, said as skipped, not a sample lost."""
    t = np.arange(n) / RATE_HZ
    lines = [f"{a:.6f},{b:.3f}" for a, b in zip(t, _force(t))]
    lines[700] = f"{t[700]:.6f},n/a"
    del lines[1500:1503]                                            # 3 samples the file lacks
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + "\n".join(lines) + "\n")
    events, err = _replayed(tmp_path, p, capsys)
    assert f"1 bad row skipped (first: {p}:702: non-numeric cell 'n/a')" in err
    assert f"{p}: 3 samples lost in 1 gap (its times skip them, at 500 samples a second; the first at 3.00 s)" in err
    assert [round(e["t_start"], 3) for e in events if e["type"] == "gap"] == [2.998]
