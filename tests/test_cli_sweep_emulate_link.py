"""emulate --link in a folder that takes no link (read-only, /proc) is one line naming --link and
exit 2: it was a FileNotFoundError traceback naming the terminal (/dev/pts/N), or an error line
naming the terminal rather than the link."""

from __future__ import annotations

import os

import pytest

from tests.conftest import gc


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no /proc here")
def test_a_link_in_proc_is_refused_in_one_line():
    r = gc("emulate", "--link", "/proc/gradecoach-sensor.pty")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["gradecoach: error: --link /proc/gradecoach-sensor.pty: cannot make the link "
                                     "there (No such file or directory)"]
    assert r.stdout == ""


def test_a_speed_near_the_largest_float_is_refused_in_one_line(tmp_path):
    r = gc("emulate", "--link", tmp_path / "sensor.pty", "--speed", "1e308")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["gradecoach: error: --speed 1e+308: give a positive number up to 1000 "
                                     "(1: real time)"]
    assert not (tmp_path / "sensor.pty").exists()
