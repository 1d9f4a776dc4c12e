"""A device that reports a calibration it got wrong (text for a number, R1 above R2, an infinite
R2) does not stop ``record`` with a traceback or with an error that reads like the user's own
input: one warning names the device and the recording goes on without grades."""

from __future__ import annotations

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import scheme_from_device
from firmware_bridge.sources import Source


class Reported(Source):
    spec = "serial:/dev/ttyACM0"

    def __init__(self, cal: dict) -> None:
        super().__init__()
        self.info["calibration"] = cal

    def open(self) -> None:
        pass

    def read(self, timeout_s: float = 0.1):
        return []

    def close(self) -> None:
        pass


@pytest.mark.parametrize("cal", [{"r1_n": "abc", "r2_n": 120}, {"r1_n": 40, "r2_n": None},
                                 {"r1_n": 120, "r2_n": 40}, {"r1_n": -5, "r2_n": 40},
                                 {"r1_n": 40, "r2_n": float("inf")}, {"r1_n": [40], "r2_n": 120}])
def test_an_unusable_device_calibration_is_one_warning_and_no_grades(cal):
    said = []
    scheme = scheme_from_device(GradingScheme(), Reported(cal), said.append)
    assert not scheme.calibrated
    assert len(said) == 1 and said[0].startswith("serial:/dev/ttyACM0: ") and "--r1" in said[0]


def test_a_usable_device_calibration_is_used_and_the_command_line_wins():
    said = []
    assert scheme_from_device(GradingScheme(), Reported({"r1_n": 40, "r2_n": 120}), said.append).r1_n == 40
    assert scheme_from_device(GradingScheme(30, 90), Reported({"r1_n": "abc", "r2_n": 1}), said.append).r1_n == 30
    assert said == []


@pytest.mark.parametrize("cal", [{"r1_n": "abc", "r2_n": 120}, {"r1_n": 120, "r2_n": 40},
                                 {"r1_n": 40, "r2_n": float("inf")}, {"r1_n": [40], "r2_n": 120}])
def test_the_trainer_does_not_start_with_an_unusable_device_calibration(cal):
    """At start, as after switching source, the trainer takes no calibration the device got
    wrong (R1 120 N over R2 40 N was taken as it came, and graded every cycle against it)."""
    from ui.cmd_trainer import pick_calibration

    assert pick_calibration(GradingScheme(), Reported(cal)) is None
    good = pick_calibration(GradingScheme(), Reported({"r1_n": 40, "r2_n": 120}))
    assert (good.r1_n, good.r2_n) == (40, 120)
