"""``gradecoach devices``: ports marked and probed, audio inputs, BLE without a radio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from serial.tools.list_ports_common import ListPortInfo

from firmware_bridge.emulator import PtyEmulator
from ui.cmd_devices import serial_lines

ROOT = Path(__file__).resolve().parents[2]


def test_devices_probes_an_emulated_sensor_and_says_what_is_missing(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade2", 800, speed=1)
    em.start()
    try:
        r = subprocess.run([sys.executable, "-m", "ui.cli", "devices", "--port", str(tmp_path / "s.pty"),
                            "--ble", "--timeout", "0.5"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, HOME=str(tmp_path)))
    finally:
        em.stop()
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "gradecoach emulator firmware emu-1.0, 800 Hz" in out
    assert "no audio inputs" in out                      # this machine has no sound card
    assert any(line.startswith("BLE: ") for line in out.splitlines())   # one line, no traceback
    assert "Traceback" not in r.stderr


def test_likely_sensors_are_marked_by_usb_id_and_probed(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade2", 100, line=True)
    em.start()
    esp = ListPortInfo(str(tmp_path / "s.pty"), skip_link_detection=True)
    esp.vid, esp.pid, esp.description = 0x303A, 0x1001, "USB JTAG/serial debug unit"
    other = ListPortInfo("/dev/ttyS7", skip_link_detection=True)
    other.description = "ttyS7"
    probed = []

    def prober(path):
        from firmware_bridge.serial_source import probe
        probed.append(path)
        return probe(path)

    try:
        lines = serial_lines(True, [], comports=lambda: [esp, other], prober=prober)
    finally:
        em.stop()
    text = "\n".join(lines)
    assert "likely sensor (Espressif)" in text and "[303a:1001]" in text
    assert "probe: line protocol" in text
    assert probed == [str(tmp_path / "s.pty")]           # only the likely one is opened
    assert "serial:/dev/ttyS7  ttyS7" in text and text.count("<- likely sensor") == 1
