"""BLE samples whose device times tie (a reference board sending a sample spacing of 0, or a
NUS sketch whose first column is not a clock) still get strictly increasing host times, so the
recording opens whole (rows whose time stands still were skipped as 'time does not advance'
on opening). Replayed notifications through bleak's API boundary, as in test_ble.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge import ble_profiles as bp
from firmware_bridge.protocol import binary
from firmware_bridge.session import SessionMeta, SessionWriter, open_session

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)


def spacing_zero():
    return "gradecoach", [(0.01 * k, bp.GRADECOACH_DATA_UUID,
                           binary.encode_samples(10 * k, 10_000 * k, 0, 20.0 + np.arange(10))) for k in range(100)]


def swapped_columns():
    lines = [f"{20 + 10 * np.sin(i / 10):.2f},{i * 10}\n" for i in range(300)]     # force,t_ms
    return "nus", [(0.05 * k, bp.NUS_TX_UUID, "".join(lines[5 * k:5 * k + 5]).encode()) for k in range(60)]


@pytest.mark.parametrize("make", [spacing_zero, swapped_columns])
def test_tied_device_times_become_increasing_host_times_and_the_recording_opens(make, tmp_path):
    profile, records = make()
    chunks, _, _ = _h.replay(_h.Radio(profile, records=records))
    t, f, _ = _h.concat(chunks)
    assert len(t) > 100 and np.all(np.diff(t) > 0)
    w = SessionWriter(tmp_path / "sess", SessionMeta())
    w.append_force(t, f)
    w.close()
    s = open_session(tmp_path / "sess")
    assert s.warnings == [] and len(s.force.t_s) == len(t)
