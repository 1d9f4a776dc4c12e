"""What `devices` and `--device` make of how a school's IT person names a port: `devices --port
/dev/ttyS0` listed ttyS0 twice (the system's line and the named one); `--device /dev/ttyACM0`
(the port without its serial: kind) was 'unknown device spec' with a list of kinds, no word of the
serial: it lacked; `devices --timeout 1` without --ble was taken and ignored."""

from __future__ import annotations

from serial.tools.list_ports_common import ListPortInfo

from tests.conftest import ROOT, gc
from ui.cmd_devices import serial_lines


def test_a_named_port_the_system_lists_is_one_line_and_probed(tmp_path):
    link = tmp_path / "sensor"
    link.symlink_to("/dev/ttyS7")
    s7 = ListPortInfo("/dev/ttyS7", skip_link_detection=True)
    s5 = ListPortInfo("/dev/ttyS5", skip_link_detection=True)
    for named in ("/dev/ttyS7", str(link)):
        lines = serial_lines(False, [named], comports=lambda: [s5, s7], prober=lambda p: f"probed {p}")
        assert lines == ["serial ports:", "  serial:/dev/ttyS5  (no description; not a USB device)",
                         "  serial:/dev/ttyS7  (no description; not a USB device)\n      probe: probed /dev/ttyS7"]


def test_a_port_given_as_device_without_serial_is_asked_about(tmp_path):
    for spec in ("/dev/ttyACM0", "COM3"):
        r = gc("record", "--device", spec, "--duration", "1", "--out", tmp_path / "s")
        assert (r.returncode, r.stdout) == (2, "")
        assert r.stderr == f"gradecoach: error: unknown device spec '{spec}'; did you mean serial:{spec}?\n"
    csv = ROOT / "fixtures" / "lumbar_grade3.csv"
    r = gc("record", "--device", csv, "--duration", "1", "--out", tmp_path / "s")
    assert r.stderr == f"gradecoach: error: unknown device spec '{csv}'; did you mean file:{csv}?\n"
    assert not (tmp_path / "s").exists()


def test_a_timeout_without_ble_is_refused():
    r = gc("devices", "--timeout", "1")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("gradecoach: error: --timeout 1: it is how long --ble scans for BLE sensors; give --ble too "
                        "(serial ports and audio inputs are listed at once)\n")
