"""An emulator killed (SIGKILL: it could not remove its link) while a serial source reads it: the
link leads to a terminal number the system may give another program next. The source used to
reconnect to whatever owned it then ("back on ./sensor.pty") and record that program's data
into the session. It now says once that the emulator is gone and waits, reading nothing, and
comes back when an emulator serves the link again; a probe of such a link sends it nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from firmware_bridge.emulator import PtyEmulator, _lock_path
from firmware_bridge.serial_source import SerialSource, probe
from tests.conftest import ROOT


def _emulate(link):
    em = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "grade3"],
                          cwd=ROOT, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not link.is_symlink():
        assert em.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    return em


def _drain(src, seconds, after=None):
    """Force samples read in ``seconds`` and the notices; with ``after`` (a notice kind), only the
    samples read once that notice has come (what the port still held before it is the old
    device's own)."""
    n, notices = 0, []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        got = sum(len(c) for c in src.read(0.1) if c.stream == "force")
        if after is None or any(nt.kind == after for nt in notices):
            n += got
        notices += src.notices()
    return n, notices


def test_no_reconnect_to_the_terminal_a_killed_emulator_left(tmp_path):
    link = tmp_path / "killed.pty"
    em = _emulate(link)
    src = SerialSource(str(link))
    other = None
    try:
        src.open()
        n, _ = _drain(src, 1.5)
        assert n > 0
        em.kill()
        em.wait(30)
        # another program gets a terminal; the left link is pointed at it (the system may give
        # the killed emulator's terminal number to the next program that asks)
        other = PtyEmulator(tmp_path / "other.pty", "grade1", 1000)
        other.start()
        os.unlink(link)
        os.symlink(os.readlink(other.link), link)
        n, notices = _drain(src, 3.0, after="disconnected")
        kinds = [nt.kind for nt in notices]
        assert "disconnected" in kinds and "reconnected" not in kinds
        assert n == 0                                # nothing of the other program's is read
        (said,) = [nt.message for nt in notices if nt.kind == "info"]
        assert f"pid {em.pid}" in said and "another program's" in said
        assert [c.name for c in other.commands] == []     # nor anything written to it
        assert probe(str(link)).startswith("not probed")
        assert [c.name for c in other.commands] == []
    finally:
        src.close()
        if other is not None:
            other.stop()
        if em.poll() is None:
            em.kill()
            em.wait(30)
        _lock_path(link).unlink(missing_ok=True)         # (the killed emulator could not remove it)


def test_an_emulator_started_again_on_the_link_is_read_again(tmp_path):
    link = tmp_path / "again.pty"
    em = _emulate(link)
    src = SerialSource(str(link))
    em2 = None
    try:
        src.open()
        assert _drain(src, 1.5)[0] > 0
        em.kill()
        em.wait(30)
        _drain(src, 1.0)
        em2 = _emulate_again(link)
        n, notices = _drain(src, 4.0)
        assert "reconnected" in [nt.kind for nt in notices] and n > 0
    finally:
        src.close()
        if em2 is not None:
            em2.stop()
        if em.poll() is None:
            em.kill()
            em.wait(30)


def _emulate_again(link):
    em2 = PtyEmulator(link, "grade3", 1000)
    em2.start()
    return em2
