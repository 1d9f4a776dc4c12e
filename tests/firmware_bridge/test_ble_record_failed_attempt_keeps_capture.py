"""``python -m firmware_bridge.ble_record --live ... --overwrite``: an attempt that records no
notification (an error, Ctrl-C or silence between connecting and the first notification) leaves
the capture already there as it was. It was cut to its meta line as soon as the device connected,
which replay then refused ("no notifications after its meta line"). Through the fake radio of
test_ble: bleak's scanner and client stand-ins fed from a recorded device."""

from __future__ import annotations

import pytest

from analysis.errors import DeviceError
from firmware_bridge.ble import BleSource
from firmware_bridge.ble_record import main, read_stream
from tests.conftest import ROOT
from tests.firmware_bridge._fake_radio import FakeClient, FakeScanner, Radio

OLD = ROOT / "fixtures" / "ble" / "nus_timed_grade2.jsonl"


def _on_air(monkeypatch, radio: Radio) -> Radio:
    import bleak
    monkeypatch.setattr(bleak, "BleakScanner", FakeScanner(radio))
    monkeypatch.setattr(bleak, "BleakClient", lambda device, disconnected_callback, timeout:
                        FakeClient(radio, device, disconnected_callback, timeout))
    return radio


def _old_capture(tmp_path):
    out = tmp_path / "p.jsonl"
    out.write_bytes(OLD.read_bytes())
    return out


def test_an_error_before_the_first_notification_keeps_the_old_capture(monkeypatch, tmp_path, capsys):
    radio = _on_air(monkeypatch, Radio("progressor", records=[]))
    spec = f"ble:{radio.device.name}"

    def adapter_gone(self, timeout_s=0.1):
        raise DeviceError(f"{spec}: the Bluetooth adapter went away")
    monkeypatch.setattr(BleSource, "read", adapter_gone)
    out = _old_capture(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["--live", spec, "--duration", "1", "--out", str(out), "--overwrite"])
    assert e.value.code == 2 and radio.connects == 1
    assert out.read_bytes() == OLD.read_bytes()
    assert capsys.readouterr().err == f"gradecoach: {spec}: the Bluetooth adapter went away ({out} kept as it was)\n"
    assert list(tmp_path.iterdir()) == [out]


def test_ctrl_c_before_the_first_notification_keeps_the_old_capture(monkeypatch, tmp_path, capsys):
    radio = _on_air(monkeypatch, Radio("progressor", records=[]))
    spec = f"ble:{radio.device.name}"

    def ctrl_c(self, timeout_s=0.1):
        raise KeyboardInterrupt
    monkeypatch.setattr(BleSource, "read", ctrl_c)
    out = _old_capture(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["--live", spec, "--duration", "1", "--out", str(out), "--overwrite"])
    assert e.value.code == 2 and out.read_bytes() == OLD.read_bytes()
    assert capsys.readouterr().err == (f"gradecoach: {spec}: stopped before the first notification; nothing "
                                       f"recorded ({out} kept as it was)\n")


def test_a_device_that_sends_nothing_leaves_no_capture(monkeypatch, tmp_path, capsys):
    radio = _on_air(monkeypatch, Radio("progressor", records=[]))
    spec = f"ble:{radio.device.name}"
    out = _old_capture(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["--live", spec, "--duration", "0.5", "--out", str(out), "--overwrite"])
    assert e.value.code == 2 and out.read_bytes() == OLD.read_bytes()
    assert capsys.readouterr().err == (f"gradecoach: {spec}: no notification came in the 0.5 s recorded; nothing "
                                       f"recorded ({out} kept as it was)\n")
    new = tmp_path / "new.jsonl"                     # (and no file of a meta line alone is made)
    with pytest.raises(SystemExit):
        main(["--live", spec, "--duration", "0.5", "--out", str(new)])
    assert not new.exists()
    assert capsys.readouterr().err == (f"gradecoach: {spec}: no notification came in the 0.5 s recorded; nothing "
                                       f"recorded\n")


def test_a_recording_with_notifications_still_replaces_the_old_capture(monkeypatch, tmp_path, capsys):
    radio = _on_air(monkeypatch, Radio("progressor_grade4"))
    out = _old_capture(tmp_path)
    main(["--live", f"ble:{radio.device.name}", "--duration", "1.5", "--out", str(out), "--overwrite"])
    meta, records = read_stream(out)
    assert meta["profile"] == "progressor" and len(records) == len(radio.records)
    assert list(tmp_path.iterdir()) == [out]
