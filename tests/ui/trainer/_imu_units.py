"""A worn IMU's recording rewritten with its accelerations in g, and a trainer window to play it in."""

from __future__ import annotations

import csv

from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

G = 9.80665


def _in_g(src, dst) -> None:
    with open(src, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cols = [i for i, c in enumerate(rows[0]) if c.startswith("a")]
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(rows[0])
        for r in rows[1:]:
            w.writerow([repr(float(v) / G) if i in cols else v for i, v in enumerate(r)])


def _window(qtbot, *args):
    eng = Engine(*args, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win, eng
