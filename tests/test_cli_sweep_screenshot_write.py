"""A screenshot -o that cannot be written (a folder that takes no file, one this user may not
write in) says so with the system's reason, naming -o; it said 'could not write the image (use a
.png name)' of a .png name, as if the name were at fault."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no /proc here")
def test_an_image_into_proc_names_the_reason():
    r = gc("screenshot", "--replay", LUMBAR, "--at", "3", "-o", "/proc/gradecoach-shot.png")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines()[-1] == ("gradecoach: error: -o /proc/gradecoach-shot.png: cannot write "
                                         "(No such file or directory)")


def test_a_jpg_name_still_writes_a_jpeg(tmp_path):
    out = tmp_path / "shot.jpg"
    r = gc("screenshot", "--replay", LUMBAR, "--at", "3", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"
