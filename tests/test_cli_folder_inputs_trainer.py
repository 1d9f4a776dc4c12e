"""``trainer --device file:FOLDER`` naming a class's folder of session folders is one line naming
one of its sessions, as ``record`` and ``screenshot`` say it: with a display it said "no
force.csv, imu.csv or audio file in this session folder", as if the folder were a broken
session; without one the headless demo replay ran in its place and exited 0. Nothing is
recorded in either case."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.ui.review.conftest import make_session


def _trainer(display: str | None, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}
    if display:
        env["QT_QPA_PLATFORM"] = display
    return subprocess.run([sys.executable, "-m", "ui.cli", "trainer", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("display", [None, "offscreen"], ids=["no display", "offscreen"])
def test_trainer_playing_a_folder_of_sessions(tmp_path, display):
    root = tmp_path / "class"
    make_session(root / "anna", trainee="anna", cycles=3)
    make_session(root / "ben", trainee="ben", cycles=3)
    r = _trainer(display, "--device", f"file:{root}", "--sessions", tmp_path / "new")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --device file:{root}: a folder of 2 session folders, "
                                     f"not a session; give one of them (e.g. {root / 'anna'})"]
    assert not (tmp_path / "new").exists()
