"""The trainer checks its options the same with a display and without: headless (no display: it
replays the demo instead) a --profile not saved was not said (exit 0), a saved one was not used
(the demo graded with its own R1/R2, silently), and a --device file: that is not there was not
said to be missing."""

from __future__ import annotations

import json

import pytest

from analysis.errors import InputError
from tests._cli_in_process import gc_in_process

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def profiles(tmp_path, monkeypatch):
    """One saved calibration profile, 'anna' (R1 30 N, R2 90 N)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "gradecoach").mkdir(parents=True)
    (tmp_path / "config" / "gradecoach" / "profiles.json").write_text(
        json.dumps({"profiles": {"anna": {"r1_n": 30.0, "r2_n": 90.0}}}))


@pytest.fixture
def headless(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


def _with_display(*argv) -> str:
    """What the trainer with a display says of these options (its window is not shown)."""
    from ui import cmd_trainer
    from ui.cli import build_parser

    with pytest.raises(InputError) as e:
        cmd_trainer.build(build_parser("trainer").parse_args(["trainer", *argv]), start=False)
    return str(e.value)


@pytest.mark.parametrize("argv", [["--profile", "nope"], ["--device", "emulator:hvla", "--profile", "nope"],
                                  ["--device", "file:{tmp}/nowhere.csv"]],
                         ids=["profile", "profile with a scenario", "missing recording"])
def test_a_bad_option_is_said_as_with_a_display(profiles, qapp, monkeypatch, capsys, tmp_path, argv):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    said = _with_display(*argv)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    r = gc_in_process(capsys, "trainer", *argv)
    assert r.returncode == 2 and r.stdout == "", r.stdout
    assert r.stderr.splitlines() == [f"gradecoach: error: {said}"], r.stderr
    if "--profile" in argv:
        assert said == "no calibration profile 'nope'; saved: anna"
    else:
        assert said == f"{tmp_path}/nowhere.csv: no such file or folder"


@pytest.mark.parametrize("device, replayed", [([], "the headless demo replay"),
                                              (["--device", "emulator:hvla"], "a headless replay of emulator:hvla")])
def test_a_saved_profile_grades_the_headless_replay(profiles, headless, capsys, device, replayed):
    r = gc_in_process(capsys, "trainer", *device, "--profile", "anna")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"gradecoach: no display for the trainer window; running {replayed}")
    assert lines[0].endswith("instead, graded with calibration profile 'anna'"), lines[0]
    assert lines[2] == "  calibration R1 30 N, R2 90 N, alpha 0.5"
