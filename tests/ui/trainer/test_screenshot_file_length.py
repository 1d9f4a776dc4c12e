"""'gradecoach screenshot --device file:REC --at S' past the recording's end fails at once, in
one line giving how much data it holds, for a CSV and a session folder alike; on a 20.5 s
recording with --at 40 it waited 51 s before 'only 20.5 s of data in 50 s'."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.session import SessionMeta, SessionWriter, write_force_csv

ROOT = Path(__file__).resolve().parents[3]
RATE_HZ = 500.0


def _signal(seconds: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.round(np.arange(0.0, seconds, 1.0 / RATE_HZ), 6)
    return t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t)


def _csv(tmp_path: Path) -> Path:
    p = tmp_path / "x.csv"
    write_force_csv(p, *_signal(20.5))
    return p


def _session(tmp_path: Path) -> Path:
    w = SessionWriter(tmp_path / "s", SessionMeta(trainee="anna"))
    w.append_force(*_signal(20.5))
    w.close(RATE_HZ)
    return tmp_path / "s"


def _screenshot(tmp_path: Path, rec: Path, at: str) -> tuple[subprocess.CompletedProcess, float]:
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "ui.cli", "screenshot", "--device", f"file:{rec}", "--at", at,
                        "-o", str(tmp_path / "z.png")], cwd=ROOT, capture_output=True, text=True, timeout=90,
                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(tmp_path / "state")))
    return r, time.monotonic() - t


@pytest.mark.parametrize("make", [_csv, _session], ids=["csv", "session"])
def test_at_past_the_recordings_end_fails_at_once(tmp_path, make):
    rec = make(tmp_path)
    r, took_s = _screenshot(tmp_path, rec, "40")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.splitlines() == [f"gradecoach: error: --at 40: file:{rec} holds only 20.498 s of data"], r.stderr
    assert took_s < 10, took_s                      # (the start of a command, no waiting for data)
    assert not (tmp_path / "z.png").exists()


def test_at_within_the_recording_is_still_drawn(tmp_path):
    rec = _csv(tmp_path)
    r, took_s = _screenshot(tmp_path, rec, "1")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "z.png").stat().st_size > 0


def test_a_sound_alone_fails_at_once(tmp_path):
    """A recording of sound alone has nothing the window's wait counts: said at once, not after
    --at and 10 s more as 'no data'."""
    rec = ROOT / "fixtures" / "thrust_pops.flac"
    r, took_s = _screenshot(tmp_path, rec, "2")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.splitlines() == [f"gradecoach: error: file:{rec}: no force or IMU data to show"], r.stderr
    assert took_s < 10, took_s
