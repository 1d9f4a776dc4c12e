"""``gradecoach record --device file:SESSION`` grades with the played session's alpha (its
large/small threshold, session.json's ``alpha``), as ``replay`` grades the session, and keeps it
in the new session.json, unless ``--alpha`` is given. It was graded with the default 0.5: a
session recorded with alpha 0.8, whose cycles were small (IV), was recorded again as III."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.session_scheme import keep_scheme
from tests.conftest import ROOT


def record(*args) -> subprocess.Popen:
    """``gradecoach record ARGS --quiet``, started as the command line starts it."""
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "record", *map(str, args), "--quiet"], cwd=ROOT,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finished(p: subprocess.Popen) -> None:
    _, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert err == "", err                           # nothing to say about the played session


def grades(folder: Path) -> list[str]:
    return [d["grade"] for d in map(json.loads, (folder / "events.jsonl").read_text().splitlines())
            if d["type"] == "cycle"]


def test_a_played_session_is_recorded_with_its_alpha_unless_one_is_given(tmp_path):
    played = tmp_path / "anna"                      # 20 to 60 N at 2 Hz: 40 N amplitude, 60 N crest
    meta = SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0, alpha=0.8)
    w = SessionWriter(played, keep_scheme(meta, GradingScheme(40.0, 120.0, alpha=0.8)))
    t = np.arange(0.0, 2.0, 0.002)
    w.append_force(t, 40 + 20 * np.sin(2 * np.pi * 2.0 * t))
    w.close(500.0)
    again, given = tmp_path / "again", tmp_path / "given"
    runs = [record("--device", f"file:{played}", "--out", again),
            record("--device", f"file:{played}", "--out", given, "--alpha", 0.5)]
    for p in runs:
        finished(p)
    assert json.loads((again / "session.json").read_text())["alpha"] == 0.8
    assert grades(again) and set(grades(again)) == {"IV"}      # 40 N under 0.8 of 60 N: small, as played
    assert json.loads((given / "session.json").read_text())["alpha"] == 0.5
    assert grades(given) and set(grades(given)) == {"III"}     # the command line's wins
