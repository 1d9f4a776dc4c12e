"""A load cell whose sign is reversed (pushes read negative) is named as such: it was told it
had not been zeroed ("the sensor was not zeroed, so every force reads low; tare it"), which
taring does not mend."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from tests.conftest import simulate


def notes(t, y, sizes=None) -> list[str]:
    p = ForceProcessor(GradingScheme(40.0, 120.0))
    i = 0
    for n in sizes or []:
        p.feed_arrays(t[i:i + n], y[i:i + n])
        i += n
    p.feed_arrays(t[i:], y[i:])
    p.finish()
    return p.notes()


_T, _Y, _ = simulate("III", seed=5, cycles=8, freq_hz=1.2, rate=500)


@pytest.mark.parametrize("offset_n", [0.0, 3.0, -3.0])
def test_pushes_reading_negative_are_a_reversed_sensor(offset_n):
    (said,) = notes(_T, -_Y + offset_n)
    assert "sign is reversed" in said and "tare" not in said
    assert notes(_T, -_Y + offset_n, sizes=[333, 1, 4000, 77]) == [said]


@pytest.mark.parametrize("offset_n", [-10.0, -25.0])
def test_an_offset_is_still_an_untared_sensor(offset_n):
    (said,) = notes(_T, _Y + offset_n)
    assert "tare it" in said and "reversed" not in said
