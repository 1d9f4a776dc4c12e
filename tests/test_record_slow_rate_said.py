"""A sensor slower than 10 Hz (a scale read twice a second, say) has its rate said in record's
status line with its decimals: "rate 0.50 Hz", where it read "rate 0 Hz"."""

from __future__ import annotations

import re

from tests.conftest import gc


def test_a_half_hertz_sensors_rate(tmp_path):
    r = gc("record", "--device", "emulator:grade4@0.5", "--out", tmp_path / "s", "--duration", "5")
    assert r.returncode == 0, r.stderr
    rates = re.findall(r"rate +([0-9.]+) Hz", r.stdout + r.stderr)
    assert rates and all(float(x) > 0 for x in rates), rates
    assert "0.50" in rates
