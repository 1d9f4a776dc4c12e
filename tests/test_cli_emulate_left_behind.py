"""A link left by an emulator that was killed (SIGKILL: it could not remove its link) leads to a
pseudo-terminal number the system may give any other program next; record read such a link
as the sensor (another program's terminal: frames with CRC errors, exit 0). It is one line
saying the emulator is gone, and a running emulator's link still records."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT


def _emulate(link):
    em = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "grade3"],
                          cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not link.is_symlink():
        assert em.poll() is None and time.monotonic() < deadline, em.communicate()
        time.sleep(0.05)
    return em


def _record(link, out):
    return subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", f"serial:{link}", "--out", str(out),
                           "--duration", "0.5", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_link_to_a_terminal_no_one_holds_says_the_emulator_is_gone_too(tmp_path):
    # (the terminal the killed emulator's link names, freed and not given to anyone since: the link
    # leads nowhere, and what to do is the same)
    link = tmp_path / "sensor.pty"
    em = _emulate(link)
    em.kill()
    em.communicate(timeout=60)
    r = _record(link, tmp_path / "s")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{link}: a link left by an emulator that is no longer "
                                     f"running (pid {em.pid}); the terminal it leads to may be another program's: "
                                     f"start the emulator again"]
    assert not (tmp_path / "s").exists()


def test_a_link_left_by_a_killed_emulator_is_one_line(tmp_path):
    link = tmp_path / "sensor.pty"
    em = _emulate(link)
    em.kill()
    em.communicate(timeout=60)
    # the terminal number the link names, given to another program since
    master, slave = os.openpty()
    try:
        assert link.is_symlink()
        r = _record(link, tmp_path / "s")
    finally:
        os.close(master)
        os.close(slave)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{link}: a link left by an emulator that is no longer "
                                     f"running (pid {em.pid}); the terminal it leads to may be another program's: "
                                     f"start the emulator again"]
    assert not (tmp_path / "s").exists()
    # started again on the same link, it serves it
    em = _emulate(link)
    try:
        r = _record(link, tmp_path / "t")
    finally:
        em.send_signal(signal.SIGINT)
        em.communicate(timeout=60)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert (tmp_path / "t" / "session.json").is_file()
