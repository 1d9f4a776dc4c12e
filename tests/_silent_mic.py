"""A session of the thrust fixture with a silent microphone, and what the trainer's HVLA panel says
of its pops."""

from __future__ import annotations

import json
import shutil

import numpy as np
import soundfile as sf

from tests.conftest import ROOT
from tests.ui.trainer.conftest import Feeder, schemes, thrust_tab_window

FIX = ROOT / "fixtures" / "thrust_pops.csv"
SILENT = ("–", "silent microphone (every sample 0): pops not counted")


def session(folder, sound: np.ndarray):
    """A session folder of the fixture's force and ``sound`` (16 kHz) as its microphone's."""
    folder.mkdir()
    shutil.copy(FIX, folder / "force.csv")
    sf.write(str(folder / "audio.flac"), sound, 16000)
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-11-20T10:00:00", "trainee": "Mute", "technique": "HVLA T6",
        "target": "V", "r1_n": 40, "r2_n": 120, "alpha": 0.5, "sensor": {"name": "x", "force_units": "N"},
        "streams": {"force": {"file": "force.csv", "rate_hz": 1000},
                    "audio": {"file": "audio.flac", "rate_hz": 16000, "t0_s": 0.0}},
        "notes": "", "comments": [], "complete": True, "gaps": []}))
    return folder


def shown(qtbot, folder, at_s: float, feeder=Feeder) -> tuple[str, str]:
    """What the HVLA panel says of the newest thrust's pops, ``folder`` played to ``at_s`` by
    ``feeder`` (a frame after each chunk, or :func:`~tests.ui.trainer._mic_sweep.few_frames`)."""
    win, eng = thrust_tab_window(qtbot, *schemes())
    feeder(eng, win, folder).until(at_s)
    panel = win.thrust_panel
    return panel.values["pops"].text(), panel.pops_line.text()
