"""scripts/setup.sh with PYTHON= naming a Python that is too old or cannot be run: one line. A
pyenv shim of a version not active printed its six-line note inside '(found …)'."""

from __future__ import annotations

import os

from tests._setup_machine import OTHERS, T64, apt_calls, checkout, machine, setup

PYENV_SHIM = """echo "pyenv: python3.9: command not found" >&2
echo >&2
echo "The \\`python3.9' command exists in these Python versions:" >&2
echo "  3.9.18" >&2
echo >&2
echo "Note: See 'pyenv help global' for tips on allowing multiple" >&2
echo "      Python versions to be found at the same time." >&2
exit 127"""


def stand_in(env: dict, name: str, body: str) -> None:
    bin_ = env["PATH"].split(":")[0]
    with open(f"{bin_}/{name}", "w") as f:
        f.write("#!/bin/bash\n" + body + "\n")
    os.chmod(f"{bin_}/{name}", 0o755)


def test_a_pyenv_shim_of_a_version_not_active_is_one_line(tmp_path):
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS)
    stand_in(env, "python3.9", PYENV_SHIM)
    r = setup(checkout(tmp_path / "repo", venv=False), env, PYTHON="python3.9")
    assert r.returncode == 1
    assert r.stdout == ("gradecoach needs Python 3.11 or newer: python3.9 cannot be run "
                        "(pyenv: python3.9: command not found); set PYTHON=/path/to/python3.11\n")
    assert apt_calls(tmp_path) == []


def test_an_old_python_says_its_version(tmp_path):
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS)
    stand_in(env, "python2", '[[ $1 == --version ]] && { echo "Python 2.7.18" >&2; exit 0; }; exit 1')   # (on stderr)
    r = setup(checkout(tmp_path / "repo", venv=False), env, PYTHON="python2")
    assert r.returncode == 1
    assert r.stdout == "gradecoach needs Python 3.11 or newer (found Python 2.7.18); set PYTHON=/path/to/python3.11\n"


def test_a_python_that_is_not_there(tmp_path):
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS)
    r = setup(checkout(tmp_path / "repo", venv=False), env, PYTHON="python3.99")
    assert r.returncode == 1
    assert r.stdout == "gradecoach needs Python 3.11 or newer: there is no python3.99; set PYTHON=/path/to/python3.11\n"
