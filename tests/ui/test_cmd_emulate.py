"""``gradecoach emulate``: options the sensor cannot honour are refused in one line before the
pseudo-terminal is made; the ground truth is written where asked, or refused at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _refused(capsys, argv: list[str], option: str) -> str:
    assert main(["emulate", *argv]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("rate", ["1", "10", "15", "15.25", "0", "-5", "nan", "inf", "5000"])
def test_a_rate_the_binary_protocol_cannot_carry_is_refused(rate, tmp_path, capsys):
    line = _refused(capsys, ["--link", str(tmp_path / "e.pty"), "--rate", rate], "--rate")
    if rate in ("1", "10", "15"):
        assert "--line" in line                 # says how to emulate a slower sensor
    assert not any(tmp_path.iterdir()), "no link is made"


@pytest.mark.parametrize("rate", ["0", "-1", "nan", "5000"])
def test_line_rates_must_be_positive_and_at_most_4000(rate, tmp_path, capsys):
    _refused(capsys, ["--link", str(tmp_path / "e.pty"), "--line", "--rate", rate], "--rate")


@pytest.mark.parametrize("extra, option", [(["--speed", "nan"], "--speed"), (["--speed", "inf"], "--speed"),
                                           (["--speed", "0"], "--speed"), (["--baud", "0"], "--baud"),
                                           (["--baud", "-9600"], "--baud")])
def test_speed_and_baud_must_be_usable_numbers(extra, option, tmp_path, capsys):
    _refused(capsys, ["--link", str(tmp_path / "e.pty"), *extra], option)
    assert not any(tmp_path.iterdir())


def _run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    """Start ``emulate``, let it stream a moment, end it with SIGTERM."""
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(tmp_path / "e.pty"),
                          "--speed", "20", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert p.stdout.readline().startswith("emulating")
        time.sleep(1.0)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def test_truth_is_written_on_exit_and_an_earlier_truth_file_is_replaced(tmp_path):
    truth = tmp_path / "truth.jsonl"
    for _ in range(2):
        r = _run(tmp_path, "--scenario", "grade3", "--truth", str(truth))
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        rows = [json.loads(x) for x in truth.read_text().splitlines()]
        assert rows and {e["type"] for e in rows} == {"cycle"}


@pytest.mark.parametrize("where", ["folder", "missing folder", "someone's file", "a replay's events"])
def test_a_truth_path_that_cannot_or_must_not_be_written_is_refused_before_starting(where, tmp_path, capsys):
    other = tmp_path / "force.csv"
    target = {"folder": tmp_path, "missing folder": tmp_path / "nowhere" / "t.jsonl",
              "someone's file": other, "a replay's events": tmp_path / "ev.jsonl"}[where]
    other.write_text("t_s,force_n\n0,1.5\n")
    (tmp_path / "ev.jsonl").write_text('{"type": "cycle", "t_start": 1}\n{"type": "summary"}\n')
    before = {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    line = _refused(capsys, ["--link", str(tmp_path / "e.pty"), "--truth", str(target)], "--truth")
    assert str(target) in line
    assert not (tmp_path / "e.pty").exists(), "the sensor was not started"
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
