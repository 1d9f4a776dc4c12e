"""``python -m firmware_bridge.ble_record --live ... --out FILE`` does not write over a capture
already there (a capture of a real device is a recording): it says so in one line, before the
radio is asked, and the file keeps every byte; ``--overwrite`` lets it go on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_existing_capture_is_not_written_over(tmp_path):
    cap = tmp_path / "p.jsonl"
    old = (ROOT / "fixtures" / "ble" / "progressor_grade4.jsonl").read_bytes()
    cap.write_bytes(old)
    r = subprocess.run([sys.executable, "-m", "firmware_bridge.ble_record", "--live", "ble:Progressor_1A2B",
                        "--duration", "1", "--out", str(cap)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {cap}: already there (a capture is a recording): "
                                     f"choose another file, or give --overwrite to replace it"]
    assert cap.read_bytes() == old


def test_overwrite_lets_the_recorder_go_on_to_the_device(tmp_path):
    """With ``--overwrite`` the file is no reason to stop; the empty name is (the radio is not asked)."""
    cap = tmp_path / "p.jsonl"
    cap.write_text("{}\n")
    r = subprocess.run([sys.executable, "-m", "firmware_bridge.ble_record", "--live", "ble:", "--overwrite",
                        "--out", str(cap)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "ble: give a device's advertised name or address" in r.stderr + r.stdout
    assert "already there" not in r.stderr
