"""The trainer is the command run without a sub-command, also given its options with values
('gradecoach --device emulator:hvla', as 'gradecoach trainer --device …'): the value was taken
for a sub-command's name ("invalid choice: 'emulator:hvla'"). Here without a display, where
the trainer runs the headless demo replay with the calibration and target given."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def headless(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")}
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_trainer_options_without_the_sub_command_reach_the_trainer():
    r = headless("--device", "emulator:hvla", "--target", "III+")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "gradecoach: no display for the trainer window; running the headless demo replay instead"
    assert lines[2] == "  calibration R1 40 N, R2 120 N, alpha 0.5, target III+"


def test_an_unknown_option_without_the_sub_command_is_the_trainers_usage_error():
    r = headless("--bogus", "3")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach trainer: error: unrecognized arguments: --bogus 3"]


def test_the_trainers_help_without_the_sub_command():
    r = headless("--device", "emulator:hvla", "--help")
    assert r.returncode == 0
    assert r.stdout.startswith("usage: gradecoach trainer")
