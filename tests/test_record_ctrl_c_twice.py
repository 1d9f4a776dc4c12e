"""Ctrl-C pressed twice quickly (an impatient double press) while ``gradecoach record`` runs: the
first stops the recording, the second comes while it closes or exits. The recording was kept
whole, but a second press 0.05-0.2 s after the first killed the program by SIGINT (exit status
130 in a shell) once it had said 'recorded ...': Python was still unloading its libraries. A
press while it said its closing lines broke into them (exit 130, the 'recorded' line unsaid).
Every press after the first is the same stop: the exit status is 0, as for one press."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from firmware_bridge.session import open_session
from tests.conftest import ROOT, ctrl_c_until_it_ends, pressed_script


def _recording(out) -> subprocess.Popen:
    """``gradecoach record`` of the emulator to ``out``, once its force.csv holds a second or so."""
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3", "--out", str(out)],
                         cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not ((out / "force.csv").is_file() and (out / "force.csv").stat().st_size > 30000):
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.02)
    return p


def _kept_whole(out, said: str) -> None:
    """The session is closed as after one Ctrl-C: complete, its summary last, every sample the
    'recorded' line counts in force.csv."""
    s = open_session(out)
    assert s.meta.complete and s.warnings == [], s.warnings
    assert json.loads((out / "events.jsonl").read_text().splitlines()[-1])["type"] == "summary"
    rows = len((out / "force.csv").read_text().splitlines()) - 1
    assert said.startswith(f"recorded {rows} samples (") and said.endswith(f" to {out}\n"), said


@pytest.mark.parametrize("after_s", [0.05, 0.1, 0.15])
def test_a_second_ctrl_c_soon_after_the_first_still_ends_with_status_0(tmp_path, after_s):
    out = tmp_path / "anna"
    p = _recording(out)
    try:
        p.send_signal(signal.SIGINT)
        time.sleep(after_s)
        # (still closing or exiting, mostly: an idle machine may have ended it already, which the
        # press then cannot reach; the status must be 0 either way)
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
        said, told = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    assert "Traceback" not in told, told
    assert p.returncode == 0, (p.returncode, said, told)
    _kept_whole(out, said)


def test_ctrl_c_pressed_again_and_again_until_it_ends_still_ends_with_status_0(tmp_path):
    out = tmp_path / "ben"
    p = _recording(out)
    said, _ = ctrl_c_until_it_ends(p, 0.02, time.monotonic() + 60)
    assert p.returncode == 0, (p.returncode, said)
    _kept_whole(out, said)


def test_a_ctrl_c_while_the_closing_lines_are_said_does_not_cut_them(tmp_path, monkeypatch, capsys):
    """The press lands as the 'recorded' line is made (in-process, so the moment is exact)."""
    import ui.cmd_record as cmd
    from ui.cli import main

    count = cmd._count

    def pressed(*a):
        os.kill(os.getpid(), signal.SIGINT)
        return count(*a)

    monkeypatch.setattr(cmd, "_count", pressed)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)     # (as a program has it)
    try:
        rc = main(["record", "--device", "emulator:grade3", "--out", str(tmp_path / "cara"), "--duration", "0.3",
                   "--quiet"])
    finally:
        signal.signal(signal.SIGINT, before)
    assert rc == 0
    _kept_whole(tmp_path / "cara", capsys.readouterr().out)


def test_a_ctrl_c_while_the_program_makes_ready_to_exit_is_no_traceback():
    """A Ctrl-C that came just as the command had ended, while the program looked whether threads
    were left before it exits, escaped as a KeyboardInterrupt traceback. Here the press comes
    exactly then."""
    script = ("import os, signal, sys\n"
              "import ui.cli as cli\n"
              "left = cli._threads_left\n"
              "def pressed():\n"
              "    os.kill(os.getpid(), signal.SIGINT)\n"
              "    return left()\n"
              "cli._threads_left = pressed\n"
              "sys.argv = ['gradecoach', '--version']\n"
              "sys.exit(cli.main())\n")
    p = pressed_script(script)
    assert p.returncode == 0 and "gradecoach" in p.stdout, (p.returncode, p.stdout, p.stderr)
