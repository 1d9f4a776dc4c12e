"""Milliseconds with a fraction under a seconds header (a 2 kHz logger's ``Time (s);Force (N)`` then
``0,0;…``, ``0,5;…``, ``1,0;…``) are refused as whole-number milliseconds are, not replayed as a
recording of 2000 s with no cycle and exit 0. Times a force sensor's slowest rate apart (an
HX711's 10 a second) and a short table typed by hand stay read.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.errors import InputError
from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import gc


def _csv(step: float, n: int = 400, places: int = 1) -> str:
    """``Time (s);Force (N)`` with decimal commas, times ``step`` apart, forces of a 2 Hz oscillation at 2 kHz."""
    return "Time (s);Force (N)\n" + "".join(f"{i * step:.{places}f};{50 + 30 * np.sin(2 * np.pi * i / 1000):.2f}\n"
                                            .replace(".", ",") for i in range(n))


def test_milliseconds_with_a_fraction_under_a_seconds_header_are_refused(tmp_path):
    p = tmp_path / "logger.csv"
    p.write_text(_csv(0.5))
    r = gc("replay", p)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (f"gradecoach: error: {p}: times under a seconds header are 0.5 s apart (2 samples a second, "
                        f"slower than any force sensor); if they are milliseconds, name the time column t_ms "
                        f"(2000 samples a second)\n")


def test_the_same_times_under_a_milliseconds_header_replay(tmp_path):
    p = tmp_path / "logger.csv"
    p.write_text(_csv(0.5, 4000).replace("Time (s)", "t_ms", 1))
    r = gc("replay", p, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["duration_s"] == pytest.approx(1.9995) and summary["n_cycles"] == 3


@pytest.mark.parametrize("step, places", [(0.1, 1), (0.0125, 4), (0.08, 2)])
def test_times_as_far_apart_as_a_slow_force_sensor_s_stay_read(tmp_path, step, places):
    d = read_csv_bytes(tmp_path / "x.csv", _csv(step, 200, places).encode())
    assert len(d.t_s) == 200 and d.t_s[1] == pytest.approx(step)


def test_uneven_or_few_slow_times_stay_read(tmp_path):
    """A table typed by hand: readings every half a second or so, or fewer than 60 of them."""
    rng = np.random.default_rng(0)
    t = np.cumsum(rng.uniform(0.2, 0.9, 100))
    text = "t_s;force_n\n" + "".join(f"{a:.2f};{i % 7}\n".replace(".", ",") for i, a in enumerate(t))
    assert len(read_csv_bytes(tmp_path / "x.csv", text.encode()).t_s) == 100
    assert len(read_csv_bytes(tmp_path / "y.csv", _csv(0.5, 50).encode()).t_s) == 50


def test_an_imu_sampling_slowly_stays_read(tmp_path):
    """An IMU may sample once a second (a Thingy:52 at its slowest)."""
    text = "t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads\n" + "".join(
        f"{i * 0.5},0,0,9.8,0,0,0\n" for i in range(100))
    d = read_csv_bytes(tmp_path / "imu.csv", text.encode(),
                       ("t_s", "ax_mps2", "ay_mps2", "az_mps2", "gx_rads", "gy_rads", "gz_rads"))
    assert len(d.t_s) == 100


def test_refused_in_python_too(tmp_path):
    with pytest.raises(InputError, match="0.25 s apart .4 samples a second"):
        read_csv_bytes(tmp_path / "x.csv", _csv(0.25, 100, 2).encode())
