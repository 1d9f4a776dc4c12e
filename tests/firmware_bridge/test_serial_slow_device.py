"""A device slower than the silence threshold (a sketch printing a force every 2.5 s, with the
threshold at 2 s) is not said silent: how long is silent follows the time between its samples as
they arrive. It used to be said silent before every sample, each interval marked as a gap and
counted as a reconnect, for good. Scaled here: the threshold at 0.6 s, a sample every 0.75 s (still
longer than the reader's 0.5 s before it looks at the silence at all)."""

from __future__ import annotations

import os
import pty
import re
import threading
import time
import tty

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge import serial_source
from firmware_bridge.recorder import record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)
SILENT_S = 0.6
PERIOD_S = 0.75                 # slower than SILENT_S, as 2.5 s is than 2 s


@pytest.fixture(autouse=True)
def _short_silence(monkeypatch):
    monkeypatch.setattr(serial_source, "SILENT_S", SILENT_S)


def test_timed_lines_slower_than_the_threshold_are_no_silence_and_no_gap(tmp_path):
    said: list[str] = []
    t0 = time.monotonic()
    with pty_recording(tmp_path, "grade3", 1.0 / PERIOD_S, SCHEME, line=True) as (em, src, w):
        res = record(src, w, SCHEME, stop=lambda: time.monotonic() - t0 >= 6 * PERIOD_S, notice=said.append)
    s = open_session(tmp_path / "sess")
    assert len(s.force.t_s) >= 4
    assert not [m for m in said if "no data from" in m or "data again" in m], said
    assert not s.meta.gaps and res.reconnects == 0


def _plain_forces(master: int, stop: threading.Event, until_s: float) -> threading.Thread:
    """Writes 'Force: 10.5 N' lines (no time column) every PERIOD_S until ``until_s`` from now."""
    def run():
        end = time.monotonic() + until_s
        while not stop.is_set() and time.monotonic() < end:
            os.write(master, b"Force: 10.5 N\r\n")
            stop.wait(PERIOD_S)
    th = threading.Thread(target=run, daemon=True)
    th.start()
    return th


@pytest.mark.parametrize("stops_after_s", [None, 4 * PERIOD_S], ids=["sends", "stops"])
def test_plain_force_lines_slower_than_the_threshold(stops_after_s):
    master, slave = pty.openpty()
    tty.setraw(master)
    stop = threading.Event()
    src = SerialSource(os.ttyname(slave))
    src.open()
    th = _plain_forces(master, stop, stops_after_s or 60.0)
    notes, n = [], 0
    try:
        end = time.monotonic() + (stops_after_s + 5 * PERIOD_S if stops_after_s else 6 * PERIOD_S)
        while time.monotonic() < end:
            n += sum(len(c) for c in src.read(0.1) if c.stream == "force")
            notes += src.notices()
            if stops_after_s and any(x.kind == "disconnected" for x in notes):
                break               # said silent: what is checked of it is there
    finally:
        stop.set()
        th.join(5)
        src.close()
        os.close(master)
        os.close(slave)
    silences = [x.message for x in notes if x.kind == "disconnected"]
    assert n >= 3 and not [x for x in notes if x.kind == "reconnected" or x.kind == "gap"]
    if stops_after_s is None:
        assert not silences
    else:       # one that stops is still said silent: after three of its periods
        (msg,) = silences
        after = float(re.search(r"for ([0-9.]+) s", msg).group(1))
        assert 3 * PERIOD_S <= after < 3 * PERIOD_S + 0.5, msg


def test_a_silence_after_which_all_of_it_came_late_is_no_reconnect(tmp_path):
    """A timed-line device that holds its lines for 1.5 s and then sends them all: said silent, then
    'all of it' and no gap; the recording counts no reconnect (it counted one)."""
    from firmware_bridge.recorder import new_meta
    from firmware_bridge.session import SessionWriter

    master, slave = pty.openpty()
    tty.setraw(master)
    stop = threading.Event()

    def run():
        t0, i, held = time.monotonic(), 0, b""
        while not stop.is_set() and i < 500:
            line = f"{10 * i},{20 + i % 7}.5\n".encode()
            wait = t0 + 0.01 * i - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if 1.5 <= 0.01 * i < 3.0:
                held += line                    # taken, not sent yet
            else:
                os.write(master, held + line)
                held = b""
            i += 1

    th = threading.Thread(target=run, daemon=True)
    src = SerialSource(os.ttyname(slave))
    src.open()
    w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME))
    said: list[str] = []
    th.start()
    t0 = time.monotonic()
    try:
        res = record(src, w, SCHEME, stop=lambda: time.monotonic() - t0 >= 4.0, notice=said.append)
    finally:
        stop.set()
        th.join(5)
        src.close()
        w.close()
        os.close(master)
        os.close(slave)
    assert [m for m in said if "no data from" in m] and [m for m in said if "all of it" in m], said
    assert res.reconnects == 0
    assert not [g for g in open_session(tmp_path / "sess").meta.gaps if g["t_end"] - g["t_start"] >= 0.5]
