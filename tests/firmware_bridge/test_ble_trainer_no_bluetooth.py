"""The trainer window on ``--device ble:NAME`` where there is no Bluetooth: its banner says so
in the same line ``record`` prints, naming the device.

The window is built as ``gradecoach trainer`` builds it (offscreen Qt); bleak's
``BleakScanner`` is replaced at its API boundary by one that raises what bleak raises.
"""

from __future__ import annotations

import os

import pytest
from bleak.exc import BleakDBusError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NO_DBUS = "no Bluetooth here (no system D-Bus: is BlueZ installed and running?)"
NO_BLUEZ = ("no Bluetooth here (BlueZ is not running on the system D-Bus: is it installed, "
            "and the bluetooth service started?)")


class Unreachable:
    """``BleakScanner`` whose scan raises ``error`` (set per test)."""

    error: BaseException = OSError()

    @classmethod
    async def find_device_by_filter(cls, filterfunc, timeout: float = 10.0):
        raise cls.error


@pytest.mark.parametrize("error, expected", [
    (FileNotFoundError(2, "No such file or directory"), NO_DBUS),     # what dbus-fast raises with no bus socket
    (BleakDBusError("org.freedesktop.DBus.Error.ServiceUnknown",
                    ["The name org.bluez was not provided by any .service files"]), NO_BLUEZ),
], ids=["no-dbus", "no-bluez"])
def test_trainer_banner_names_the_device_and_says_why(error, expected, qtbot, tmp_path, monkeypatch):
    import bleak

    from ui import cmd_trainer
    from ui.cli import build_parser

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    Unreachable.error = error
    monkeypatch.setattr(bleak, "BleakScanner", Unreachable)
    args = build_parser("trainer").parse_args(["trainer", "--device", "ble:Progressor_1A2B",
                                               "--sessions", str(tmp_path / "rec")])
    win = cmd_trainer.build(args)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.engine.error is not None, timeout=30_000)
        win.refresh()
        assert win.banner.isVisible()
        assert win.banner.text() == f"ble:Progressor_1A2B: {expected}"
    finally:
        win.worker.stop()
        win.close()
