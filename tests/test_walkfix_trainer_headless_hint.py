"""Without a display, the trainer named with a sensor says how to read it without a window; that
line is a command that runs. It said ``gradecoach record --device SPEC``, which ``record`` refuses
("the following arguments are required: --out"), also for a spec ``record`` refuses anyway
(``bogus:x``, ``ble:`` alone) and for ``serial:`` naming a folder or a file, which the trainer's
own docs say it calls not a serial port. The spec is checked first, as ``record`` checks it."""

from __future__ import annotations

import json
import shlex

import pytest

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT


@pytest.fixture
def headless(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("spec,line", [
    ("bogus:x", "unknown device spec 'bogus:x'; use emulator:..., file:..., serial:..., ble:..."),
    ("ble:", "ble: give a device's advertised name or address"),
    ("serial:fixtures", "serial:fixtures: a folder, not a serial port"),
    ("serial:fixtures/demo_mixed.csv", "serial:fixtures/demo_mixed.csv: a file, not a serial port"),
    ("serial:/dev/ttyUSB0@abc", "serial:/dev/ttyUSB0@abc: baud rate 'abc' is not a number"),
])
def test_a_spec_record_refuses_is_said_as_record_says_it(headless, capsys, spec, line):
    r = gc_in_process(capsys, "trainer", "--device", spec)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"gradecoach: error: {line}"), r.stderr
    assert len(r.stderr.splitlines()) == 1 and "without a window" not in r.stderr


def test_the_command_given_records_the_sensor(headless, capsys, tmp_path):
    from firmware_bridge.emulator import PtyEmulator

    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000.0)
    em.start()
    try:
        r = gc_in_process(capsys, "trainer", "--device", f"serial:{em.link}", "--sessions", tmp_path / "my sessions")
        assert r.returncode == 2 and r.stdout == ""
        said = r.stderr.strip().split("to read it without a window: ", 1)[1]
        argv = shlex.split(said)
        assert argv[:2] == ["gradecoach", "record"] and "--out" in argv, said
        out = argv[argv.index("--out") + 1]
        assert out.startswith(str(tmp_path / "my sessions") + "/")      # (under --sessions)
        rec = gc_in_process(capsys, *argv[1:], "--duration", "1", "--quiet")
    finally:
        em.stop()
    assert rec.returncode == 0, rec.stderr
    assert json.loads((tmp_path / "my sessions" / out.rsplit("/", 1)[1] / "session.json").read_text())


def test_a_recording_is_still_replayed(headless, capsys):
    f = ROOT / "fixtures" / "lumbar_grade3_p.csv"
    r = gc_in_process(capsys, "trainer", "--device", f"file:{f}")
    assert r.returncode == 2 and r.stderr.rstrip().endswith(f"to read it without a window: gradecoach replay {f}")


NO_DBUS = "no Bluetooth here (no system D-Bus: is BlueZ installed and running?)"
NO_BLUEZ = ("no Bluetooth here (BlueZ is not running on the system D-Bus: is it installed, "
            "and the bluetooth service started?)")


class _BlueZ:
    """bleak's BlueZ manager, where the scan ``record`` makes begins: reached (an adapter), or
    raising what bleak raises with no D-Bus or no BlueZ on it."""

    error: BaseException | None = None

    def get_default_adapter(self) -> str:
        return "/org/bluez/hci0"


async def _bluez_manager():
    if _BlueZ.error is not None:
        raise _BlueZ.error
    return _BlueZ()


@pytest.mark.parametrize("error, line", [
    (FileNotFoundError(2, "No such file or directory"), NO_DBUS),      # no system bus socket
    ("bluez", NO_BLUEZ),
], ids=["no-dbus", "no-bluez"])
def test_a_ble_sensor_where_there_is_no_bluetooth_is_said_as_record_says_it(headless, capsys, monkeypatch,
                                                                             error, line):
    """``ble:NAME`` with no Bluetooth gave ``record --device ble:NAME …`` to run instead, which
    then said there is no Bluetooth here: that line is said at once, without the command."""
    from bleak.backends.bluezdbus import manager
    from bleak.exc import BleakDBusError

    _BlueZ.error = error if error != "bluez" else BleakDBusError(
        "org.freedesktop.DBus.Error.ServiceUnknown", ["The name org.bluez was not provided by any .service files"])
    monkeypatch.setattr(manager, "get_global_bluez_manager", _bluez_manager)
    r = gc_in_process(capsys, "trainer", "--device", "ble:Progressor_1A2B", "--target", "V", "--trainee", "Anna")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [f"gradecoach: error: ble:Progressor_1A2B: {line}"]


def test_a_ble_sensor_where_there_is_bluetooth_gets_the_command(headless, capsys, monkeypatch):
    from bleak.backends.bluezdbus import manager

    _BlueZ.error = None
    monkeypatch.setattr(manager, "get_global_bluez_manager", _bluez_manager)
    r = gc_in_process(capsys, "trainer", "--device", "ble:Progressor_1A2B", "--trainee", "Anna")
    assert r.returncode == 2 and r.stdout == ""
    said = r.stderr.strip().split("to read it without a window: ", 1)[1]
    assert shlex.split(said)[:4] == ["gradecoach", "record", "--device", "ble:Progressor_1A2B"]
