"""Numeric options of ``simulate`` out of range, not finite or contradicting
each other: one line naming the option, exit status 2, no traceback, nothing written. The
ranges still take every command the fixtures, README and docs give."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"


def _refused(capsys, argv: list[str], option: str, folder: Path) -> str:
    assert main(argv) == 2
    cap = capsys.readouterr()
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1, cap.err
    assert "Traceback" not in cap.err and option in lines[0], cap.err
    assert not any(folder.iterdir()), "nothing is written"
    return lines[0]


SIMULATE_BAD = [
    (["--freq", "0"], "--freq"),
    (["--freq", "-1"], "--freq"),
    (["--freq", "nan"], "--freq"),
    (["--rate", "nan"], "--rate"),
    (["--rate", "inf"], "--rate"),
    (["--rate", "5"], "--rate"),
    (["--noise", "-1"], "--noise"),
    (["--tremor", "nan"], "--tremor"),
    (["--drift", "-3"], "--drift"),
    (["--quant", "-0.1"], "--quant"),
    (["--spikes", "-1"], "--spikes"),
    (["--dropouts", "inf"], "--dropouts"),
    (["--cycles", "100000000"], "--cycles"),
    (["--cycles", "-3"], "--cycles"),
    (["--sets", "0"], "--sets"),
    (["--t0", "nan"], "--t0"),
    (["--t0", "-1"], "--t0"),
    (["--jitter", "5"], "--jitter"),
    (["--audio", "0"], "--audio"),
    (["--audio", "8000"], "--audio"),
    (["--imu", "0"], "--imu"),
    (["--seed", "-1"], "--seed"),
    (["--r1", "nan"], "--r1"),
    (["--r1", "50", "--r2", "40"], "--r2"),
    (["--alpha", "1"], "--alpha"),
    (["--alpha", "nan"], "--alpha"),
    (["--time-to-peak", "0"], "--time-to-peak"),
    (["--time-to-peak", "-10"], "--time-to-peak"),
    (["--time-to-peak", "100000"], "--time-to-peak"),
    (["--thrust", "--peak", "-100"], "--peak"),
    (["--thrust", "--preload", "150", "--peak", "100"], "--peak"),
    (["--thrust", "--preload", "150", "--peak", "160"], "--peak"),   # too small a rise to be a thrust
    (["--thrust", "--letup", "700", "--peak", "600"], "--letup"),
    (["--thrust", "--preload", "100", "--letup", "100"], "--letup"),
    (["--freq", "0.1", "--cycles", "500"], "--cycles"),               # hours of recording
    (["--grade", "mixed", "--sets", "50"], "--sets"),
    (["--thrust", "--sets", "50", "--audio", "192000"], "--audio"),   # gigabytes of sound
]


@pytest.mark.parametrize("extra,option", SIMULATE_BAD, ids=[" ".join(a) for a, _ in SIMULATE_BAD])
def test_simulate_refuses_a_bad_number_in_one_line(extra, option, tmp_path, capsys):
    _refused(capsys, ["simulate", *extra, "-o", str(tmp_path / "s.csv")], option, tmp_path)


def test_simulate_message_says_what_to_give(tmp_path, capsys):
    line = _refused(capsys, ["simulate", "--freq", "0", "-o", str(tmp_path / "s.csv")], "--freq", tmp_path)
    assert line == "gradecoach: error: --freq 0: give 0.1–5 Hz"
    line = _refused(capsys, ["simulate", "--thrust", "--preload", "150", "--peak", "100", "-o",
                             str(tmp_path / "s.csv")], "--peak", tmp_path)
    assert "--preload" in line and "165 N" in line


def _simulate_commands() -> list[str]:
    """Every ``simulate`` command of the fixtures' script, the README and the docs."""
    cmds = [ln.split(None, 1)[1] for ln in (FIX / "regenerate.sh").read_text().splitlines()
            if ln.startswith("sim ")]
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for m in re.finditer(r"gradecoach simulate ([^`\n]+)", doc.read_text(encoding="utf-8")):
            cmds.append(m.group(1).replace("...", "-o x.csv"))
    return cmds


def test_the_documented_simulate_commands_are_within_range():
    from ui.cmd_simulate import check_options, register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    cmds = _simulate_commands()
    assert len(cmds) > 30
    for cmd in cmds:
        check_options(parser.parse_args(["simulate", *shlex.split(cmd)]))
