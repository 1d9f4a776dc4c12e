"""scripts/setup.sh on a checkout whose .venv another user made: its Python cannot be run, or the
environment cannot be deleted. It said '.venv is incomplete or too old' and ran rm -rf .venv,
printing thousands of 'Permission denied' lines and leaving a half-deleted environment."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests._as_nobody import as_nobody
from tests._setup_machine import OTHERS, T64, checkout, machine, setup

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="runs the script as another user (needs root)")


def test_a_python_that_may_not_be_run_is_said_in_one_line_and_nothing_is_deleted(tmp_path):
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS)
    repo = checkout(tmp_path / "repo")
    py = repo / ".venv" / "bin" / "python"
    py.unlink()
    shutil.copy(sys.executable, py)
    py.chmod(0o644)                 # no one may run it, root neither
    files = sorted(repo.rglob("*"))
    r = setup(repo, env)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [r.stdout.strip()] and r.stderr == ""
    assert r.stdout.startswith("cannot run .venv/bin/python (permission denied): the virtual environment .venv is ")
    assert "incomplete" not in r.stdout
    assert sorted(repo.rglob("*")) == files


@pytest.fixture
def shared():
    """A folder every user can read, as a clone in /srv or /opt is."""
    d = Path(tempfile.mkdtemp(prefix="gc-setup-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d)


@as_root
def test_another_users_venv_whose_python_lives_in_their_home(shared):
    """root's clone, its .venv made with a Python under root's home (pyenv), run by nobody."""
    env = machine(shared, T64 + OTHERS, T64 + OTHERS)
    repo = checkout(shared / "repo")
    home = shared / "roothome"
    home.mkdir(mode=0o700)
    (home / "python3").symlink_to(os.path.realpath(sys.executable))
    link = repo / ".venv" / "bin" / "python"
    link.unlink()
    link.symlink_to(home / "python3")
    files = sorted(repo.rglob("*"))
    r = as_nobody(repo, env)
    assert r.returncode == 1
    assert r.stderr == "" and len(r.stdout.splitlines()) == 1, r.stdout + r.stderr
    assert r.stdout.startswith("cannot run .venv/bin/python (permission denied): the virtual environment .venv "
                               "is root's, made with a Python you (nobody) may not run; run this as root")
    assert sorted(repo.rglob("*")) == files


@as_root
def test_an_incomplete_venv_of_another_user_is_not_deleted(shared):
    env = machine(shared, T64 + OTHERS, T64 + OTHERS)
    repo = checkout(shared / "repo")
    (repo / ".venv" / "bin" / "python").unlink()           # incomplete
    files = sorted(repo.rglob("*"))
    r = as_nobody(repo, env)
    assert r.returncode == 1
    assert r.stderr == "" and "Permission denied" not in r.stdout
    assert r.stdout.splitlines()[-1].startswith("cannot remake the virtual environment .venv: it is root's and "
                                                "you (nobody) cannot delete it; run this as root")
    assert sorted(repo.rglob("*")) == files
