"""A timed recording (``gradecoach record --duration N``) of a serial sensor holds the samples from
its first one up to N s, and no more, whatever N is: under a second too, although the serial
source holds its first second back while its clock settles (``--duration 0.3`` from a 1 kHz
device recorded 1020 samples, over a second). Its session.json and summary say what the files
hold. The emulator runs on a real pseudo-terminal, its clock and the source's ``speed`` times
faster than real time."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import finish_meta, record
from firmware_bridge.session import open_session
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)
RATE_HZ = 1000


@pytest.mark.parametrize("duration_s, line", [(0.3, False), (0.3, True), (0.05, False), (2.5, False)])
def test_a_timed_recording_holds_its_duration_and_no_more(tmp_path, duration_s, line):
    with pty_recording(tmp_path, "grade3", RATE_HZ, SCHEME, speed=2.0, line=line) as (em, src, w):
        res = record(src, w, SCHEME, duration_s=duration_s)
        finish_meta(w, src, res)
    s = open_session(tmp_path / "sess")
    t = s.force.t_s
    span_s = t[-1] - t[0]
    # from the first sample up to the duration: 301 samples of 1 kHz for 0.3 s (it kept 1020)
    assert duration_s - 1.5 / RATE_HZ <= span_s <= duration_s + 1e-6, span_s
    assert abs(len(t) - (duration_s * RATE_HZ + 1)) <= 2, len(t)
    assert (np.diff(t) > 0).all() and src.stats.dropped == 0
    # what the session says of itself is what its files hold
    assert res.samples == len(t) == s.meta.extra["device_stats"]["samples"]
    assert s.meta.extra["device_stats"]["dropped"] == 0
    (summary,) = [e for e in s.events if e["type"] == "summary"]
    assert summary["duration_s"] == pytest.approx(span_s, abs=2e-6)
