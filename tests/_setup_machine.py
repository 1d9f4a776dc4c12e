"""A stand-in machine and checkout for running scripts/setup.sh, and the apt calls it makes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / "scripts" / "setup.sh"
T64 = ["libasound2t64", "libglib2.0-0t64"]
OTHERS = ["python3-venv", "libportaudio2", "libsndfile1", "libegl1", "libgl1", "libopengl0", "libfontconfig1",
          "libxkbcommon0", "libdbus-1-3", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4",
          "libxcb-keysyms1", "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0",
          "libxcb-image0", "fonts-droid-fallback", "fonts-nanum", "gcc", "libc6-dev", "postgresql"]


def machine(tmp: Path, installed: list[str], known: list[str], uid: int = 0, python3: str | None = None) -> dict:
    """An environment whose dpkg-query knows ``installed``, apt-cache has versions of ``known``,
    id -u says ``uid``; apt-get logs its calls to tmp/apt.log."""
    bin_ = tmp / "bin"
    bin_.mkdir()
    (tmp / "installed").write_text("\n".join(installed) + "\n")
    (tmp / "known").write_text("\n".join(known) + "\n")
    scripts = {
        "dpkg-query": f'for a; do :; done; grep -qxF -- "$a" {tmp}/installed && {{ printf "install ok installed"; exit 0; }}\n'
                      f'echo "dpkg-query: no packages found matching $a" >&2; exit 1',
        "apt-cache": f'[[ $1 == policy ]] || exit 1; if grep -qxF -- "$2" {tmp}/known; then\n'
                     f'printf "%s:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n" "$2"; else\n'
                     f'printf "%s:\\n  Installed: (none)\\n  Candidate: (none)\\n" "$2"; fi',
        "apt-get": f'echo "apt-get $*" >> {tmp}/apt.log',
        "id": f'[[ $1 == -u ]] && echo {uid} || exec /usr/bin/id "$@"',
    }
    if python3:
        scripts["python3"] = python3
    for name, body in scripts.items():
        (bin_ / name).write_text("#!/bin/bash\n" + body + "\n")
        (bin_ / name).chmod(0o755)
    return {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}"}


def checkout(where: Path, venv: bool = True) -> Path:
    """A checkout's setup script, with a virtual environment made for it (unless not ``venv``)."""
    (where / "scripts").mkdir(parents=True)
    shutil.copy2(SETUP, where / "scripts" / "setup.sh")
    (where / "pyproject.toml").write_text("")
    if venv:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where / ".venv")], check=True, timeout=60)
        (where / ".venv" / "bin" / "pip").write_text(f"#!{where}/.venv/bin/python\n")
        (where / ".venv" / ".gradecoach-installed").write_text(f"{where}\n")
    return where


def setup(repo: Path, env: dict, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(repo / "scripts" / "setup.sh")], env={**env, **extra},
                          capture_output=True, text=True, timeout=120)


def apt_calls(tmp: Path) -> list[str]:
    log = tmp / "apt.log"
    return log.read_text().splitlines() if log.exists() else []
