"""An IMU thrust's duration_ms is how long the hand accelerated (docs/imu.md), which may end
before the hand's deepest point: the details said 'duration 48 ms' beside 'time to peak 140 ms'.
They name it for what it is; a force thrust's is still its duration."""

from __future__ import annotations

from ui.review.data import describe

NAN = float("nan")


def _thrust(**kw) -> dict:
    e = {"type": "thrust", "index": 0, "t_onset": 3.06, "t_peak": 3.2, "preload_n": 150.0, "peak_n": 600.0,
         "time_to_peak_ms": 140.0, "duration_ms": 48.0, "rate_n_per_s": 3200.0, "max_rate_n_per_s": 5000.0,
         "letup_n": 2.0, "letup": False, "source": "force", "displacement_mm": None}
    e.update(kw)
    return e


def test_an_imu_thrusts_burst_is_not_called_its_duration():
    rows = dict(describe(_thrust(source="imu", preload_n=NAN, peak_n=NAN, rate_n_per_s=NAN,
                                 max_rate_n_per_s=NAN, letup_n=NAN, displacement_mm=4.3)))
    assert rows["acceleration burst"] == "48 ms" and "duration" not in rows
    assert rows["time to peak"] == "140 ms" and rows["hand moved"] == "4.3 mm"


def test_a_force_thrusts_duration_is_still_its_duration():
    rows = dict(describe(_thrust(duration_ms=198.0)))
    assert rows["duration"] == "198 ms" and "acceleration burst" not in rows
