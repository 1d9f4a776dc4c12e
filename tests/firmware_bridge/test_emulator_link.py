"""One emulator serves a link: a second one started on the same link
(``emulate --link ./sensor.pty`` run twice) is refused, naming the link, and the first goes on
serving it; the link of an emulator that stopped, or was killed, is free again. Real
pseudo-terminals and pyserial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serial

from firmware_bridge.emulator import LinkBusy, PtyEmulator
from firmware_bridge.protocol import binary as b

ROOT = Path(__file__).resolve().parents[2]


def _blocks(link: Path, n: int = 10) -> list[b.SampleBlock]:
    """``n`` sample frames read from ``link`` as a client would."""
    port = serial.Serial(str(link), 115200, timeout=0.05)
    dec, blocks = b.BinaryDecoder(), []
    deadline = time.monotonic() + 30
    try:
        while len(blocks) < n:
            assert time.monotonic() < deadline, "no samples from the link"
            blocks += [m for m in dec.feed(port.read(port.in_waiting or 1)) if isinstance(m, b.SampleBlock)]
    finally:
        port.close()
    return blocks


def test_a_second_emulator_on_a_served_link_is_refused_and_the_first_keeps_it(tmp_path):
    link = tmp_path / "sensor.pty"
    first = PtyEmulator(link, "grade3", 1000)
    first.start()
    try:
        second = PtyEmulator(link, "grade2", 1000)
        with pytest.raises(LinkBusy) as e:
            second.start()
        assert str(link) in str(e.value) and f"another emulator (pid {os.getpid()}) serves" in str(e.value)
        assert os.readlink(link) == os.ttyname(first.slave), "the link still leads to the first"
        assert second.master < 0 and second._thread is None, "the second made no terminal, sends nothing"
        sent = first.sent
        _blocks(link)
        assert first.sent > sent and first.lost == 0, "the first is still the one read"
    finally:
        first.stop()
    assert not link.is_symlink()
    again = PtyEmulator(link, "grade2", 1000)      # the link is free once the first stopped
    again.start()
    try:
        _blocks(link, 2)
    finally:
        again.stop()
    assert not link.is_symlink()


def _emulate(link: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--speed", "5"],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert p.stdout.readline().startswith("emulating"), p.stderr.read() if p.poll() is not None else ""
    return p


def test_emulate_run_twice_on_one_link_refuses_the_second_in_one_line(tmp_path):
    link = tmp_path / "sensor.pty"
    first = _emulate(link)
    try:
        target = os.readlink(link)
        second = subprocess.run([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link),
                                 "--truth", str(tmp_path / "truth.jsonl")], cwd=ROOT, capture_output=True,
                                text=True, timeout=30, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        lines = second.stderr.strip().splitlines()
        assert second.returncode == 2 and len(lines) == 1, second.stderr
        assert f"--link {link}: " in lines[0] and f"another emulator (pid {first.pid}) serves" in lines[0]
        assert not second.stdout and not (tmp_path / "truth.jsonl").exists(), "nothing was started or written"
        assert os.readlink(link) == target and first.poll() is None
        _blocks(link)                                  # the first one is still read through the link
    finally:
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=20)
    assert first.returncode == 0 and "Traceback" not in err, err


def test_the_link_of_a_killed_emulator_is_free(tmp_path):
    link = tmp_path / "sensor.pty"
    first = _emulate(link)
    first.kill()                                       # no clean-up: the link is left behind
    first.communicate(timeout=20)
    assert link.is_symlink()
    again = PtyEmulator(link, "grade2", 1000)
    again.start()
    try:
        _blocks(link, 2)
    finally:
        again.stop()


def test_an_emulator_whose_link_is_taken_away_says_so_and_stops(tmp_path):
    """Another program pointing the link elsewhere (or the link removed) left the emulator
    streaming to nobody, silently, until stopped by hand."""
    link = tmp_path / "sensor.pty"
    first = _emulate(link)
    try:
        other = tmp_path / "other"
        other.symlink_to("/dev/null")
        os.replace(other, link)                        # e.g. 'ln -sf /dev/ttyACM0 sensor.pty'
        out, err = first.communicate(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    lines = err.strip().splitlines()
    assert first.returncode == 1 and len(lines) == 1, err
    assert f"--link {link} was removed or now leads elsewhere" in lines[0] and "stopped" in lines[0]
    assert os.readlink(link) == "/dev/null", "the other program's link is left alone"
    assert "sent" in out
