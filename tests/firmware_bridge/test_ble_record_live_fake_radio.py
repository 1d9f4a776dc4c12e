"""``python -m firmware_bridge.ble_record --live``: a device's notifications recorded into a
capture, through bleak's API (``BleakScanner``, ``BleakClient``) replaced by a recorded device
on the air (the fake radio of test_ble). The capture holds every notification the device sent,
in a folder made for it."""

from __future__ import annotations

import pytest

from firmware_bridge.ble_record import main, read_stream
from tests.firmware_bridge._fake_radio import FakeClient, FakeScanner, Radio


@pytest.fixture
def on_air(monkeypatch):
    import bleak
    radio = Radio("progressor_grade4")
    monkeypatch.setattr(bleak, "BleakScanner", FakeScanner(radio))
    monkeypatch.setattr(bleak, "BleakClient", lambda device, disconnected_callback, timeout:
                        FakeClient(radio, device, disconnected_callback, timeout))
    return radio


def test_a_live_recording_holds_every_notification_in_a_folder_made_for_it(on_air, tmp_path, capsys):
    out = tmp_path / "new" / "captures" / "p.jsonl"
    main(["--live", f"ble:{on_air.device.name}", "--duration", "1.5", "--out", str(out)])
    assert on_air.done.is_set()                                      # the device sent all it had
    meta, records = read_stream(out)
    assert meta["profile"] == on_air.meta["profile"]
    assert [(c, bytes(d)) for _, c, d in records] == [(c, bytes(d)) for _, c, d in on_air.records]
    assert capsys.readouterr().out == f"{out}: {len(on_air.records)} notifications\n"
