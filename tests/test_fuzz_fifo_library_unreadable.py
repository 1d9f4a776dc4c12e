"""A folder under a library's root that cannot be read (mode 000) is named, with why, where its
sessions are left out: 'library rebuild' counted it "1 unreadable", or passed it over without a
word, and named nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.review.conftest import make_session

ROOT = Path(__file__).resolve().parents[1]
# root reads any folder: the program is run without that power, where the system lets one drop it
DROP = (["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search",
         "--"] if os.geteuid() == 0 and shutil.which("setpriv") else [])
pytestmark = pytest.mark.skipif(os.geteuid() == 0 and not DROP, reason="root reads a folder of mode 000")


def gc(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*DROP, sys.executable, "-m", "ui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.fixture
def closed(tmp_path):
    root = tmp_path / "class"
    make_session(root / "anna", trainee="anna", cycles=3)
    shut = make_session(root / "ben", trainee="ben", cycles=3)
    shut.chmod(0)
    yield root, shut
    shut.chmod(0o755)


def test_a_folder_that_cannot_be_read_is_named(closed, tmp_path):
    root, shut = closed
    said = (f"gradecoach: warning: {shut}: a folder that cannot be read (Permission denied); any session in it "
            f"is left out")
    r = gc("library", "rebuild", root, "--db", tmp_path / "lib.sqlite")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [said]
    assert r.stdout.strip() == (f"indexed 1 session under {root} (1 added, 0 updated, 0 moved, 0 dropped, "
                                f"0 unchanged, 1 unreadable)")
    r = gc("library", "list", root, "--db", tmp_path / "lib.sqlite")
    assert r.returncode == 0 and r.stderr.splitlines() == [said]
