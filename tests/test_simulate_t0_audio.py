"""simulate --t0 S --audio: the microphone starts with the force, its first sample at S s, so the
sound is as long as the force whatever S (from 0 s it was S s longer: 1012 s of audio, 50 MB
and minutes at --t0 1000 for a 6.8 s recording), and simulate prints the replay command that
places it (--audio-start S), under which the pops are found where the truth says, and no more."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import soundfile as sf

from ui.cli import main


def simulate(capsys, out: Path, t0: float) -> tuple[str, list[dict]]:
    assert main(["simulate", "--thrust", "--sets", "2", "--audio", "16000", "--seed", "3", "--t0", f"{t0:g}",
                 "-o", str(out)]) == 0
    said = capsys.readouterr().out
    truth = [json.loads(line) for line in out.with_suffix(".expected.jsonl").read_text().splitlines()]
    return said, [e for e in truth if e["type"] == "cavitation"]


def pops_replayed(capsys, argv: list[str], events: Path) -> list[float]:
    assert main(argv + ["-o", str(events)]) == 0
    capsys.readouterr()
    return [e["t"] for e in map(json.loads, events.read_text().splitlines()) if e["type"] == "cavitation"]


def test_simulated_sound_starts_with_the_force_and_replays_as_printed(tmp_path, capsys):
    _, truth0 = simulate(capsys, tmp_path / "a.csv", 0)
    said, truth = simulate(capsys, tmp_path / "b.csv", 100)
    force_s = 2.0 + 6.0 * 2                                      # (the longest two thrusts make)
    info0, info = sf.info(str(tmp_path / "a.flac")), sf.info(str(tmp_path / "b.flac"))
    assert info.duration < force_s and abs(info.frames - info0.frames) <= 1, info.duration
    # the same sound and pops, 100 s later on the force's timeline
    assert [round(e["t"] - 100, 4) for e in truth] == [round(e["t"], 4) for e in truth0] and truth
    line = next(ln for ln in said.splitlines() if "gradecoach replay" in ln)
    assert "starts at the force's 100 s (--t0)" in line
    argv = shlex.split(line.split("with: ", 1)[1])
    assert argv[:2] == ["gradecoach", "replay"] and argv[-2:] == ["--audio-start", "100"], argv
    found = pops_replayed(capsys, argv[1:], tmp_path / "b.events.jsonl")
    found0 = pops_replayed(capsys, ["replay", str(tmp_path / "a.csv"), "--audio", str(tmp_path / "a.flac")],
                           tmp_path / "a.events.jsonl")
    assert len(found) == len(found0) == len(truth)                   # (no false pop)
    assert all(abs(f - e["t"]) < 0.005 for f, e in zip(found, truth)), (found, truth)


def test_without_t0_no_replay_line_is_added(tmp_path, capsys):
    said, _ = simulate(capsys, tmp_path / "a.csv", 0)
    assert said.count("\n") == 1 and said.startswith("wrote ")
