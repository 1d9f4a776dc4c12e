"""Spec strings, real-time pacing and the built-in emulated sensor."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import InputError
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from firmware_bridge.sources import ArraySource, EmulatorSource, FileSource, Pacer, open_source


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.now += s


def test_unknown_spec_is_a_one_line_error():
    with pytest.raises(InputError, match="unknown device spec 'carrier-pigeon:x'"):
        open_source("carrier-pigeon:x")


def test_pacing_follows_data_time_without_drift():
    clock = FakeClock()
    t = np.arange(0, 60, 0.001)
    src = ArraySource({"force": (t, np.zeros_like(t))}, pacer=Pacer(1.0, clock, clock.sleep))
    src.open()
    got = 0
    while got < len(t):
        chunks = src.read(0.05)
        got += sum(len(c) for c in chunks)
        if chunks:
            # never ahead of the clock, never more than one read behind
            assert chunks[-1].t_s[-1] <= clock.now - 100.0 + 1e-9
            assert clock.now - 100.0 - chunks[-1].t_s[-1] < 0.06
    assert got == len(t)
    assert clock.now - 100.0 == pytest.approx(60.0, abs=0.06)


def test_emulator_is_endless_gapless_and_gradable():
    clock = FakeClock()
    src = EmulatorSource("grade3", rate_hz=500, pacer=Pacer(1.0, clock, clock.sleep))
    src.open()
    a = Analyzer(GradingScheme(40, 120))
    seqs, times, events = [], [], []
    # longer than one scenario pass (30.6 s): two passes after it, each with a seed of its own,
    # joined on to the one before
    while clock.now - 100.0 < 65.0:
        for c in src.read(0.1):
            seqs.append(np.arange(c.seq0, c.seq0 + len(c)))
            times.append(c.t_s)
            events += a.feed(c)
    seq, t = np.concatenate(seqs), np.concatenate(times)
    assert (np.diff(seq) == 1).all() and (np.diff(t) > 0).all()
    grades = {e.grade for e in events if e.TYPE == "cycle"}
    assert grades == {"III"}


def test_file_source_replays_a_fixture(tmp_path):
    clock = FakeClock()
    src = FileSource("fixtures/lumbar_grade1.csv", pacer=Pacer(4.0, clock, clock.sleep))
    src.open()
    n = 0
    while not src.exhausted:
        n += sum(len(c) for c in src.read(0.5))
    assert n == len(src.input.force.t_s)
    assert src.read(0.1) == []
    # played at 4x: the clock advanced by a quarter of the recording's length
    assert clock.now - 100.0 == pytest.approx(src.input.force.t_s[-1] / 4, abs=0.01)
    assert src.info["rate_hz"] == pytest.approx(1000, rel=0.01)
