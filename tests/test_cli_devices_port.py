"""``devices --port PATH`` naming no port (a typo, an emulator's link after it stopped, a
folder) is one line and exit 2: it listed the port with pyserial's own words
("[Errno 2] could not open port …: [Errno 2] No such file or directory") and exited 0."""

from __future__ import annotations

from tests.conftest import gc


def test_a_missing_port(tmp_path):
    r = gc("devices", "--port", tmp_path / "sensor.pty")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {tmp_path / 'sensor.pty'}: no such port (a link "
                                     f"an emulator makes, or a device such as /dev/ttyACM0)"]


def test_a_folder_as_port(tmp_path):
    r = gc("devices", "--port", tmp_path)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {tmp_path}: a folder, not a serial port"]
