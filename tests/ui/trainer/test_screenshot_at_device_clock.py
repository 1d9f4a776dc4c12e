"""'gradecoach screenshot --replay REC --at S' on a recording timed by a device's clock (its first
sample at 9,000,000 s): an --at before the first sample drew an empty trainer ("waiting for the
first cycle") without a word; it is refused in one line giving the time that is S seconds in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from firmware_bridge.session import write_force_csv

ROOT = Path(__file__).resolve().parents[3]


def _screenshot(tmp_path: Path, rec: Path, at: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", "screenshot", "--replay", str(rec), "--at", at,
                           "-o", str(tmp_path / "z.png")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path / "state")))


def test_at_before_a_device_clocks_first_sample_names_the_time_to_give(tmp_path):
    t = np.round(9_000_000.0 + np.arange(0.0, 12.0, 0.002), 6)
    rec = tmp_path / "uptime.csv"
    write_force_csv(rec, t, 60 + 30 * np.sin(2 * np.pi * 1.5 * (t - t[0])))
    r = _screenshot(tmp_path, rec, "5")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.splitlines() == [
        "gradecoach: error: --at 5: uptime starts at 9000000 s (times are its own clock's, as replay "
        "prints them); --at 9000005 is 5 s in"], r.stderr
    assert not (tmp_path / "z.png").exists()
    r = _screenshot(tmp_path, rec, "9000005")          # the time it gives draws the cycles
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "z.png").stat().st_size > 10_000
