"""The trainer as a lab machine starts it. Without a display it suggested `gradecoach record …`,
which after ./run is not on the shell's path; a port not there got that hint rather than 'no such
port'; `--mic default` went unsaid while the demo played; a --sessions that is a file or cannot
be written was found only on the first Space, 12 s in; and where recordings go could only be
given each time (./sessions of the folder it was started in: $HOME for a desktop launcher)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT


@pytest.fixture
def headless(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "GRADECOACH_LAUNCHER", "GRADECOACH_SESSIONS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def port():
    master, slave = os.openpty()
    yield os.ttyname(slave)
    os.close(slave)
    os.close(master)


def _hint(r) -> list[str]:
    assert r.returncode == 2 and r.stdout == "", r.stderr
    return shlex.split(r.stderr.strip().split("to read it without a window: ", 1)[1])


def test_run_says_how_it_was_called_and_the_hint_uses_it(tmp_path):
    (tmp_path / "gc" / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "run", tmp_path / "gc" / "run")
    (tmp_path / "gc" / "scripts" / "setup.sh").write_text("")
    (tmp_path / "gc" / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / "gc" / ".venv" / "bin" / "gradecoach").write_text('#!/bin/sh\necho "$GRADECOACH_LAUNCHER"\n')
    (tmp_path / "gc" / ".venv" / "bin" / "gradecoach").chmod(0o755)
    (tmp_path / "lab").mkdir()
    r = subprocess.run(["../gc/run"], cwd=tmp_path / "lab", capture_output=True, text=True, timeout=60)
    assert r.stdout == "../gc/run\n", r.stderr


def test_after_run_the_hint_says_run(headless, capsys, monkeypatch, port, tmp_path):
    monkeypatch.setenv("GRADECOACH_LAUNCHER", "../gradecoach/run")
    argv = _hint(gc_in_process(capsys, "trainer", "--device", f"serial:{port}", "--sessions", tmp_path))
    assert argv[:2] == ["../gradecoach/run", "record"], argv
    r = gc_in_process(capsys, "trainer", "--device", f"file:{ROOT / 'fixtures' / 'lumbar_grade3_p.csv'}")
    assert _hint(r)[:2] == ["../gradecoach/run", "replay"]


def test_a_port_not_there_is_said_as_record_says_it(headless, capsys, tmp_path):
    r = gc_in_process(capsys, "trainer", "--device", f"serial:{tmp_path / 'ttyACM0'}")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"gradecoach: error: serial:{tmp_path / 'ttyACM0'}: cannot open (no such port; "
                        f"'gradecoach devices' lists them)\n")


def test_a_microphone_the_headless_demo_does_not_use_is_said(headless, capsys):
    r = gc_in_process(capsys, "trainer", "--mic", "default")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "gradecoach: --mic default: no microphone is used by the headless replay"


@pytest.mark.parametrize("where,said", [
    ("a file", "{p} is a file, not a folder"),
    ("a file/sessions", "{up} is a file, not a folder"),
])
def test_a_sessions_folder_recordings_cannot_go_into_is_refused_at_start(headless, capsys, tmp_path, where, said):
    (tmp_path / "a file").write_text("notes\n")
    p = tmp_path / where
    r = gc_in_process(capsys, "trainer", "--sessions", p)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"gradecoach: error: --sessions {p}: {said.format(p=p, up=tmp_path / 'a file')}; "
                        f"recordings could not be saved\n")


def test_gradecoach_sessions_is_where_recordings_go_unless_sessions_is_given(headless, capsys, monkeypatch, port,
                                                                           tmp_path):
    monkeypatch.setenv("GRADECOACH_SESSIONS", str(tmp_path / "class 3B"))
    argv = _hint(gc_in_process(capsys, "trainer", "--device", f"serial:{port}"))
    assert argv[argv.index("--out") + 1].startswith(str(tmp_path / "class 3B") + "/")
    argv = _hint(gc_in_process(capsys, "trainer", "--device", f"serial:{port}", "--sessions", tmp_path / "mine"))
    assert argv[argv.index("--out") + 1].startswith(str(tmp_path / "mine") + "/")
    (tmp_path / "class 3B").write_text("")
    r = gc_in_process(capsys, "trainer")
    assert r.returncode == 2 and f"--sessions {tmp_path / 'class 3B'}: " in r.stderr


def test_the_window_says_a_sessions_folder_it_cannot_write_at_start(qtbot, tmp_path, monkeypatch):
    from ui import cmd_trainer
    from ui.cli import build_parser

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "a file").write_text("")
    win = cmd_trainer.build(build_parser("trainer").parse_args(["trainer", "--sessions", str(tmp_path / "a file")]),
                            start=False)
    qtbot.addWidget(win)
    said = (f"--sessions {tmp_path / 'a file'}: {tmp_path / 'a file'} is a file, not a folder; recordings cannot be "
            f"saved (give another --sessions)")
    assert win.statusBar().currentMessage() == said
    assert said in (tmp_path / "state" / "gradecoach" / "trainer.log").read_text()
