"""A serial device that goes silent with its port still open (it stopped sending, or hangs):
after 2 s it is said ("no data from serial:… for 2 s") and the silent stretch is marked as a
gap, as an unplug is. It used to go unsaid: the same status line again and again, the recording
'complete' with no gap. Here the 2 s are 1 s (``SILENT_S``), and the waits with them."""

from __future__ import annotations

import time

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge import serial_source
from firmware_bridge.recorder import record
from firmware_bridge.session import open_session
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)
SILENT_S = 1.0


@pytest.fixture(autouse=True)
def _short_silence(monkeypatch):
    monkeypatch.setattr(serial_source, "SILENT_S", SILENT_S)


def _record(tmp_path, silent_from: float, silent_to: float | None, until: float, line: bool = False):
    said: list[str] = []
    t0 = time.monotonic()
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, line=line) as (em, src, w):

        def stop():
            t = time.monotonic() - t0
            em.streaming = not (silent_from <= t and (silent_to is None or t < silent_to))
            return t >= until

        res = record(src, w, SCHEME, stop=stop, notice=said.append)
        spec = src.spec
    return res, said, open_session(tmp_path / "sess"), spec


@pytest.mark.parametrize("line", [False, True], ids=["binary", "line"])
def test_a_silent_stretch_is_said_and_marked_as_one_gap(tmp_path, line):
    res, said, s, spec = _record(tmp_path, 1.5, 3.5, 5.5, line)
    assert [m for m in said if m.startswith(f"no data from {spec} for {SILENT_S:g} s (the port is open")]
    assert [m for m in said if "data again after" in m]
    long_gaps = [g for g in s.meta.gaps if g["t_end"] - g["t_start"] >= 1.0]
    (gap,) = long_gaps
    assert 1.5 <= gap["t_end"] - gap["t_start"] <= 2.5
    # the samples the device skipped meanwhile are that gap, not another one beside it
    assert not [g for g in s.meta.gaps if g is not gap and g["t_start"] < gap["t_end"] and g["t_end"] > gap["t_start"]]
    t = s.force.t_s
    assert not ((t > gap["t_start"] + 0.01) & (t < gap["t_end"] - 0.01)).any()
    assert t[-1] > gap["t_end"] + 1.0             # and it went on after it


def test_a_device_silent_to_the_end_is_a_gap_to_the_end(tmp_path):
    res, said, s, spec = _record(tmp_path, 1.5, None, 4.0)
    assert [m for m in said if "no data from" in m]
    assert res.lost_at_s is not None
    (gap,) = [g for g in s.meta.gaps if g["t_end"] - g["t_start"] >= 1.0]
    assert gap["t_end"] - gap["t_start"] >= 2.0


def test_a_timed_recording_of_a_device_gone_silent_ends_on_time_with_the_gap_to_its_end(tmp_path):
    said: list[str] = []
    t0 = time.monotonic()
    with pty_recording(tmp_path, "grade3", 1000, SCHEME) as (em, src, w):

        def stop():
            em.streaming = time.monotonic() - t0 < 1.5
            return time.monotonic() - t0 > 30.0        # (only so that a hang fails instead)

        res = record(src, w, SCHEME, duration_s=3.0, stop=stop, notice=said.append)
        ended_s = src.now_s()
    s = open_session(tmp_path / "sess")
    t_stop = float(s.force.t_s[0]) + 3.0
    assert [m for m in said if "no data from" in m]
    assert 0.0 <= ended_s - t_stop < 0.5
    (gap,) = [g for g in s.meta.gaps if g["t_end"] - g["t_start"] >= 1.0]
    assert gap["t_end"] == pytest.approx(t_stop, abs=1e-5) and res.lost_at_s == gap["t_start"]
