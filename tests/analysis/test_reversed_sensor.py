"""A load cell whose sign is reversed (pushes read negative) is named as such: it was told it
had not been zeroed ("the sensor was not zeroed, so every force reads low; tare it"), which
taring does not mend."""

from __future__ import annotations

import pytest

from tests.conftest import force_notes as notes, simulate

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
