"""simulate takes -0 as 0 for an imperfection (a script's '-0'): --noise -0 ended in a traceback
(ValueError: scale < 0) where --noise 0 simulates without noise."""

from __future__ import annotations

import json

from tests.conftest import gc


def test_noise_minus_zero_is_no_noise(tmp_path):
    out = tmp_path / "sim.csv"
    r = gc("simulate", "--noise", "-0", "-o", out)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"wrote {out} (")
    first = json.loads((tmp_path / "sim.expected.jsonl").read_text().splitlines()[0])
    assert first["settings"]["noise"] == 0.0
