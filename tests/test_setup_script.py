"""scripts/setup.sh, ./run and ./test as a newcomer or a school's IT person runs them.

apt, dpkg and id are stand-ins on PATH that play a Debian 12 or a Debian 13 / Ubuntu 24.04
machine (there the ALSA and GLib libraries are called libasound2t64 and libglib2.0-0t64) and
log what would be installed; the script itself, Python's venv and pip are real.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._setup_machine import OTHERS, ROOT, T64, apt_calls, checkout, machine, setup

OLD = ["libasound2", "libglib2.0-0"]


def test_a_t64_machine_with_everything_installed_installs_nothing(tmp_path):
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS)
    r = setup(checkout(tmp_path / "repo"), env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert apt_calls(tmp_path) == [] and r.stdout == ""


def test_not_root_on_a_t64_machine_is_told_the_names_apt_knows(tmp_path):
    env = machine(tmp_path, OTHERS, T64 + OTHERS, uid=1000)
    r = setup(checkout(tmp_path / "repo"), env)
    assert r.returncode == 0        # (and carries on: replay, record and --version need neither)
    assert "  sudo apt-get update && sudo apt-get install -y libasound2t64 libglib2.0-0t64\n" in r.stdout
    assert apt_calls(tmp_path) == []


@pytest.mark.parametrize("names", [OLD, T64], ids=["debian12", "debian13"])
def test_root_installs_the_names_this_release_has(tmp_path, names):
    env = machine(tmp_path, OTHERS, names + OTHERS)
    r = setup(checkout(tmp_path / "repo"), env)
    assert r.returncode == 0, r.stdout + r.stderr
    calls = apt_calls(tmp_path)
    assert calls[0] == "apt-get update -qq"
    assert calls[1].endswith(" ".join(names))
    assert f"installing system packages: {' '.join(names)}" in r.stdout


def test_the_tests_ask_for_a_compiler_and_postgresql_and_the_trainer_does_not(tmp_path):
    env = machine(tmp_path, T64 + OTHERS[:-3], T64 + OTHERS, uid=1000)
    repo = checkout(tmp_path / "repo")
    assert setup(repo, env).returncode == 0
    r = setup(repo, env, GRADECOACH_FOR_TESTS="1")
    assert r.returncode == 1 and "sudo apt-get install -y gcc libc6-dev postgresql\n" in r.stdout


OLD_PYTHON = '[[ $1 == --version ]] && echo "Python 3.10.12" || exit 1'    # a python3 that is 3.10


def test_a_python3_of_3_10_does_not_matter_once_the_environment_is_made(tmp_path):
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS, python3=OLD_PYTHON)
    r = setup(checkout(tmp_path / "repo"), env)
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr


def test_a_python3_of_3_10_is_said_before_anything_is_installed(tmp_path):
    env = machine(tmp_path, OTHERS, T64 + OTHERS, python3=OLD_PYTHON)
    r = setup(checkout(tmp_path / "repo", venv=False), env)
    assert r.returncode == 1
    assert "gradecoach needs Python 3.11 or newer (found Python 3.10.12)" in r.stdout
    assert apt_calls(tmp_path) == []


# the project, as small as can be: gradecoach = probe:main, built by a backend of its own (no
# setuptools fetched into a build environment for each install) and installed editable by pip as
# the real one is: probe.py's folder on the environment's path
TINY = """[build-system]
requires = []
build-backend = "probe_build"
backend-path = ["."]
[project]
name = "gradecoach"
version = "0.1.0"
"""
BACKEND = '''import base64, hashlib, os, zipfile

DIST = "gradecoach-0.1.0"
INFO = {"METADATA": "Metadata-Version: 2.1\\nName: gradecoach\\nVersion: 0.1.0\\nProvides-Extra: dev\\n",
        "WHEEL": "Wheel-Version: 1.0\\nGenerator: probe_build\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
        "entry_points.txt": "[console_scripts]\\ngradecoach = probe:main\\n"}


def _wheel(folder, files):
    files = {**{f"{DIST}.dist-info/{k}": v for k, v in INFO.items()}, **files}
    record = [f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b'=').decode()},"
              f"{len(t.encode())}" for p, t in files.items()] + [f"{DIST}.dist-info/RECORD,,"]
    name = f"{DIST}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(folder, name), "w") as z:
        for p, t in files.items():
            z.writestr(p, t)
        z.writestr(f"{DIST}.dist-info/RECORD", "\\n".join(record) + "\\n")
    return name


def build_wheel(folder, config_settings=None, metadata_directory=None):
    return _wheel(folder, {"probe.py": open("probe.py").read()})


def build_editable(folder, config_settings=None, metadata_directory=None):
    return _wheel(folder, {"gradecoach.pth": os.getcwd() + "\\n"})
'''


def test_a_moved_or_copied_checkout_makes_its_own_environment(tmp_path):
    """A checkout whose gradecoach says where its code is: made, copied with cp -a, moved."""
    env = machine(tmp_path, T64 + OTHERS, T64 + OTHERS)
    env["PYTHON"] = sys.executable
    env["PIP_NO_INDEX"] = "1"           # (pip as on a machine offline: the pip venv brings is kept)
    a = tmp_path / "a"
    a.mkdir()
    shutil.copy2(ROOT / "run", a / "run")
    checkout(a, venv=False)
    (a / "pyproject.toml").write_text(TINY)
    (a / "probe_build.py").write_text(BACKEND)
    (a / "probe.py").write_text("def main():\n    print(__file__)\n")

    def run(repo: Path) -> subprocess.CompletedProcess:
        return subprocess.run([repo / "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    r = run(a)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "installing the Python packages into .venv" in r.stdout
    assert r.stdout.splitlines()[-1] == str(a / "probe.py")
    subprocess.run(["cp", "-a", a, tmp_path / "b"], check=True)
    r = run(tmp_path / "b")
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"the virtual environment .venv was made for {a}; making it again here" in r.stdout
    assert r.stdout.splitlines()[-1] == str(tmp_path / "b" / "probe.py")     # not a's code
    (a).rename(tmp_path / "c")
    r = run(tmp_path / "c")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == str(tmp_path / "c" / "probe.py")
    r = run(tmp_path / "c")                                    # and then it is kept
    assert r.returncode == 0 and r.stdout.splitlines() == [str(tmp_path / "c" / "probe.py")]
