"""--audio-start on any clock a force CSV's times are on: a device's uptime (simulate --t0 up to
1e7 s) or Unix epoch seconds (1.76e9). The replay command simulate prints and the --audio-start
the overlap warning gives (to the millisecond) are taken and tie the pops to their thrusts; a
value beyond any clock in seconds (1e12 s) is refused in one line, and one given in milliseconds
is told."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from ui.cli import main

EPOCH = 1764652800.123


def simulate(capsys, out: Path, t0: str) -> tuple[str, list[dict]]:
    assert main(["simulate", "--thrust", "--sets", "2", "--audio", "16000", "--seed", "3", "--t0", t0,
                 "-o", str(out)]) == 0
    said = capsys.readouterr().out
    truth = [json.loads(line) for line in out.with_suffix(".expected.jsonl").read_text().splitlines()]
    return said, [e for e in truth if e["type"] == "cavitation"]


def replay(capsys, argv: list[str], events: Path) -> tuple[int, str, list[dict]]:
    rc = main([*argv, "-o", str(events)])
    err = capsys.readouterr().err
    return rc, err, [json.loads(line) for line in events.read_text().splitlines()] if rc == 0 else []


def pops_of(events: list[dict]) -> list[float]:
    return [e["t"] for e in events if e["type"] == "cavitation"]


def thrust_pops(events: list[dict]) -> list:
    return [t["pops"] for t in events[-1]["thrusts"]]


@pytest.mark.parametrize("t0", ["100000", "10000000", "9999999.1234"])
def test_the_replay_command_simulate_prints_runs_and_finds_the_pops(tmp_path, capsys, t0):
    out = tmp_path / "far.csv"
    said, truth = simulate(capsys, out, t0)
    line = next(ln for ln in said.splitlines() if "gradecoach replay" in ln)
    argv = shlex.split(line.split("with: ", 1)[1])
    assert argv[-2:] == ["--audio-start", t0], argv
    rc, err, events = replay(capsys, argv[1:], tmp_path / "far.events.jsonl")
    assert rc == 0 and "overlap" not in err and "none near a thrust" not in err, err
    found = pops_of(events)
    assert truth and len(found) == len(truth), (found, truth)
    assert all(abs(f - e["t"]) < 0.005 for f, e in zip(found, truth)), (found, truth)
    tied = [sum(e["thrust"] == i for e in truth) for i in range(len(events[-1]["thrusts"]))]
    assert thrust_pops(events) == tied


def test_epoch_timed_force_gets_the_audio_start_to_the_millisecond_and_it_works(tmp_path, capsys):
    out = tmp_path / "z.csv"
    _, truth = simulate(capsys, out, "0")
    lines = out.read_text().splitlines()
    epoch = tmp_path / "epoch.csv"                       # a logger writing Unix epoch seconds
    epoch.write_text("\n".join([lines[0]] + [f"{float(t) + EPOCH:.6f},{f}" for t, f in
                                             (x.split(",") for x in lines[1:])]) + "\n")
    flac = out.with_suffix(".flac")
    rc, err, events = replay(capsys, ["replay", str(epoch), "--audio", str(flac)], tmp_path / "a.jsonl")
    said = [ln for ln in err.splitlines() if "overlap" in ln]
    assert rc == 0 and len(said) == 1, err
    assert "--audio-start 1764652800.123 would place its first sample at the force's start" in said[0], said[0]
    assert all(p is None for p in thrust_pops(events))
    start = re.search(r"--audio-start (\S+) would", said[0]).group(1)
    rc, err, events = replay(capsys, ["replay", str(epoch), "--audio", str(flac), "--audio-start", start],
                             tmp_path / "b.jsonl")
    assert rc == 0 and "overlap" not in err and "none near a thrust" not in err, err
    found = pops_of(events)
    assert truth and len(found) == len(truth), (found, truth)
    assert all(abs(f - (e["t"] + EPOCH)) < 0.005 for f, e in zip(found, truth)), (found, truth)
    assert thrust_pops(events) == [sum(e["thrust"] == i for e in truth) for i in range(len(thrust_pops(events)))]


def test_an_audio_start_in_milliseconds_is_told(tmp_path, capsys):
    out = tmp_path / "late.csv"
    simulate(capsys, out, "100")
    flac = out.with_suffix(".flac")
    # beyond any clock in seconds: refused in one line, with the value in s
    rc, err, _ = replay(capsys, ["replay", str(out), "--audio", str(flac), "--audio-start", "1764652800123"],
                        tmp_path / "a.jsonl")
    assert rc == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "if it is in milliseconds, --audio-start 1764652800.123" in err, err
    # on a clock, but off the force: the overlap warning says how it reads in milliseconds
    rc, err, events = replay(capsys, ["replay", str(out), "--audio", str(flac), "--audio-start", "100000"],
                             tmp_path / "b.jsonl")
    said = [ln for ln in err.splitlines() if "overlap" in ln]
    assert rc == 0 and len(said) == 1, err
    assert said[0].endswith("; if 100000 is in milliseconds, --audio-start 100"), said[0]
