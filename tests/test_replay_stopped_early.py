"""``gradecoach replay`` of a recording that stopped early because its folder refused a write
(session.json's ``extra.stopped``) warns of it: when, why and the file refused, and that what
was written before is analysed. Before, replay said only that the recording "did not finish
cleanly", as after a crash, and nothing of when or why it ended. Made by the real recorder
(``gradecoach record`` on a real small disk that fills up, as root); an entry edited by hand
warns of what it can, without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from tests.conftest import record_until_disk_full
from ui.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _gradecoach(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_replay_warns_that_a_recording_stopped_early_on_a_full_disk(small_disk):
    rec, out = record_until_disk_full(small_disk)
    assert rec.returncode == 2, rec.stderr
    stopped = open_session(out).meta.extra["stopped"]
    assert stopped["reason"] == "disk full" and stopped["file"] in ("force.csv", "events.jsonl")
    line = (f"{out}: recording stopped early at {stopped['t_s']:.1f} s: disk full ({stopped['file']} could "
            f"not be written); what was written before is analysed")

    # in a pipe: events on stdout, the warning on stderr, as the other warnings of a session
    p = _gradecoach("replay", str(out))
    assert p.returncode == 0, p.stderr
    said = p.stderr.splitlines()
    assert f"gradecoach: warning: {line}" in said, p.stderr
    # (the stop says more than "unfinished (still recording, or cut off)", which would say it again, less well)
    assert not [w for w in said if "unfinished (still recording, or cut off)" in w], p.stderr
    summary = json.loads(p.stdout.splitlines()[-1])
    assert summary["type"] == "summary" and line in summary["warnings"]
    assert summary["duration_s"] == pytest.approx(stopped["t_s"], abs=0.1)       # what was kept, analysed

    # the table says it among its warnings
    p = _gradecoach("replay", str(out), "--format", "table")
    assert p.returncode == 0, p.stderr
    assert f"  warning: {line}" in p.stdout.splitlines(), p.stdout


def _session(folder: Path, stopped) -> Path:
    """2 s of force written as a recording that stopped early, with ``stopped`` as its
    ``extra.stopped`` (edited by hand)."""
    w = SessionWriter(folder, SessionMeta(trainee="Anna", r1_n=40.0, r2_n=120.0))
    t = np.arange(0, 2, 0.005)
    w.append_force(t, 80 + 30 * np.sin(2 * np.pi * 1.5 * t))
    w.flush()
    w.abandon()
    d = json.loads((folder / "session.json").read_text())
    d.setdefault("extra", {})["stopped"] = stopped
    (folder / "session.json").write_text(json.dumps(d))
    return folder


@pytest.mark.parametrize("stopped, words", [
    ({"t_s": "12.3", "reason": "disk full", "file": "force.csv"},
     "recording stopped early: disk full (force.csv could not be written); what was written before is analysed"),
    ({"t_s": 1.995}, "recording stopped early at 2.0 s: reason not recorded; what was written before is analysed"),
    ("no permission to write",
     "recording stopped early: no permission to write; what was written before is analysed"),
    ([1, 2], "recording stopped early: reason not recorded; what was written before is analysed"),
    ({"t_s": None, "reason": "read-only disk", "file": "force.csv"},
     "recording stopped early before any sample was kept: read-only disk (force.csv could not be written)"),
])
def test_replay_of_a_stop_edited_by_hand_warns_of_what_it_can(tmp_path, capsys, stopped, words):
    folder = _session(tmp_path / "anna", stopped)
    assert main(["replay", str(folder), "--format", "jsonl"]) == 0
    err = capsys.readouterr().err
    assert f"gradecoach: warning: {folder}: {words}\n" in err
    assert "Traceback" not in err and "unfinished (still recording, or cut off)" not in err


def test_replay_of_a_recording_that_did_not_stop_early_says_nothing_of_it(tmp_path, capsys):
    folder = _session(tmp_path / "anna", None)
    assert main(["replay", str(folder), "--format", "jsonl"]) == 0
    err = capsys.readouterr().err
    assert "stopped early" not in err
    assert f"gradecoach: warning: {folder}: unfinished (still recording, or cut off); showing what was saved\n" in err
