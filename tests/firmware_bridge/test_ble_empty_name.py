"""A ``ble:`` spec without a device name is refused at once, in one line saying what to give.

Through the real command line, with bleak's ``BleakScanner`` replaced at its API boundary by
one that counts whether it was asked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


class CountingScanner:
    """``BleakScanner`` that notes each time the radio is asked (and finds nothing)."""

    calls = 0

    @classmethod
    async def find_device_by_filter(cls, filterfunc, timeout: float = 10.0):
        cls.calls += 1
        return None


@pytest.fixture
def radio(monkeypatch):
    import bleak
    CountingScanner.calls = 0
    monkeypatch.setattr(bleak, "BleakScanner", CountingScanner)
    return CountingScanner


@pytest.mark.parametrize("spec", ["ble:", "ble:  "])
def test_ble_spec_without_a_name_is_refused_before_the_radio_is_asked(spec, radio, tmp_path, capsys):
    assert main(["record", "--device", spec, "--out", str(tmp_path / "anna")]) == 2
    err = capsys.readouterr().err
    assert err == ("gradecoach: error: ble: give a device's advertised name or address, e.g. "
                   "ble:Progressor_1A2B or ble:C0:FF:EE:12:34:56 (gradecoach devices --ble lists them)\n")
    assert radio.calls == 0


def test_ble_spec_without_a_name_is_refused_by_the_live_recorder_too(tmp_path):
    r = subprocess.run([sys.executable, "-m", "firmware_bridge.ble_record", "--live", "ble:",
                        "--out", str(tmp_path / "p.jsonl")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert "ble: give a device's advertised name or address" in r.stderr + r.stdout
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "p.jsonl").exists()

