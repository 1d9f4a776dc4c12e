"""The line for an unknown device spec names the kinds in one order, whichever of the serial and
BLE modules was imported first in the process (it read 'ble:..., serial:...' after a BLE import)."""
import sys

import pytest

import firmware_bridge.ble  # noqa: F401
import firmware_bridge.serial_source  # noqa: F401
from analysis.errors import InputError
from firmware_bridge import sources


def test_the_kinds_come_in_one_order(monkeypatch):
    monkeypatch.setattr(sources, "SOURCES", dict(sources.SOURCES))
    ble = sources.SOURCES.pop("ble")
    sources.SOURCES.pop("serial")
    sources.register_source("ble", ble)                      # BLE registered first ...
    monkeypatch.delitem(sys.modules, "firmware_bridge.serial_source")   # ... serial when imported again
    with pytest.raises(InputError) as e:
        sources.open_source("bogus:x")
    assert list(sources.SOURCES)[-2:] == ["ble", "serial"]
    assert str(e.value) == "unknown device spec 'bogus:x'; use emulator:..., file:..., serial:..., ble:..."
