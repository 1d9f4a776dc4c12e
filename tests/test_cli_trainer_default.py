"""The trainer is the command run without a sub-command, also given its options with values
('gradecoach --device emulator:hvla', as 'gradecoach trainer --device …'): the value was taken
for a sub-command's name ("invalid choice: 'emulator:hvla'"). Here without a display, where
the trainer replays the scenario named headless, with the calibration and target given."""
from __future__ import annotations

import os
import re
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
    assert lines[0] == ("gradecoach: no display for the trainer window; running a headless replay of emulator:hvla "
                        "(one pass of its scenario) instead")
    assert lines[2] == "  calibration R1 40 N, R2 120 N, alpha 0.5, target III+"


def test_an_unknown_option_without_the_sub_command_is_the_trainers_usage_error():
    r = headless("--bogus", "3")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach trainer: error: unrecognized arguments: --bogus 3"]


def test_the_trainers_help_without_the_sub_command():
    r = headless("--device", "emulator:hvla", "--help")
    assert r.returncode == 0
    assert r.stdout.startswith("usage: gradecoach trainer")


def test_a_sensor_named_without_a_display_is_not_replaced_by_the_demo():
    # the demo's summary read as if it came from the sensor named; it is one line saying how to
    # read that sensor (or recording) without a window
    master, port = os.openpty()
    name = os.ttyname(port)
    try:
        r = headless("trainer", "--device", f"serial:{name}")
    finally:
        os.close(port)
        os.close(master)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and re.fullmatch(
        rf"gradecoach: error: --device serial:{name}: no display for the trainer window; to read it "
        rf"without a window: gradecoach record --device serial:{name} --out sessions/\d{{8}}-\d{{6}}", lines[0]), lines
    r = headless("--device", f"file:{ROOT / 'fixtures' / 'lumbar_grade3_p.csv'}")
    assert r.returncode == 2 and "headless demo" not in r.stdout
    assert r.stderr.rstrip().endswith(f"gradecoach replay {ROOT / 'fixtures' / 'lumbar_grade3_p.csv'}")
