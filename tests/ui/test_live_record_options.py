"""``gradecoach record --duration`` takes a positive number of seconds; anything else is one
line before the device is opened (a 'nan' duration recorded until killed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("duration", ["nan", "inf", "0", "-1"])
def test_a_duration_that_cannot_end_a_recording_is_refused(duration, tmp_path):
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3", "--out",
                        str(tmp_path / "sess"), "--duration", duration], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    err = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(err) == 1 and "--duration" in err[0], r.stderr
    assert not (tmp_path / "sess").exists()
