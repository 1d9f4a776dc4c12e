"""``gradecoach emulate``'s last line says "(none lost)" when a client read every sample, and why
samples were lost only when some were: "(0 lost: nobody reading or UART full)" read as the
reason for losing none."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

from tests.conftest import ROOT


def emulate(link, *extra) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "grade4",
                          *extra], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert "emulating" in p.stdout.readline()
    return p


def last_line(p: subprocess.Popen) -> str:
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    return out.splitlines()[-1]


def test_a_client_that_reads_everything_is_told_none_were_lost(tmp_path):
    link = tmp_path / "s.pty"
    p = emulate(link)
    fd = os.open(link, os.O_RDONLY | os.O_NOCTTY)
    got, done = [0], threading.Event()

    def read():
        while not done.is_set():
            try:
                got[0] += len(os.read(fd, 65536))
            except OSError:
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        time.sleep(1.5)
        line = last_line(p)
    finally:
        done.set()
        os.close(fd)
    assert got[0] > 0
    assert re.fullmatch(r"sent \d+ samples \(none lost\)", line), line


def test_samples_nobody_read_are_counted_with_why(tmp_path):
    p = emulate(tmp_path / "s.pty", "--speed", "20")      # (nobody reading: the link's buffer fills)
    time.sleep(3.0)
    line = last_line(p)
    m = re.fullmatch(r"sent \d+ samples \((\d+) lost: nobody reading or UART full\)", line)
    assert m and int(m.group(1)) > 0, line
