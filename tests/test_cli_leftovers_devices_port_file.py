"""``devices --port FILE`` naming a regular file (a saved recording, a log) is one line and
exit 2, as a folder is and as ``record --device serial:FILE`` says it: it listed the file as a
port probed with pyserial's "Could not configure port: (25, 'Inappropriate ioctl for device')"
and exited 0."""

from __future__ import annotations

import os

from tests.conftest import gc


def test_a_file_as_port(tmp_path):
    f = tmp_path / "force.csv"
    f.write_text("t_s,force_n\n0.0,1.0\n", encoding="utf-8")
    r = gc("devices", "--port", f)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: --port {f}: a file, not a serial port"]
    assert f.read_text(encoding="utf-8") == "t_s,force_n\n0.0,1.0\n"


def test_a_pseudo_terminal_is_still_listed(tmp_path):
    """A port the system does not list (an emulator's pseudo-terminal) is a device, not a file."""
    main_fd, sub_fd = os.openpty()
    try:
        port = os.ttyname(sub_fd)
        r = gc("devices", "--port", port)
    finally:
        os.close(main_fd)
        os.close(sub_fd)
    assert r.returncode == 0, r.stderr
    assert f"  serial:{port}" in r.stdout.splitlines()
