"""A serial port one gradecoach reads is its own: a second source or a probe of the same port is
refused in one line naming it, and the first recording's device is neither shared nor stopped
(the second's closing ``stop`` used to halt it, its status frozen with no message)."""

from __future__ import annotations

import time

import pytest

from analysis.errors import DeviceError
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource, probe


def _samples_within(src: SerialSource, seconds: float) -> int:
    n = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        n += sum(len(c) for c in src.read(0.1) if c.stream == "force")
    return n


def test_a_second_open_and_a_probe_of_a_busy_port_are_refused(tmp_path):
    em = PtyEmulator(tmp_path / "busy.pty", "grade3", 1000)
    em.start()
    first = SerialSource(str(em.link))
    try:
        first.open()
        assert _samples_within(first, 1.5) > 0
        second = SerialSource(str(em.link))
        t = time.monotonic()
        with pytest.raises(DeviceError) as e:
            second.open()
        assert time.monotonic() - t < 1.0            # refused at once, not after the open timeout
        msg = str(e.value)
        assert "\n" not in msg and str(em.link) in msg and "busy" in msg
        said = probe(str(em.link))
        assert said.startswith("busy")
        assert [c.name for c in em.commands].count("stop") == 0      # nobody told the device to stop
        assert _samples_within(first, 1.5) > 1000    # the first reader still gets all of it
        assert first.stats.crc_errors == 0 and not [n for n in first.notices() if n.kind == "disconnected"]
    finally:
        first.close()
        em.stop()


def test_the_port_is_free_again_once_closed(tmp_path):
    em = PtyEmulator(tmp_path / "free.pty", "grade3", 1000)
    em.start()
    try:
        a = SerialSource(str(em.link))
        a.open()
        a.close()
        b = SerialSource(str(em.link))
        b.open()
        try:
            assert _samples_within(b, 2.0) > 0
        finally:
            b.close()
    finally:
        em.stop()
