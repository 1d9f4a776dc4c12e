"""A trainer started with ``--min-amplitude`` records it with the session: ``replay`` of the folder
grades it as the window did, not with the default minimum amplitude."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt

from ui.cli import main
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("min_amplitude_n", [20.0, None])
def test_a_recording_keeps_the_minimum_amplitude_the_window_grades_with(qtbot, tmp_path, capsys, min_amplitude_n):
    csv = tmp_path / "small.csv"                    # 16 N peak to peak around 60 N, at 2 Hz
    t = np.arange(0.0, 6.0, 0.002)
    np.savetxt(csv, np.column_stack([t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t)]), fmt=("%.6f", "%.4f"),
               delimiter=",", header="t_s,force_n", comments="")
    s, th = schemes()
    eng = Engine(s.with_min_amplitude(min_amplitude_n), th, clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("bench", 40.0, 120.0), record_root=tmp_path / "rec",
                        start_timer=False)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    feed = Feeder(eng, win, path=csv)
    feed.until(1.0)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    feed.until(6.0)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    live = sum(1 for c in eng.cycles if c.t_start > 1.0)
    (folder,) = (tmp_path / "rec").iterdir()
    extra = json.loads((folder / "session.json").read_text())["extra"]
    assert extra.get("min_amplitude_n") == min_amplitude_n

    capsys.readouterr()
    assert main(["replay", str(folder), "--format", "jsonl"]) == 0
    replayed = sum(json.loads(x)["type"] == "cycle" for x in capsys.readouterr().out.splitlines())
    if min_amplitude_n is None:
        assert replayed >= 8 and live >= 8         # over the default minimum (4 N: 10 % of R1)
    else:
        assert replayed == live == 0               # under 20 N: not a cycle, live or replayed
