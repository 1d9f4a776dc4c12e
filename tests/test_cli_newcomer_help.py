"""What a newcomer reads first: each command's ``--help``. Every command says what it does, every
option what it means, and the examples under "examples:" run as they are written, on a machine
with no sensor, sound card or display, one after the other in a new folder (the emulator's link,
the recorded sessions and the library are what the ones before made).

The help itself is read from ``ui.cli.main`` run in this process (``gc_in_process``): the same
text the program prints, without a program's start-up for each command."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT, gc

# the commands whose examples are run, in the order a newcomer would try them
EXAMPLES_OF = ("emulate", "devices", "record", "simulate", "library")
ARGPARSE_OWN = {"-h, --help"}


def _examples(capfd, command: str) -> list[str]:
    """The example command lines of ``gradecoach COMMAND --help``, comments cut off."""
    r = gc_in_process(capfd, command, "--help")
    assert r.returncode == 0, r.stderr
    text = r.stdout.split("\nexamples:\n", 1)
    assert len(text) == 2, f"{command} --help has no examples"
    return [line.split("  #")[0].strip() for line in text[1].splitlines() if line.strip().startswith("gradecoach ")]


def _options_without_help(capfd, command: str) -> list[str]:
    """The options ``COMMAND --help`` lists with nothing said about them."""
    out = gc_in_process(capfd, command, "--help").stdout
    lines = out.split("\noptions:\n", 1)[1].split("\nexamples:\n")[0].splitlines()
    bare = []
    for i, line in enumerate(lines):
        m = re.match(r"^  (-\S.*?)(\s{2,}(\S.*))?$", line)
        if not m or m.group(1) in ARGPARSE_OWN:
            continue
        follows = i + 1 < len(lines) and lines[i + 1].startswith(" " * 10) and lines[i + 1].strip()
        if not m.group(3) and not follows:
            bare.append(m.group(1).split()[0])
    return bare


@pytest.mark.parametrize("command", ["simulate", "emulate", "devices", "record", "library"])
def test_every_option_says_what_it_means(capfd, command):
    """simulate listed --r1 N, --r2 N, --alpha ALPHA, --cycles CYCLES, --sets SETS, --preload N,
    --peak N, --time-to-peak MS, --drift N, --spikes PER_S, --dropouts PER_MIN, --seed SEED and
    -o with nothing beside them (no unit, no default); emulate its --scenario."""
    assert _options_without_help(capfd, command) == []


@pytest.mark.parametrize("command", ["devices", "record", "emulate"])
def test_every_command_says_what_it_does(capfd, command):
    """devices, record and emulate showed their usage and options and not a word of what they do."""
    out = gc_in_process(capfd, command, "--help").stdout
    said = out.split("\n\n")[1]                      # (the paragraph after the usage)
    assert not said.startswith(("options:", "positional arguments:")), out
    assert len(said.split()) >= 15, out


def test_simulate_says_its_defaults(capfd):
    shown = " ".join(gc_in_process(capfd, "simulate", "--help").stdout.split())
    for said in ("first resistance R1 in newtons [40]", "limit of range R2 in newtons [120]",
                 "oscillations in a set [20]", "thrust: peak force in newtons [600]",
                 "thrust: milliseconds from its onset to the peak [120]"):
        assert said in shown


def _wait_for(check, what: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"no {what} after {timeout_s:g} s"
        time.sleep(0.05)


def _run(line: str, cwd: Path) -> subprocess.Popen:
    args = shlex.split(line)
    assert args[0] == "gradecoach"
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *args[1:]], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(cwd)))


def _ended_well(line: str, p: subprocess.Popen | subprocess.CompletedProcess) -> None:
    """``line``'s program ``p`` waited for (or its run in this process): it ended cleanly and said
    what it should."""
    if isinstance(p, subprocess.Popen):
        stdout, stderr = p.communicate(timeout=120)
    else:
        stdout, stderr = p.stdout, p.stderr
    assert p.returncode == 0, (line, stdout, stderr)
    assert "Traceback" not in stderr, (line, stderr)
    if " record " in line:
        assert stdout.startswith("recorded "), (line, stdout)
    if " list " in line and "--format jsonl" in line:
        assert len(stdout.splitlines()) == 3, (line, stdout)     # cara's, anna's and ben's
    elif " list " in line:
        assert "Anna" in stdout and "anna" in stdout, (line, stdout)


def test_the_examples_in_each_commands_help_run_as_written(tmp_path, capfd, monkeypatch):
    """None of devices, record, emulate had an example; simulate's and library's were only in the
    README. Each runs here as written: those that go on until Ctrl-C (the emulator, a recording
    without --duration) are programs of their own, get one, and end cleanly; the others run in
    this process (``gc_in_process``), HOME the folder, one after the other while the emulator
    serves. (The built-in emulator a recording in this process plays, emulator:..., at 10 times
    its speed: its 5 s in half a second; what the recording keeps is the same.)"""
    from firmware_bridge import sources

    built_in = sources.SOURCES["emulator"]

    def faster(rest: str) -> sources.Source:
        src = built_in(rest)
        src.pacer.speed = 10.0
        return src

    monkeypatch.setitem(sources.SOURCES, "emulator", faster)
    lines = [line for command in EXAMPLES_OF for line in _examples(capfd, command)]
    assert len(lines) >= 10
    assert any(" record " in line and "--duration" in line for line in lines), lines
    assert any(" simulate " in line for line in lines), lines
    monkeypatch.setenv("HOME", str(tmp_path))
    emulator = None
    try:
        for line in lines:
            until_ctrl_c = " emulate " in f" {line} " or " record " in line and "--duration" not in line
            if not until_ctrl_c:
                _ended_well(line, gc_in_process(capfd, *shlex.split(line)[1:], cwd=tmp_path))
                continue
            p = _run(line, tmp_path)
            if " emulate " in f" {line} ":
                emulator = p
                _wait_for(lambda: (tmp_path / "sensor.pty").exists(), "link from " + line)
                continue
            out = Path(tmp_path, shlex.split(line)[shlex.split(line).index("--out") + 1])
            _wait_for(lambda: (out / "force.csv").is_file() and (out / "force.csv").stat().st_size > 2000,
                      "recording from " + line)
            p.send_signal(signal.SIGINT)
            _ended_well(line, p)
    finally:
        if emulator is not None:
            emulator.send_signal(signal.SIGINT)
            out, err = emulator.communicate(timeout=60)
    assert emulator.returncode == 0 and out.startswith("emulating") and "sent " in out, (out, err)
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == ["anna", "ben", "cara",
                                                                          "gradecoach-library.sqlite"]


@pytest.mark.parametrize("command", [None, "record", "library"])
def test_help_as_a_command_shows_the_help(capfd, command):
    """'gradecoach help' and 'gradecoach help record' (as git and pip take them) were refused:
    "invalid choice: 'help'"."""
    asked = gc_in_process(capfd, "help", *([command] if command else []))
    wanted = gc_in_process(capfd, *([command] if command else []), "--help")
    assert asked.returncode == 0 and asked.stderr == "", asked.stderr
    assert asked.stdout == wanted.stdout
    if command is None:
        assert "'gradecoach help COMMAND'" in " ".join(asked.stdout.split())


def test_help_of_no_such_command_names_the_commands():
    r = gc("help", "recrod")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("gradecoach: error: argument COMMAND: invalid choice: 'recrod' (choose from 'replay'")


def test_devices_says_a_port_nothing_is_known_of_is_no_usb_device():
    """With nothing attached, a machine's built-in port was listed as 'serial:/dev/ttyS0  n/a',
    pyserial's placeholder, which reads as if something were there."""
    from serial.tools.list_ports_common import ListPortInfo

    from ui.cmd_devices import serial_lines

    bare = ListPortInfo("/dev/ttyS0", skip_link_detection=True)
    assert bare.description == "n/a" and bare.vid is None
    usb = ListPortInfo("/dev/ttyUSB0", skip_link_detection=True)
    usb.vid, usb.pid = 0x1234, 0x5678
    assert serial_lines(False, [], comports=lambda: [bare, usb]) == [
        "serial ports:", "  serial:/dev/ttyS0  (no description; not a USB device)",
        "  serial:/dev/ttyUSB0  (no description)  [1234:5678]"]


@pytest.mark.parametrize("grade,why", [("3", "unknown grade"), ("II+", "only III and IV take a modifier")])
def test_simulate_names_grade_when_it_refuses_one(tmp_path, grade, why):
    """'simulate --grade 3' said "unknown target '3'; use I, II, III, IV ... or V/HVLA": an option
    not given, and without 'mixed', which --grade takes."""
    r = gc("simulate", "--grade", grade, "-o", tmp_path / "x.csv")
    assert r.returncode == 2 and r.stdout == "" and not list(tmp_path.iterdir())
    assert r.stderr == (f"gradecoach: error: --grade {grade}: {why}; give I, II, III, IV (III/IV may end in --, -, "
                        f"+, ++), V/HVLA or mixed\n")
