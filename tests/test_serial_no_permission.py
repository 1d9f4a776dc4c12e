"""A serial port the user may not open: `record --device serial:/dev/ttyACM0` said "cannot open
([Errno 13] could not open port …: [Errno 13] Permission denied: '…')", pyserial's words with the
errno twice and no hint, and `devices --port … --probe` the same. Now one line says there is no
permission and what to do: join the port's group (dialout on Debian/Ubuntu), or ask its owner.

Run as another user (nobody) on a real pseudo-terminal, so the refusal is the kernel's."""

from __future__ import annotations

import grp
import os
import shutil
import site
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

NOBODY = 65534
SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin")     # (one nobody may run)
pytestmark = pytest.mark.skipif(os.geteuid() != 0 or SYSTEM_PYTHON is None,
                                reason="opens a port as another user (needs root and a system python3)")


def as_nobody(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *site.getsitepackages()]),
           "HOME": str(cwd), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                           SYSTEM_PYTHON, "-m", "ui.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def port():
    """A pseudo-terminal's port and a folder nobody may write in: (folder, port path)."""
    master, slave = os.openpty()
    folder = Path(tempfile.mkdtemp(prefix="gc-port-"))
    folder.chmod(0o777)
    path = os.ttyname(slave)
    yield folder, path
    os.close(slave)
    os.close(master)
    shutil.rmtree(folder)


def test_a_port_of_the_dialout_group_says_how_to_join_it(port):
    folder, path = port
    dialout = grp.getgrnam("dialout").gr_gid if "dialout" in {g.gr_name for g in grp.getgrall()} else None
    if dialout is None:
        pytest.skip("no dialout group")
    os.chown(path, 0, dialout)
    os.chmod(path, 0o660)
    r = as_nobody("record", "--device", f"serial:{path}", "--duration", "1", "--out", str(folder / "s"),
                  cwd=folder)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{path}: no permission to open the port (its group "
                                     f"is dialout): add yourself with `sudo usermod -aG dialout $USER`, then log "
                                     f"in again"]


def test_a_port_no_one_may_open_says_whose_it_is_and_the_probe_says_it_too(port):
    folder, path = port
    link = folder / "sensor.pty"
    link.symlink_to(path)
    os.chmod(path, 0o000)
    group = grp.getgrgid(os.stat(path).st_gid).gr_name
    said = (f"no permission to open the port (it is root's, group {group}, mode ---------): ask its owner or root "
            f"to let you read and write it")
    r = as_nobody("record", "--device", "serial:./sensor.pty", "--duration", "1", "--out", "s", cwd=folder)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:./sensor.pty: {said}"]
    assert "Errno" not in r.stderr
    r = as_nobody("devices", "--port", "./sensor.pty", "--probe", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert f"  serial:./sensor.pty\n      probe: {said}\n" in r.stdout
