"""``gradecoach emulate`` and ``gradecoach record`` as a user runs them: two processes, one pty."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from firmware_bridge.session import open_session

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *map(str, args)], cwd=ROOT, text=True, **kw)


@pytest.fixture
def emulator(tmp_path):
    link = tmp_path / "sensor.pty"
    p = cli("emulate", "--link", link, "--scenario", "grade4", "--rate", 1000, "--truth", tmp_path / "truth.jsonl",
            stdout=subprocess.PIPE)
    assert "emulating a binary-protocol sensor" in p.stdout.readline()
    yield link
    p.send_signal(signal.SIGTERM)
    out = p.communicate(timeout=10)[0]
    assert p.returncode == 0 and "sent" in out
    truth = [json.loads(x) for x in (tmp_path / "truth.jsonl").read_text().splitlines()]
    # (the truth holds the cycles sent whole: none when it was stopped before its first ended)
    assert {e["grade"] for e in truth if e["type"] == "cycle"} <= {"IV"}


def test_record_for_a_duration_uses_the_devices_calibration(tmp_path, emulator):
    p = cli("record", "--device", f"serial:{emulator}", "--out", tmp_path / "sess", "--duration", 3,
            "--target", "IV", "--trainee", "Ben", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    status = [x for x in err.splitlines() if "rate" in x and "CRC errors" in x]
    assert status and "dropped 0" in status[-1] and "CRC errors 0" in status[-1]
    assert 950 <= float(status[-1].split("rate")[1].split("Hz")[0]) <= 1050
    assert "recorded" in out
    s = open_session(tmp_path / "sess")
    assert s.warnings == [] and s.meta.complete
    assert s.meta.r1_n == 40 and s.meta.r2_n == 120 and s.meta.target == "IV" and s.meta.trainee == "Ben"
    assert s.meta.sensor["name"] == "gradecoach emulator" and s.meta.sensor["device"]["protocol"] == "binary"
    assert s.meta.extra["device_stats"]["dropped"] == 0
    assert 2.9 <= s.force.t_s[-1] - s.force.t_s[0] <= 3.2


def test_sigterm_ends_a_recording_cleanly(tmp_path, emulator):
    p = cli("record", "--device", f"serial:{emulator}", "--out", tmp_path / "sess", "--r1", 40, "--r2", 120,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while "last grade" not in p.stderr.readline():       # recording for a second at least
        assert p.poll() is None
    p.send_signal(signal.SIGTERM)
    out, _ = p.communicate(timeout=30)
    assert p.returncode == 0 and "recorded" in out
    s = open_session(tmp_path / "sess")
    assert s.warnings == [] and s.meta.complete and len(s.force.t_s) > 500


def test_a_device_that_is_not_there_is_one_line(tmp_path):
    p = cli("record", "--device", f"serial:{tmp_path / 'nothing'}", "--out", tmp_path / "sess",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 2 and len(err.strip().splitlines()) == 1 and "cannot open" in err
    assert not (tmp_path / "sess").exists()


def test_quiet_still_says_what_went_wrong_with_the_microphone(tmp_path):
    p = cli("record", "--device", "emulator", "--audio", "no-such-microphone", "--duration", 1, "--quiet",
            "--out", tmp_path / "sess", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and "recorded" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "no-such-microphone" in lines[0] and "recording force only" in lines[0]
    s = open_session(tmp_path / "sess")
    assert s.meta.complete and len(s.force.t_s) > 500 and "audio" not in s.meta.streams


@pytest.mark.parametrize("case", ["a file", "under a file", "holds a recording"])
def test_an_out_folder_that_cannot_take_a_session_is_one_line_and_nothing_there_is_touched(tmp_path, case):
    taken = tmp_path / "taken"
    taken.write_text("not a folder\n") if case != "holds a recording" else taken.mkdir()
    if case == "holds a recording":
        (taken / "force.csv").write_text("t_s,force_n\n0,1\n")      # someone's data, no session.json
    out = {"a file": taken, "under a file": taken / "sess", "holds a recording": taken}[case]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    p = cli("record", "--device", "emulator", "--duration", 1, "--out", out,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 2 and len(err.strip().splitlines()) == 1 and f"--out {out}" in err, err
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
