"""``python -m firmware_bridge.ble_record``: with nothing to do it says so with its usage, exit 2
(it printed nothing, exit 0); --help gives --duration's default; --overwrite replaces a capture
only, never a force CSV or other file (it replaced any file); a live capture is written as the
notifications come (it was written at the end, so a recording killed lost all of it)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from firmware_bridge.ble_record import main, read_stream
from tests.conftest import ROOT
from tests.firmware_bridge._fake_radio import FakeClient, FakeScanner, Radio


def _run(*args):
    return subprocess.run([sys.executable, "-m", "firmware_bridge.ble_record", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_no_arguments_is_a_usage_error():
    r = _run()
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("usage: python -m firmware_bridge.ble_record")
    assert r.stderr.splitlines()[-1] == ("python -m firmware_bridge.ble_record: error: nothing to do: give --live "
                                         "ble:DEVICE --out FILE to record a device, or --fixtures FOLDER")


def test_help_gives_the_default_duration():
    r = _run("--help")
    assert r.returncode == 0
    assert "(default: 10)" in " ".join(r.stdout.split())


def test_overwrite_keeps_a_force_csv(tmp_path):
    out = tmp_path / "force.csv"
    data = (ROOT / "fixtures" / "lumbar_grade3.csv").read_bytes()
    out.write_bytes(data)
    r = _run("--live", "ble:nothing-there", "--out", out, "--overwrite")
    assert r.returncode == 2 and out.read_bytes() == data
    assert r.stderr == (f"gradecoach: error: {out}: not a BLE capture ('t_s,force_n'); --overwrite replaces a "
                        f"capture only: choose another file, this one is kept as it is\n")


@pytest.fixture
def on_air(monkeypatch):
    import bleak
    radio = Radio("progressor_grade4")
    monkeypatch.setattr(bleak, "BleakScanner", FakeScanner(radio))
    monkeypatch.setattr(bleak, "BleakClient", lambda device, disconnected_callback, timeout:
                        FakeClient(radio, device, disconnected_callback, timeout))
    return radio


def test_overwrite_replaces_a_capture(on_air, tmp_path, capsys):
    out = tmp_path / "p.jsonl"
    out.write_text('{"meta": {"profile": "nus"}}\n')
    main(["--live", f"ble:{on_air.device.name}", "--duration", "1", "--out", str(out), "--overwrite"])
    meta, records = read_stream(out)
    assert meta["profile"] == "progressor" and len(records) == len(on_air.records)


def test_the_capture_is_on_disk_while_recording(on_air, tmp_path, capsys):
    out = tmp_path / "p.jsonl"
    t = threading.Thread(target=main, args=(["--live", f"ble:{on_air.device.name}", "--duration", "4",
                                             "--out", str(out)],))
    t.start()
    try:
        assert on_air.done.wait(10)
        time.sleep(1.0)                             # (a read or more after the last notification)
        assert t.is_alive()                         # still recording
        meta, records = read_stream(out)            # what a killed recording would leave
        assert meta["profile"] == "progressor" and len(records) == len(on_air.records)
    finally:
        t.join(30)
    assert capsys.readouterr().out == f"{out}: {len(on_air.records)} notifications\n"


def test_overwrite_keeps_a_sessions_events(tmp_path):
    (tmp_path / "session.json").write_text('{"complete": true}\n')
    out = tmp_path / "events.jsonl"
    out.write_text('{"type": "summary"}\n')
    r = _run("--live", "ble:nothing-there", "--out", out, "--overwrite")
    assert r.returncode == 2 and out.read_text() == '{"type": "summary"}\n'
    assert r.stderr == (f"gradecoach: error: {out}: a recorded session's file; --overwrite replaces a capture only: "
                        f"choose another file, this one is kept as it is\n")
