"""A set of cycles to given crests played into a trainer window, and the caption of its grade panel."""

from __future__ import annotations

import numpy as np

from ui.trainer.engine import Engine
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes

RATE = 1000


def _set_csv(tmp_path, crests: list[float]):
    """Rest, a ramp to 50 N, one 1 Hz cycle to each crest in turn, a ramp back and 6 s of rest."""
    def hold(v, s):
        return np.full(int(s * RATE), float(v))
    x = np.arange(RATE) / RATE
    osc = [50.0 + (c - 50.0) * (1 - np.cos(2 * np.pi * x)) / 2 for c in crests]
    y = np.concatenate([hold(0, 1), np.linspace(0, 50, RATE, endpoint=False), hold(50, 0.5), *osc, hold(50, 0.5),
                        np.linspace(50, 0, RATE, endpoint=False), hold(0, 6)])
    t = np.arange(len(y)) / RATE
    path = tmp_path / "set.csv"
    path.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    return path


def _window(qtbot, tmp_path, mode: str, crests: list[float]):
    eng = Engine(*schemes(target="III+"), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, feedback=mode, target=Target.parse("III+"))
    qtbot.addWidget(win)
    win.show()
    return win, eng, Feeder(eng, win, _set_csv(tmp_path, crests))


def _caption(win) -> str:
    return win.grade_panel.caption.text().replace("\n", " · ")
