"""What a user sees when a machine has no Bluetooth to use, or a ``ble:`` spec names no device.

Through the real command line. Either bleak itself runs against a system D-Bus that is not
there, or bleak's ``BleakScanner`` is replaced at its API boundary by one that raises what
bleak raises when nothing owns ``org.bluez`` on the bus (or counts that it was asked).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bleak.exc import BleakDBusError

from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
NO_DBUS = "no Bluetooth here (no system D-Bus: is BlueZ installed and running?)"
NO_BLUEZ = ("no Bluetooth here (BlueZ is not running on the system D-Bus: is it installed, "
            "and the bluetooth service started?)")


class NoBlueZScanner:
    """``BleakScanner`` on a bus where nothing owns org.bluez: what bleak 3 raises there."""

    calls = 0

    @classmethod
    def _raise(cls):
        cls.calls += 1
        raise BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown",
                             ["The name org.bluez was not provided by any .service files"])

    @classmethod
    async def find_device_by_filter(cls, filterfunc, timeout: float = 10.0):
        cls._raise()

    @classmethod
    async def discover(cls, timeout: float = 5.0, return_adv: bool = False):
        cls._raise()


@pytest.fixture
def no_bluez(monkeypatch):
    import bleak
    NoBlueZScanner.calls = 0
    monkeypatch.setattr(bleak, "BleakScanner", NoBlueZScanner)
    return NoBlueZScanner


def cli(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, **(env or {})))


def ble_line(stdout: str) -> str:
    (line,) = [s for s in stdout.splitlines() if s.startswith("BLE")]
    return line


# --- no system D-Bus at all: bleak itself, pointed at a bus socket that is not there ---------

def test_without_dbus_record_and_devices_say_so_in_one_plain_line_naming_the_device(tmp_path):
    env = {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}", "HOME": str(tmp_path)}
    r = cli("record", "--device", "ble:Progressor_1A2B", "--out", str(tmp_path / "anna"), env=env)
    assert r.returncode == 2
    assert r.stderr == f"gradecoach: error: ble:Progressor_1A2B: {NO_DBUS}\n"
    assert not (tmp_path / "anna").exists()

    r = cli("devices", "--ble", "--timeout", "0.5", env=env)
    assert r.returncode == 0, r.stderr
    assert ble_line(r.stdout) == f"BLE: {NO_DBUS}"
    assert r.stderr == ""


# --- a D-Bus without BlueZ: the same words for both commands ---------------------------------

def test_without_bluez_record_and_devices_say_the_same_plain_thing(no_bluez, tmp_path, capsys):
    assert main(["record", "--device", "ble:Progressor", "--out", str(tmp_path / "anna")]) == 2
    err = capsys.readouterr().err
    assert err == f"gradecoach: error: ble:Progressor: {NO_BLUEZ}\n"

    assert main(["devices", "--ble", "--timeout", "0.5"]) == 0
    out = capsys.readouterr()
    assert ble_line(out.out) == f"BLE: {NO_BLUEZ}"
    assert out.err == ""
    assert no_bluez.calls == 2


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
def test_without_bluez_on_a_real_private_bus_bleak_says_the_same(tmp_path):
    sock = tmp_path / "bus"
    conf = tmp_path / "bus.conf"
    conf.write_text(
        '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" '
        '"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">\n'
        f'<busconfig><type>system</type><listen>unix:path={sock}</listen><auth>EXTERNAL</auth>'
        '<policy context="default"><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/><allow user="*"/>'
        '</policy></busconfig>\n')
    log = tmp_path / "bus.log"
    with open(log, "wb") as fh:
        daemon = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork"],
                                  stdout=subprocess.DEVNULL, stderr=fh)
    try:
        deadline = time.monotonic() + 10.0
        while not sock.exists():
            assert daemon.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.02)
        env = {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={sock}", "HOME": str(tmp_path)}
        r = cli("record", "--device", "ble:Progressor", "--out", str(tmp_path / "anna"), env=env)
        assert (r.returncode, r.stderr) == (2, f"gradecoach: error: ble:Progressor: {NO_BLUEZ}\n")
        r = cli("devices", "--ble", "--timeout", "0.5", env=env)
        assert r.returncode == 0 and ble_line(r.stdout) == f"BLE: {NO_BLUEZ}", r.stderr
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(10)


def test_without_an_adapter_both_commands_give_bleaks_sentence(monkeypatch, tmp_path, capsys):
    import bleak
    from bleak.exc import BleakBluetoothNotAvailableError, BleakBluetoothNotAvailableReason

    class NoAdapterScanner:       # BlueZ running, no adapter: what bleak 3 raises there
        @staticmethod
        async def find_device_by_filter(filterfunc=None, timeout: float = 10.0):
            raise BleakBluetoothNotAvailableError("No Bluetooth adapters found.",
                                                  BleakBluetoothNotAvailableReason.NO_BLUETOOTH)

        @staticmethod
        async def discover(timeout: float = 5.0, return_adv: bool = False):
            await NoAdapterScanner.find_device_by_filter()

    monkeypatch.setattr(bleak, "BleakScanner", NoAdapterScanner)
    assert main(["record", "--device", "ble:Progressor", "--out", str(tmp_path / "anna")]) == 2
    assert capsys.readouterr().err == ("gradecoach: error: ble:Progressor: no Bluetooth here "
                                       "(No Bluetooth adapters found)\n")
    assert main(["devices", "--ble", "--timeout", "0.5"]) == 0
    assert ble_line(capsys.readouterr().out) == "BLE: no Bluetooth here (No Bluetooth adapters found)"
