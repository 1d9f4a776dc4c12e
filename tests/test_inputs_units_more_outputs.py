"""gradecoach's own outputs given to replay are named as what they are, in one line, exit 2:
simulate's truth file was "its first line is not the capture's {"meta": ...}" (a BLE capture's
format), and report --csv's events "header lacks column 't_s' (found type,trainee,t_start,…:
unknown units?)"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("out")
    (d / "sim").mkdir()
    assert main(["simulate", "--grade", "V", "--r1", "40", "--r2", "120", "--imu", "200", "-o",
                 str(d / "sim" / "t.csv")]) == 0
    assert main(["report", str(d / "sim" / "t.csv"), "--r1", "40", "--r2", "120", "-o", str(d / "class.html"),
                 "--csv", str(d / "class.csv")]) == 0
    assert main(["replay", str(d / "sim" / "t.csv"), "--r1", "40", "--r2", "120", "-o", str(d / "ev.jsonl")]) == 0
    return d


def _replay(cwd: Path, name: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``gradecoach replay NAME`` run in ``cwd`` (so that its messages name the file as given)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ui.cli", "replay", name], cwd=cwd, env=env, capture_output=True,
                          text=True, input=stdin, timeout=120)


@pytest.mark.parametrize("name, said", [
    ("sim/t.expected.jsonl", "sim/t.expected.jsonl: the expected events of sim/t.csv (simulate's truth file), not a "
                             "recording; replay sim/t.csv"),
    ("sim/t.imu-expected.jsonl", "sim/t.imu-expected.jsonl: the expected events of sim/t.imu.csv (simulate's truth "
                                 "file), not a recording; replay sim/t.imu.csv"),
    ("class.csv", "class.csv: an events CSV written by `gradecoach report --csv`, not a recording; replay takes "
                  "recordings"),
    ("ev.jsonl", "ev.jsonl: a file of events (JSON lines, as replay -o writes), not a recording or a BLE capture"),
])
def test_gradecoachs_own_outputs_are_named_as_what_they_are(outputs, name, said):
    r = _replay(outputs, name)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"gradecoach: error: {said}") and r.stderr.count("\n") == 1
    assert "meta" not in r.stderr and "unknown units" not in r.stderr and "lacks column" not in r.stderr


def test_a_truth_file_renamed_still_names_its_recording_from_its_fixture_line(outputs, tmp_path):
    (tmp_path / "a.jsonl").write_text((outputs / "sim" / "t.expected.jsonl").read_text())
    r = _replay(tmp_path, "a.jsonl")
    assert r.returncode == 2
    assert "a.jsonl: the expected events of t.csv (simulate's truth file), not a recording; replay t.csv" in r.stderr


def test_an_events_csv_through_a_pipe_is_named_too(outputs):
    r = _replay(outputs, "/dev/stdin", (outputs / "class.csv").read_text(encoding="utf-8-sig"))
    assert r.returncode == 2 and "an events CSV written by `gradecoach report --csv`" in r.stderr


def test_a_ble_capture_is_still_replayed(outputs, tmp_path):
    """(a capture is told by its meta line, a file of events by its first line's type)"""
    assert json.loads((outputs / "ev.jsonl").read_text().splitlines()[0])["type"]
    bad = tmp_path / "cap.jsonl"
    bad.write_text('{"meta": {"profile": "nope"}}\n')
    r = _replay(tmp_path, "cap.jsonl")
    assert r.returncode == 2 and "profile 'nope' is none of the supported ones" in r.stderr
