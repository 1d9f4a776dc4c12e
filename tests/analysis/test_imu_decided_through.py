"""A worn IMU's processor says in public how far its thrusts are decided
(``ImuProcessor.thrusts_decided_through``) and up to when its samples are analysed
(``ImuProcessor.t_analysed``), as the force's processor does, so that the analysis ties a pop to
an IMU's thrust without reading the processor's inner state.

Three simulated HVLA thrusts (grade V, seed 1) at 500 Hz and 200 Hz, fed in chunks of 10 ms and
of 0.37 s: whenever the processor says the thrusts are decided through a time, every thrust whose
onset lies at or before it has been given, and it says so of each thrust's onset within a second
of data after it.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from firmware_bridge.imu_sim import imu_signal

from tests.analysis.imu_shapes import v_session


def fed(t, v, step):
    """An ImuProcessor fed ``t, v`` in chunks of ``step`` samples, after each chunk: the
    processor and the thrusts given so far."""
    p, given = ImuProcessor(), []
    for i in range(0, len(t), step):
        given += [e for e in p.feed(Chunk(t[i:i + step], v[i:i + step], stream="imu")) if e.TYPE == "thrust"]
        yield p, given


@pytest.mark.parametrize("rate, step_s", [(500, 0.01), (500, 0.37), (200, 0.01)])
def test_a_time_said_decided_has_all_its_thrusts_given(rate, step_s):
    t, v = imu_signal(v_session(1, 3), rate, seed=1)
    step = max(1, int(step_s * rate))
    # (the onsets, from the data in chunks of a second: the same to the last bit whatever the
    # chunking, and the feeding below gives each of them or this test fails)
    *_, (p, given) = fed(t, v, int(rate))
    onsets = [e.t_onset for e in given + [e for e in p.finish() if e.TYPE == "thrust"]]
    assert len(onsets) == 3
    assert ImuProcessor().t_analysed is None and not ImuProcessor().thrusts_decided_through(float(t[0]))
    probes = np.concatenate([onsets, np.arange(t[0], t[-1], 0.05)])
    first_said = {}                                 # onset: the newest sample fed when first decided
    analysed = []
    for p, given in fed(t, v, step):
        if p.t_analysed is None:
            assert not p.thrusts_decided_through(float(t[0]))
            continue
        analysed.append(p.t_analysed)
        assert p.t_analysed <= p.t_last
        for probe in probes:
            if p.thrusts_decided_through(probe):
                assert probe <= p.t_analysed
                assert len([e for e in given if e.t_onset <= probe]) == len([o for o in onsets if o <= probe])
                if probe in onsets:
                    first_said.setdefault(probe, p.t_last)
    assert sorted(e.t_onset for e in given + [e for e in p.finish() if e.TYPE == "thrust"]) == sorted(onsets)
    assert (np.diff(analysed) >= 0).all()
    assert sorted(first_said) == sorted(onsets)
    assert all(first_said[o] - o <= 1.0 for o in onsets), first_said
