"""IMU: a long recording whose times are in ms (every sample 1 "s" after the last at 1 kHz, each a
run of its own after a dropout) is analysed with the warning that says so and no other event but
its one dropout (a file timed so is refused by its reader, naming t_ms).

The runs of one sample a chunk brings are taken in bulk (their filters side by side, what each
run's start and end would leave done once), and the units check passes over the blocks without
data between them in one go: the same events, warnings, movement and verdicts as one at a time.
benchmarks/bench_imu.py --ms-times times it (10 minutes at 1 kHz).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.errors import InputError
from analysis.imu import ImuProcessor, movement_drawn
from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, write_imu_csv
from firmware_bridge.replay import load_input
from firmware_bridge.simulator import Sim, mixed, technique

SC = GradingScheme(40, 120)


N = 60_000                                 # the first minute of the long recording, 60,000 samples


@pytest.fixture(scope="module")
def long_imu() -> tuple[np.ndarray, np.ndarray]:
    """A mixed session's IMU at 1 kHz (about 80 s), made once for this file's tests."""
    sim = Sim(40, 120, seed=3)
    mixed(sim, SC)
    return imu_signal(sim, 1000.0, seed=3)


def chunks(t, v, sizes):
    out, i, j = [], 0, 0
    while i < len(t):
        n = sizes[j % len(sizes)]
        out.append(Chunk(t[i:i + n], v[i:i + n], stream="imu"))
        i, j = i + n, j + 1
    return out


def run(t, v, sizes, judge_each_chunk=False):
    """Events, warnings, band-limited movement and units verdicts of ``t``, ``v`` fed in chunks."""
    p = ImuProcessor(warnings=[])
    ev = []
    for c in chunks(t, v, sizes):
        ev += p.feed(c)
        if judge_each_chunk:
            p.units_wrong(p.t_last)
    ev += p.finish()
    return [e.to_dict() for e in ev], p._warnings, list(p._verdict), p._first_wrong


def test_a_minute_at_1_khz_timed_in_ms_is_analysed_with_its_warning_and_one_gap(tmp_path, long_imu):
    T, V = long_imu
    # (the file itself is refused by its reader, whole-number times under t_s being milliseconds;
    # what reaches the analysis timed so, a source's own times, is said as before)
    path = tmp_path / "ms.imu.csv"
    write_imu_csv(path, 1000.0 * T[:N], V[:N])
    with pytest.raises(InputError, match="name the time column t_ms"):
        load_input(path)
    t0 = time.perf_counter()
    ev, warnings, _, _ = run(1000.0 * T[:N], V[:N], [100])
    took = time.perf_counter() - t0
    assert [(e["type"], e["t_start"], e["t_end"]) for e in ev if e["type"] not in ("summary", "warning")] \
        == [("gap", 0.0, 1.0)]
    assert not [e for e in ev if e["type"] in ("cycle", "thrust")]
    assert warnings == ["IMU samples come 1 s apart on average, where an IMU gives 50–2000 a second "
                        "(IMU times in ms? give seconds): no movement could be measured"]
    # (a bound far over what it takes, to catch only a cost per sample that grows with the
    # recording; the figures are bench_imu.py --ms-times')
    assert took < 120.0


@pytest.mark.parametrize("gyro", ["rad/s", "°/s"])
def test_runs_of_one_sample_in_bulk_say_and_draw_what_they_said_one_at_a_time(gyro, long_imu):
    T, V = long_imu
    t, v = 1000.0 * T[:750], V[:750].copy()       # (the °/s verdict comes at its 36th sample)
    if gyro == "°/s":
        v[:, 3:] = np.degrees(v[:, 3:])
    one = run(t, v, [1], judge_each_chunk=True)        # (a run of one sample a chunk: one at a time)
    assert one == run(t, v, [500]) == run(t, v, [3, 250, 17])
    assert any("rad/s" in w for w in one[1]) == (gyro == "°/s")
    assert (one[3] is not None) == (gyro == "°/s")
    # (a display takes the movement after each chunk: of runs ended within history_s, 30 s, of the
    # last, so chunks of up to 30 samples here)
    moved = [movement_drawn(ImuProcessor(), chunks(t, v, sizes)) for sizes in ([1], [30], [3, 29, 17])]
    assert len(moved[0][0]) > 0
    for tm, dm in moved[1:]:
        assert tm.tobytes() == moved[0][0].tobytes() and dm.tobytes() == moved[0][1].tobytes()


def test_lone_samples_in_dropouts_of_a_recording_in_seconds_change_nothing_in_bulk():
    sim = Sim(40, 120, seed=5)
    technique("III", sim, SC, cycles=10, freq_hz=1.5)
    t, v = imu_signal(sim, 500.0, seed=5)
    keep = np.ones(len(t), bool)
    for a, b, lone in ((3.0, 3.6, (3.3,)), (6.0, 8.0, (6.3, 6.6, 6.9, 7.2, 7.5)), (9.0, 10.5, (9.4, 9.8))):
        keep[(t >= a) & (t < b)] = False
        for x in lone:
            keep[np.argmin(np.abs(t - x))] = True
    t, v = t[keep], v[keep]
    one = run(t, v, [1], judge_each_chunk=True)
    assert one == run(t, v, [len(t)]) == run(t, v, [7, 300, 41])
    assert any(e["type"] == "imu_cycle" for e in one[0])
    # every part of the three dropouts: two around the one lone sample, six around the five (fewer
    # than make a recording in ms), three around the two
    assert sum(e["type"] == "gap" for e in one[0]) == 2 + 6 + 3
    moved = [movement_drawn(ImuProcessor(), chunks(t, v, sizes)) for sizes in ([1], [100], [7, 300, 41])]
    assert len(moved[0][0]) > 0.9 * len(t)
    for tm, dm in moved[1:]:    # (across the dropouts' runs, to a last bit, as before they were taken in bulk)
        assert np.allclose(tm, moved[0][0], rtol=0, atol=1e-9) and np.allclose(dm, moved[0][1], rtol=0, atol=1e-9)
