"""A path that is there but is no serial port, and neither a folder nor a regular file (/dev/null,
a named pipe, a socket), is one line naming it and exit 2, as a folder and a file are:
``devices --port /dev/null`` listed it with pyserial's "cannot open (Could not configure port:
(25, 'Inappropriate ioctl for device'))" and exited 0, and ``record --device serial:/dev/null``
tried for 5 s before saying pyserial's words. A named pipe is never opened (that would wait for
a program to write to it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/null are POSIX")


def gc(*args) -> subprocess.CompletedProcess:
    """``gradecoach ARGS``, given 60 s: a hang on the path fails the test."""
    return subprocess.run([sys.executable, "-m", "ui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "sensor.pipe"
    os.mkfifo(path)
    return path


def test_devices_port_dev_null():
    r = gc("devices", "--port", os.devnull)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {os.devnull}: a device that is not a serial port"]


def test_devices_port_named_pipe(fifo):
    r = gc("devices", "--port", fifo)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {fifo}: a named pipe, not a serial port"]


def test_devices_port_socket(tmp_path):
    path = tmp_path / "s.sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind(str(path))
        r = gc("devices", "--port", path)
    finally:
        s.close()
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {path}: a socket, not a serial port"]


def test_devices_two_refused_ports(fifo):
    """Two refused ports: nothing is listed, the first is named."""
    r = gc("devices", "--port", fifo, "--port", os.devnull)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {fifo}: a named pipe, not a serial port"]


@pytest.mark.parametrize("which", ["dev null", "named pipe"])
def test_record_from_a_device_that_is_no_serial_port(tmp_path, fifo, which):
    port, says = (os.devnull, "a device that is not a serial port") if which == "dev null" else \
                 (fifo, "a named pipe, not a serial port")
    r = gc("record", "--device", f"serial:{port}", "--out", tmp_path / "new", "--duration", "1", "--quiet")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{port}: {says}"]
    assert not (tmp_path / "new").exists()


def test_screenshot_of_dev_null(tmp_path):
    """The trainer's screenshot opens the device as the trainer does."""
    r = gc("screenshot", "--device", f"serial:{os.devnull}", "--at", "2", "-o", tmp_path / "x.png")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{os.devnull}: a device that is not a serial port"]
    assert not (tmp_path / "x.png").exists()
