"""A played recording of a worn IMU alone counts its IMU's samples as the source's samples, as a
force's are counted: ``record --device file:FOLDER`` of such a session, cut short by an error
(here its standard error closed while it recorded), stored ``"samples": 0`` in session.json's
``device_stats`` beside an imu.csv holding some 200 samples."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from firmware_bridge.sources import ArraySource, Pacer
from tests.conftest import ROOT
from tests._worn_imu import _worn_imu_session


def _played(streams, upto_s: float) -> ArraySource:
    """``streams`` played by an opened source whose clock has gone on ``upto_s`` s since."""
    now = [0.0]
    src = ArraySource(streams, pacer=Pacer(clock=lambda: now[0], sleep=lambda s: None))
    src.open()
    now[0] = upto_s
    return src


def test_a_worn_imu_played_alone_counts_its_samples_and_a_force_still_counts_its_own():
    t = np.arange(0.0, 2.0, 0.005)                          # 200 Hz: 201 samples up to 1.0 s
    imu = (t, np.zeros((len(t), 6)))
    alone = _played({"imu": imu}, 1.0)
    assert sum(len(c) for c in alone.read()) == 201
    assert alone.stats.samples == 201
    tf = np.arange(0.0, 2.0, 0.002)                         # 500 Hz force beside it: 501 samples
    both = _played({"force": (tf, np.zeros(len(tf))), "imu": imu}, 1.0)
    both.read()
    assert both.stats.samples == 501                        # (the force's, as before)


def test_a_recording_of_a_played_worn_imu_cut_short_stores_the_samples_it_holds(tmp_path):
    played = _worn_imu_session(tmp_path / "ben")
    out = tmp_path / "again"
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", f"file:{played}", "--out", str(out)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stderr.readline().startswith("recording session ben")
    p.stderr.close()                                        # (the status line a second in cannot be said)
    p.communicate(timeout=60)
    meta = json.loads((out / "session.json").read_text())
    assert meta["complete"] is False and "Broken pipe" in meta["extra"]["stopped"]["reason"]
    rows = len((out / "imu.csv").read_text().splitlines()) - 1
    assert rows > 100
    assert meta["extra"]["device_stats"]["samples"] == rows
