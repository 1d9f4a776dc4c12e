"""Audio that does not overlap the force: the warning says the --audio-start that places the
audio's first sample at the force's start, and that option, given, ties the pops to thrusts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ui.cli import main

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def replay(capsys, *argv) -> tuple[str, list[dict]]:
    assert main(["replay", *map(str, argv), "--r1", "40", "--r2", "120", "--format", "jsonl"]) == 0
    r = capsys.readouterr()
    return r.err, [json.loads(line) for line in r.out.splitlines()]


def test_the_overlap_warning_gives_the_audio_start_that_fixes_it(tmp_path, capsys):
    out = tmp_path / "late.csv"
    assert main(["simulate", "--thrust", "--sets", "2", "--audio", "16000", "--t0", "1000", "--seed", "3",
                 "-o", str(out)]) == 0
    capsys.readouterr()
    err, events = replay(capsys, out, "--audio", out.with_suffix(".flac"))
    said = [line for line in err.splitlines() if "overlap" in line]
    assert len(said) == 1 and "Traceback" not in err, err
    assert "does not overlap the force of" in said[0] and "at 1000.0–" in said[0], said[0]
    assert said[0].endswith("; --audio-start 1000 would place its first sample at the force's start"), said[0]
    assert all(t["pops"] is None for t in events[-1]["thrusts"])
    start = re.search(r"--audio-start (\S+) would", said[0]).group(1)
    err, events = replay(capsys, out, "--audio", out.with_suffix(".flac"), "--audio-start", start)
    assert "overlap" not in err and "none near a thrust" not in err, err
    assert any(t["pops"] for t in events[-1]["thrusts"]), events[-1]["thrusts"]


def test_the_hint_names_the_force_start_to_the_millisecond(tmp_path, capsys):
    lines = (FIX / "thrust_pops.csv").read_text().splitlines()
    late = tmp_path / "late.csv"                          # the force 100.25 s later than the audio
    late.write_text("\n".join([lines[0]] + [f"{float(t) + 100.25:.6f},{f}" for t, f in
                                            (x.split(",") for x in lines[1:])]) + "\n")
    first = float(lines[1].split(",")[0]) + 100.25
    err, _ = replay(capsys, late, "--audio", FIX / "thrust_pops.flac")
    said = [line for line in err.splitlines() if "overlap" in line]
    assert len(said) == 1 and f"--audio-start {round(first, 3):.10g} would place" in said[0], said[0]
