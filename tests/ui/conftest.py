"""Shared helpers for the command-line tests: a microphone of ALSA's file plugin, and
'gradecoach record' run as a program."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import file_microphone

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mic_home(tmp_path) -> Path:
    """``tmp_path/home``, a HOME whose .asoundrc makes ALSA's default microphone its file plugin
    playing 48000 samples of silence (``tmp_path/mic.raw``); it runs faster than real time."""
    raw = tmp_path / "mic.raw"
    np.zeros(48000, "<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    return file_microphone(home, raw)


def run_record(*args, home: Path | None = None) -> subprocess.CompletedProcess:
    """'gradecoach record ARGS' run as a program from the repository (with HOME set to ``home``
    if given); it must exit 0."""
    env = dict(os.environ, HOME=str(home)) if home else None
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", *map(str, args)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r
