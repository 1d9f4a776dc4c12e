"""The first cycles from a serial sensor that reports its own calibration are graded with it: they
came graded grey ('–', 'no calibration: press C'), since the window takes the device's calibration
at its first frame with data, after the first second the device held back was graded without it
(and never, when the device answered later). They are in the same set as the cycles after them."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.serial_source import SerialSource
from ui.trainer.engine import Engine

from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def chunk(t0: float, t1: float) -> Chunk:
    t = np.arange(t0, t1, 0.001)
    return Chunk(t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t), int(round(t0 * 1000)), "force", 1000.0)


@pytest.mark.parametrize("answer_late", [False, True])
def test_the_first_cycles_are_graded_with_the_calibration_the_device_reports(qtbot, tmp_path, answer_late):
    src = SerialSource("/dev/ttyUSB0")               # (not opened: its answers are set here)
    eng = Engine(GradingScheme(), ThrustScheme(), clock=lambda: 0.0)
    win, eng, _ = live_window(qtbot, tmp_path, src, eng)
    win.timer.stop()
    src.info["name"] = "gc-force"
    if not answer_late:
        src.info["calibration"] = {"r1_n": 40.0, "r2_n": 120.0}     # its identify answer
    eng.feed(chunk(0.0, 3.0))                        # the seconds it held back, at once
    win.refresh()
    if answer_late:                                  # (after the first frame with data)
        src.info["calibration"] = {"r1_n": 40.0, "r2_n": 120.0}
        win.refresh()
    assert eng.cycles
    first = list(eng.cycles)
    assert [c.grade for c in first] == ["III"] * len(first)
    assert win.grade_panel.grade.text().startswith("III")
    assert "no calibration" not in win.grade_panel.caption.text()
    assert "R1 40 N, R2 120 N" in win._status_text()
    eng.feed(chunk(3.0, 6.0))
    win.refresh()
    assert len(eng.cycles) > len(first)
    assert {c.grade for c in eng.cycles} == {"III"}
    assert len({c.set_index for c in eng.cycles}) == 1      # one set: all graded alike
