"""'gradecoach record' of a line sketch that prints forces without times (an untimed sketch on
a real pseudo-terminal, 100 lines a second): session.json says nothing of a rate the device
did not give; it stored the device's 'rate_hz': 0.0 beside the stream's measured rate."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import pty_device

ROOT = Path(__file__).resolve().parents[2]


def test_an_untimed_sketch_is_recorded_without_a_rate_of_zero(tmp_path):
    with pty_device(lambda k: f"{60 + 30 * math.sin(k / 10):.2f}\n".encode(), 0.01) as port:
        r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", f"serial:{port}",
                            "--out", str(tmp_path / "s"), "--duration", "2", "--r1", "40", "--r2", "120"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp_path / "s" / "session.json").read_text())
    assert meta["sensor"]["device"]["protocol"] == "line"
    assert "rate_hz" not in meta["sensor"]["device"]                    # (it said 0.0)
    assert meta["streams"]["force"]["rate_hz"] == pytest.approx(100, rel=0.2)
