"""Ctrl-C while ``record`` still waits for the device's first sample ends it at once and says
nothing was recorded (it went on waiting, then said the device sent nothing within 5 s)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import tty
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ctrl_c_before_the_first_sample_stops_at_once(tmp_path):
    master, slave = os.openpty()
    tty.setraw(slave)
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", f"serial:{os.ttyname(slave)}",
                          "--out", str(tmp_path / "sess")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline, asked = time.monotonic() + 30, b""
        while not asked:                               # the port is open: the host sent identify, start
            assert time.monotonic() < deadline and p.poll() is None
            if select.select([master], [], [], 0.05)[0]:
                asked = os.read(master, 4096)
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        took = time.monotonic() - t0
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
        os.close(master)
        os.close(slave)
    assert p.returncode == 0 and "nothing recorded" in out and err == "", (out, err)
    assert took < 3.5                                  # not the rest of the 5 s wait
    assert not (tmp_path / "sess").exists()
