"""``gradecoach devices --ble --timeout S``: a scan time it cannot honour is refused in one line.

bleak's ``BleakScanner`` is replaced at its API boundary by one with a sensor on the air that
notes how long it was asked to scan.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ui.cli import main

PROGRESSOR = "7e4e1701-1ea6-40c9-9dcc-13d34ffead57"


class OneSensorScanner:
    """``BleakScanner.discover`` with a Progressor advertising; ``asked`` holds the scan times."""

    asked: list[float] = []

    @classmethod
    async def discover(cls, timeout: float = 5.0, return_adv: bool = False):
        cls.asked.append(timeout)
        device = SimpleNamespace(name="Progressor_1A2B", address="C0:FF:EE:12:34:56")
        adv = SimpleNamespace(local_name="Progressor_1A2B", service_uuids=[PROGRESSOR], rssi=-50)
        return {device.address: (device, adv)}


@pytest.fixture
def scanner(monkeypatch):
    import bleak
    OneSensorScanner.asked = []
    monkeypatch.setattr(bleak, "BleakScanner", OneSensorScanner)
    return OneSensorScanner


@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf", "0.1", "61"])
def test_a_timeout_out_of_range_is_refused_in_one_line_before_scanning(value, scanner, capsys):
    assert main(["devices", "--ble", "--timeout", value]) == 2
    out = capsys.readouterr()
    assert out.err == f"gradecoach: error: --timeout {value}: give 0.5–60 s of BLE scanning\n"
    assert out.out == ""
    assert scanner.asked == []


@pytest.mark.parametrize("value", ["0.5", "60"])
def test_a_timeout_in_range_scans_that_long_and_lists_the_sensor(value, scanner, capsys):
    assert main(["devices", "--ble", "--timeout", value]) == 0
    out = capsys.readouterr().out
    assert "BLE sensors:\n  ble:C0:FF:EE:12:34:56  Progressor_1A2B  progressor  -50 dBm" in out
    assert scanner.asked == [float(value)]
