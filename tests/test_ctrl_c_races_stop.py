"""Ctrl-C at the exact moments where it escaped the clean stop of ``record`` and ``emulate`` or of
the program itself. Each press comes from inside a patched function, so the moment is the same on
any machine: a Ctrl-C just after the emulator started left its link behind, --truth unwritten and
no 'sent' line; one as the emulator's wait for Ctrl-C woke hung it for good; one as record (or
emulate) handed Ctrl-C back to the program turned the stop's status 0 into 130; one before the
program took Ctrl-C over was a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from firmware_bridge.session import open_session
from tests.conftest import ROOT, pressed_script


def _press() -> None:
    os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture
def as_a_program():
    """SIGINT handled as a program has it (what the command line takes over), put back after."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.fixture
def press_as_ctrl_c_is_given_back(monkeypatch):
    """Ctrl-C pressed once just as a command gives SIGINT back to the program's own handler."""
    from ui.cli import _Interrupted

    real = signal.signal
    pressed = []

    def signal_(signum, handler):
        was = real(signum, handler)
        if (signum == signal.SIGINT and isinstance(handler, _Interrupted) and was is not signal.default_int_handler
                and not pressed):
            pressed.append(True)
            _press()
        return was

    monkeypatch.setattr(signal, "signal", signal_)
    return pressed


def test_ctrl_c_just_as_the_emulator_started_stops_it_cleanly(tmp_path, monkeypatch, capsys, as_a_program,
                                                              press_as_ctrl_c_is_given_back):
    import ui.cmd_emulate as cmd
    from ui.cli import main

    class Pressed(cmd.PtyEmulator):
        def start(self):
            super().start()
            _press()                    # before it said it emulates, or took Ctrl-C over

    monkeypatch.setattr(cmd, "PtyEmulator", Pressed)
    link, truth = tmp_path / "sensor.pty", tmp_path / "truth.jsonl"
    rc = main(["emulate", "--link", str(link), "--truth", str(truth), "--speed", "50"])
    said = capsys.readouterr()
    assert rc == 0, said
    assert said.out.splitlines()[-1].startswith("sent ") and said.err == "", said
    assert not link.is_symlink()
    assert all(json.loads(line)["type"] in ("cycle", "thrust") for line in truth.read_text().splitlines())
    assert press_as_ctrl_c_is_given_back            # (pressed again as it ended: the same stop)


def test_ctrl_c_as_record_gives_ctrl_c_back_keeps_status_0(tmp_path, capsys, as_a_program,
                                                           press_as_ctrl_c_is_given_back):
    from ui.cli import main

    out = tmp_path / "anna"
    rc = main(["record", "--device", "emulator:grade3", "--out", str(out), "--duration", "0.3", "--quiet"])
    said = capsys.readouterr().out
    assert press_as_ctrl_c_is_given_back
    assert rc == 0, said
    assert said.startswith("recorded ") and open_session(out).meta.complete


def test_ctrl_c_as_the_emulators_wait_wakes_does_not_hang_it(tmp_path):
    """The press lands as the wait for Ctrl-C returns after its half second, the link checked:
    when that wait held a lock the handler takes too, the program hung, Ctrl-C or not."""
    link, truth = tmp_path / "sensor.pty", tmp_path / "truth.jsonl"
    script = ("import os, select, signal, sys, threading\n"
              "import ui.cmd_emulate as cmd\n"
              "from ui.cli import main\n"
              "def pressing(wait):\n"
              "    def waited(*a, **k):\n"
              "        r = wait(*a, **k)\n"
              "        t = a[-1] if len(a) in (2, 4) else k.get('timeout')\n"
              "        if t == cmd.LINK_CHECK_S and threading.current_thread() is threading.main_thread():\n"
              "            os.kill(os.getpid(), signal.SIGINT)\n"
              "        return r\n"
              "    return waited\n"
              "threading.Condition.wait = pressing(threading.Condition.wait)\n"
              "select.select = pressing(select.select)\n"
              f"sys.exit(main(['emulate', '--link', {str(link)!r}, '--truth', {str(truth)!r}, '--speed', '50']))\n")
    p = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        said, told = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    assert "Traceback" not in told, told
    assert p.returncode == 0 and said.splitlines()[-1].startswith("sent "), (p.returncode, said, told)
    assert not link.is_symlink()


def test_ctrl_c_before_the_program_took_it_over_is_no_traceback():
    """The press lands as the program begins, before its own Ctrl-C handler is in place."""
    script = ("import os, signal, sys\n"
              "import ui.cli as cli\n"
              "class Pressed(cli._Interrupted):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        os.kill(os.getpid(), signal.SIGINT)\n"
              "cli._Interrupted = Pressed\n"
              "sys.argv = ['gradecoach', 'replay', '--demo']\n"
              "sys.exit(cli.main())\n")
    p = pressed_script(script)
    assert (p.returncode, p.stdout) == (130, ""), (p.returncode, p.stdout, p.stderr)


@pytest.mark.parametrize("module", ["argparse", "ui.cli"])
def test_ctrl_c_while_the_program_loads_its_own_modules_is_no_traceback(module):
    """The press lands as the program loads what its command line needs, before main() runs (on a
    busy machine, 0.15 s into a command): as it imports argparse, or after the ui package loaded
    and before ui/cli.py itself runs (Python still finding it), as with ``python -m ui.cli``,
    whose package loads first."""
    script = ("import os, runpy, signal, sys\n"
              "class Pressing:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              f"        if name == {module!r}:\n"
              "            sys.meta_path.remove(self)\n"
              "            os.kill(os.getpid(), signal.SIGINT)\n"
              "        return None\n"
              "sys.meta_path.insert(0, Pressing())\n"
              "sys.argv = ['gradecoach', 'replay', '--demo']\n"
              "runpy.run_module('ui.cli', run_name='__main__', alter_sys=True)\n")
    p = pressed_script(script)
    assert (p.returncode, p.stdout) == (130, ""), (p.returncode, p.stdout, p.stderr)
