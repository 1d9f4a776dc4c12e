"""A system library Qt needs that is broken or missing (here GLib: an empty libglib-2.0.so.0 found
first on LD_LIBRARY_PATH): the commands that draw say so in one line, naming the library and the
package to install. screenshot and the trainer ended in 'ImportError: …libglib-2.0.so.0: file too
short' tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "lumbar_grade3.csv"


def broken_glib(tmp_path: Path, apt_knows: list[str]) -> dict:
    libs = tmp_path / "libs"
    libs.mkdir()
    (libs / "libglib-2.0.so.0").write_bytes(b"")
    bin_ = tmp_path / "bin"            # an apt-cache that has versions of ``apt_knows``
    bin_.mkdir()
    (bin_ / "apt-cache").write_text(
        "#!/bin/bash\n"
        f'if [[ " {" ".join(apt_knows)} " == *" $2 "* ]]; then echo "  Candidate: 1.0-1"; '
        'else echo "  Candidate: (none)"; fi\n')
    (bin_ / "apt-cache").chmod(0o755)
    return {**os.environ, "LD_LIBRARY_PATH": str(libs), "QT_QPA_PLATFORM": "offscreen",
            "PATH": f"{bin_}:{os.environ['PATH']}"}


def gradecoach(env: dict, cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *map(str, args)], cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", [["screenshot", "--replay", FIXTURE, "--at", 5, "-o", "shot.png"], ["trainer"],
                                     ["review", "."], ["report", FIXTURE, "-o", "shot.png"]],
                         ids=["screenshot", "trainer", "review", "report"])
def test_a_broken_glib_is_one_line_naming_it_and_its_package(tmp_path, command):
    env = broken_glib(tmp_path, ["libglib2.0-0t64", "libglib2.0-0"])      # (Debian 13: the t64 name)
    r = gradecoach(env, tmp_path, *command)
    assert r.returncode == 2
    assert r.stderr == ("gradecoach: error: Qt cannot be loaded (libglib-2.0.so.0: file too short); install the "
                        "system packages ./run installs (sudo apt-get install libglib2.0-0t64)\n")
    assert "Traceback" not in r.stderr and not (tmp_path / "shot.png").exists()


def test_on_an_older_release_the_older_name(tmp_path):
    env = broken_glib(tmp_path, ["libglib2.0-0"])
    r = gradecoach(env, tmp_path, "screenshot", "--replay", FIXTURE, "--at", 5, "-o", "shot.png")
    assert r.returncode == 2 and r.stderr.endswith("(sudo apt-get install libglib2.0-0)\n"), r.stderr
