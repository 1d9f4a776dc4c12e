"""./run from another folder: its arguments are paths from that folder, its outputs land there."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_run_works_in_the_folder_it_is_called_from(tmp_path):
    r = subprocess.run([ROOT / "run", "simulate", "--grade", "II", "--cycles", "3", "--rate", "100", "-o", "y.csv"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path / "y.csv").exists() and not (ROOT / "y.csv").exists()
    r = subprocess.run([ROOT / "run", "replay", "y.csv", "--r1", "40", "--r2", "120", "--format", "jsonl"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert '"type": "summary"' in r.stdout.splitlines()[-1]

