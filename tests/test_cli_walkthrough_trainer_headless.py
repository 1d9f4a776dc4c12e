"""The trainer without a display (no QT_QPA_PLATFORM, DISPLAY or WAYLAND_DISPLAY): an emulator
scenario named (``--device emulator:hvla``) is replayed headless, one pass of it, where the mixed
demo was replayed in its stead and read as if it were the scenario; and a bad option is one line
of its own, where "running the headless demo replay instead" was said before the error."""

from __future__ import annotations

import pytest

from firmware_bridge.scenarios import scenario_signal
from tests._cli_in_process import gc_in_process


@pytest.fixture
def headless(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


def test_an_emulator_scenario_named_is_the_one_replayed(headless, capsys):
    r = gc_in_process(capsys, "trainer", "--device", "emulator:hvla")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ("gradecoach: no display for the trainer window; running a headless replay of "
                        "emulator:hvla (one pass of its scenario) instead")
    thrusts = sum(e["type"] == "thrust" for e in scenario_signal("hvla", 1000.0)[2])
    assert lines[1].startswith("emulator:hvla: ") and f", 0 cycles, {thrusts} thrusts, " in lines[1], lines[1]
    assert lines[2] == "  calibration R1 40 N, R2 120 N, alpha 0.5"       # the emulator's own
    assert "demo" not in r.stdout


def test_the_default_device_still_replays_the_demo(headless, capsys):
    r = gc_in_process(capsys, "trainer")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == ("gradecoach: no display for the trainer window; running the headless "
                                        "demo replay instead")


@pytest.mark.parametrize("args,line", [
    (["--target", "X"], "gradecoach: error: --target X: "),
    (["--device", "emulator:nope"], "gradecoach: error: emulator:nope: unknown scenario 'nope'"),
])
def test_a_bad_option_is_said_before_any_fallback(headless, capsys, args, line):
    r = gc_in_process(capsys, "trainer", *args)
    assert r.returncode == 2 and r.stdout == "", r.stdout
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith(line), r.stderr
