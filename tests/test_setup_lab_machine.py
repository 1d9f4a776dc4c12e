"""scripts/setup.sh on a school's lab machine: a checkout root set up, run by pupils who are not
root. After an update that changed pyproject.toml, setup.sh ran pip on root's .venv and printed
pip's error block ('Cannot update time stamp of directory ...'), exit 1, so no one could start
gradecoach until root ran ./run; a system library missing (the Qt X11 ones) stopped everything,
--version and replay too, though they do not need it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests._setup_machine import OTHERS, T64, apt_calls, checkout, machine, setup
from tests._as_nobody import as_nobody

as_root = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("python3", path="/usr/bin:/bin"),
                             reason="runs the script as another user (needs root and a system python3)")


SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin")


def roots_checkout(where: Path) -> Path:
    """A checkout with a .venv root made with the system's Python (one every user may run)."""
    repo = checkout(where, venv=False)
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(repo / ".venv")], check=True, timeout=60)
    (repo / ".venv" / "bin" / "pip").write_text(f"#!{repo}/.venv/bin/python\n")
    (repo / ".venv" / ".gradecoach-installed").write_text(f"{repo}\n")
    return repo


@pytest.fixture
def shared():
    """A folder every user can read, as a clone in /srv or /opt is."""
    d = Path(tempfile.mkdtemp(prefix="gc-lab-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d)


@as_root
def test_packages_to_update_in_roots_venv_are_one_line_and_gradecoach_still_starts(shared):
    env = machine(shared, T64 + OTHERS, T64 + OTHERS)
    repo = roots_checkout(shared / "repo")
    (repo / "gradecoach.egg-info").mkdir()
    stamp = repo / ".venv" / ".gradecoach-installed"
    os.utime(stamp, (1_000_000_000, 1_000_000_000))       # pyproject.toml changed since
    files = sorted(repo.rglob("*"))
    r = as_nobody(repo, env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr == "" and r.stdout.splitlines() == [
        "the Python packages in .venv need updating (pyproject.toml changed), but .venv is root's and you (nobody) "
        "cannot change it; run ./run once as root, or clone gradecoach into a folder of your own; carrying on with "
        "the packages installed"]
    assert sorted(repo.rglob("*")) == files and stamp.stat().st_mtime == 1_000_000_000


@as_root
def test_a_venv_of_roots_without_the_packages_stops(shared):
    env = machine(shared, T64 + OTHERS, T64 + OTHERS)
    repo = roots_checkout(shared / "repo")
    (repo / ".venv" / ".gradecoach-installed").unlink()
    r = as_nobody(repo, env)
    assert r.returncode == 1 and r.stderr == ""
    assert r.stdout.startswith("the Python packages are not installed in .venv, and it is root's: you (nobody) "
                               "cannot install them; run ./run once as root")


def test_not_root_without_the_qt_x11_libraries_is_told_the_command_and_carries_on(tmp_path):
    env = machine(tmp_path, [p for p in T64 + OTHERS if not p.startswith("libxcb")], T64 + OTHERS, uid=1000)
    r = setup(checkout(tmp_path / "repo"), env)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[:2] == ["gradecoach needs these system packages; please run:",
                         "  sudo apt-get update && sudo apt-get install -y libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
                         "libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0"]
    assert lines[2].startswith("carrying on without them")
    assert apt_calls(tmp_path) == []


def test_not_root_without_python3_venv_and_no_environment_yet_stops(tmp_path):
    env = machine(tmp_path, [p for p in T64 + OTHERS if p != "python3-venv"], T64 + OTHERS, uid=1000)
    repo = checkout(tmp_path / "repo", venv=False)
    r = setup(repo, env)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == "the virtual environment .venv cannot be made without python3-venv"
    assert not (repo / ".venv").exists()
