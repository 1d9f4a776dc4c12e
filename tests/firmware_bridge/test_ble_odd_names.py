"""Sensor names as radios deliver them: padded with NULs or spaces by the firmware, with
characters outside ASCII, or with control characters. ``ble:NAME`` still finds the sensor, and
``devices --ble`` lists it on one line. The fake scanner stands where bleak's ``BleakScanner``
stands, as in test_ble.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from firmware_bridge.ble import scan

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)


@pytest.mark.parametrize("advertised, asked", [
    ("Progressor_1A2B\x00\x00\x00", "Progressor_1A2B"),     # a fixed-size name field, NUL-padded
    ("Progressor_1A2B ", "progressor_1a2b"),                 # a trailing space
    ("KRAFTSENSOR-STRASSE", "Kraftsensor-Straße"),           # case folding beyond ASCII
    ("Progressor_1A2B", " Progressor_1A2B "),                # spaces typed around the name
])
def test_a_sensor_is_found_by_the_name_it_shows(advertised, asked):
    radio = _h.Radio("progressor_grade4")
    radio.device.name = radio.adv.local_name = advertised
    src = _h.BleSource(asked, scanner=_h.FakeScanner(radio), clock=radio.clock, find_timeout_s=0.2,
                       client_factory=lambda d, cb, timeout: _h.FakeClient(radio, d, cb, timeout))
    src.open()
    try:
        assert radio.connects == 1
        assert src.info["name"] == advertised.strip("\x00 ")
    finally:
        src.close()


def test_devices_lists_a_name_with_control_characters_on_one_line():
    radio = _h.Radio("progressor_grade4")
    radio.adv.local_name = "Prog\nressor\x00\x00"
    [found] = scan(0.01, scanner=_h.FakeScanner(radio))
    assert found["name"] == "Prog\\nressor"
