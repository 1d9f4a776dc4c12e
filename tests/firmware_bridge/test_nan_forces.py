"""A reference board that sends a force that is not a number now and then (a failed ADC read)
does not stop the live grading for the rest of the session: such samples are left out and
counted as lost, over serial (a real pseudo-terminal, through ``record``) and BLE alike."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge import ble_profiles as bp
from firmware_bridge.protocol import binary as b
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session
from tests.conftest import pty_device

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)

SCHEME = GradingScheme(40, 120)


def block(k: int) -> np.ndarray:
    """Ten samples of a 1.2 Hz grade III oscillation (20-80 N); every 500th sample is NaN."""
    y = 50 + 30 * np.sin(2 * np.pi * 1.2 * (k + np.arange(10)) / 1000)
    y[(k + np.arange(10)) % 500 == 3] = np.nan
    return y


def test_serial_nan_forces_are_lost_samples_and_the_cycles_are_still_graded(tmp_path):
    sent = {"k": 0, "t0": time.monotonic()}

    def due(_: int) -> bytes:              # paced at 1 kHz of data, 10 samples a frame
        frames = []
        while (sent["k"] + 10) / 1000 < time.monotonic() - sent["t0"]:
            frames.append(b.encode_samples(sent["k"], 1000 * sent["k"], 1000, block(sent["k"])))
            sent["k"] += 10
        return b"".join(frames)

    with pty_device(due, 0.005) as port:
        src = SerialSource(port)
        src.open()
        w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME))
        res = record(src, w, SCHEME, duration_s=5.0)
        src.close()
        w.close()
    s = open_session(tmp_path / "sess")
    assert s.warnings == [] and np.isfinite(s.force.values).all()
    # each lost sample within the recording is a gap (the source may lose more after its end)
    assert res.dropped >= 8 and len(s.meta.gaps) == res.dropped <= src.stats.dropped
    live = [e for e in s.events if e["type"] == "cycle"]
    assert len(live) >= 3 and {e["grade"] for e in live} == {"III"}
    assert res.last_grade.startswith("III")


def test_ble_nan_forces_are_lost_samples():
    records = [(0.01 * (k // 10), bp.GRADECOACH_DATA_UUID, b.encode_samples(k, 1000 * k, 1000, block(k)))
               for k in range(0, 3000, 10)]
    chunks, _, src = _h.replay(_h.Radio("gradecoach", records=records))
    t, f, _ = _h.concat(chunks)
    assert np.isfinite(f).all() and len(f) == 3000 - 6 and src.stats.dropped == 6
