"""A report asked for where it cannot be written (a read-only folder or share) is refused in one
line before any recording is read: a class was read and drawn first, its progress lines and
warnings printed, and only then refused."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import class_folder, gc
from tests.ui.review.conftest import mount_read_only


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder no file can be made in: a read-only bind mount (root, whom permissions do not
    stop), or a folder without write permission."""
    folder = tmp_path / "shared"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mount_read_only(folder, folder)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_class_report_into_read_only_folder_is_one_line_before_reading(tmp_path, read_only_folder):
    group = class_folder(tmp_path / "class", "ana", "ben", "cleo")
    out = read_only_folder / "report.html"
    r = gc("report", "--class", group, "-o", out)
    assert r.returncode == 2
    lines = r.stderr.splitlines()
    assert lines == [f"gradecoach: error: -o {out}: cannot write "
                     f"({'Read-only file system' if os.geteuid() == 0 else 'Permission denied'})"], r.stderr
    assert not list(read_only_folder.iterdir())        # (nothing left behind by the check)


def test_csv_into_read_only_folder_is_refused_before_the_report_is_written(tmp_path, read_only_folder):
    group = class_folder(tmp_path / "class", "ana", "ben")
    out = tmp_path / "out" / "report.html"
    r = gc("report", "--class", group, "-o", out, "--csv", read_only_folder / "events.csv")
    assert r.returncode == 2
    assert len(r.stderr.splitlines()) == 1 and "--csv" in r.stderr and "cannot write" in r.stderr
    assert not out.exists()


def test_report_beside_the_class_is_still_written(tmp_path):
    group = class_folder(tmp_path / "class", "ana")
    r = gc("report", "--class", group, "-o", group / "report.html")
    assert r.returncode == 0, r.stderr
    assert (group / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in group.iterdir() if p.name.startswith(".")] == []
