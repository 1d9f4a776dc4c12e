"""The wheel as a user installs it: built from the sources, installed into a fresh virtual
environment (its dependencies taken from the project's), run from an empty folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILES = ("demo_mixed.csv", "demo_mixed.expected.jsonl", "demo_mixed.flac")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built by pip from a copy of the sources (the build leaves nothing in the checkout)."""
    top = tmp_path_factory.mktemp("wheel")
    src = top / "src"
    src.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in ("analysis", "firmware_bridge", "ui", "fixtures"):
        shutil.copytree(ROOT / name, src / name, symlinks=True, ignore=skip)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(src), "-w", str(top / "dist")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    (whl,) = (top / "dist").glob("gradecoach-*.whl")
    return whl


def test_the_wheel_carries_the_demo_recording_as_the_fixtures_have_it(wheel):
    with zipfile.ZipFile(wheel) as z:
        for name in DEMO_FILES:
            assert z.read(f"ui/demo/{name}") == (ROOT / "fixtures" / name).read_bytes(), name


def test_installed_wheel_replays_the_demo_from_an_empty_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # numpy, Qt & co. from the project's environment, read after the new one's own packages
    # (a plain path: the project's editable install there is not loaded)
    (site / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    where = subprocess.run([py, "-c", "import ui; print(ui.__file__)"], cwd=empty, env=env,
                           capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(site), where   # the wheel's code, not the checkout's
    r = subprocess.run([venv / "bin" / "gradecoach", "replay", "--demo"], cwd=empty, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "demo_mixed.csv" in r.stdout and "set 1" in r.stdout and "thrust" in r.stdout
    assert "3 pops, first" in r.stdout and "4 pops, first" in r.stdout    # (its sound came with it)
    assert "Traceback" not in r.stderr
    # and bare `gradecoach` on a machine without a display: the headless demo replay
    del env["QT_QPA_PLATFORM"]
    r = subprocess.run([venv / "bin" / "gradecoach"], cwd=empty, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "headless demo replay" in r.stdout and "set 1" in r.stdout
    assert list(empty.iterdir()) == []
