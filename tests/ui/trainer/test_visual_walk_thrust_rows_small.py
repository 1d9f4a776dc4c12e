"""The HVLA numbers are whole in the frame that shows them on a 150 % laptop (911 × 512): a force
thrust with an IMU beside it has a seventh number ("hand moved"), its numbers take three rows,
and a frame drawn before Qt's next layout pass (as the screenshot command draws one) squeezed
them into the room of two, each figure 13 px tall for its 20, "27 N flagged" cut at its foot."""

from __future__ import annotations

import pytest

from ui.cli import build_parser, main
from ui.cmd_screenshot import render

from .conftest import ARTIFACTS

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("size", ["911x512", "1024x600"])
def test_three_rows_of_numbers_are_whole_in_a_screenshot(qtbot, tmp_path, size):
    rec = tmp_path / "v.csv"
    assert main(["simulate", "--grade", "V", "--rate", "1000", "--imu", "200", "--letup", "25", "--seed", "3",
                 "-o", str(rec)]) == 0
    out = tmp_path / "shot.png"
    args = build_parser().parse_args(["screenshot", "--replay", str(rec), "--at", "5.5", "--r1", "40", "--r2", "120",
                                      "--target", "V", "--size", size, "-o", str(out)])
    win = render(args)
    qtbot.addWidget(win)
    shot = win.grab()                            # (as the screenshot command draws it: no wait)
    panel = win.thrust_panel
    assert panel.moved_shown and win.engine.thrusts[-1].letup
    for k in panel.shown_fields():
        for label in (panel.names[k], panel.values[k]):
            assert label.height() >= label.sizeHint().height(), (k, label.text(), label.height())
    rects = [w.geometry() for k in panel.shown_fields() for w in (panel.names[k], panel.values[k])]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert panel.rect().contains(panel.pops_line.geometry())
    ARTIFACTS.mkdir(exist_ok=True)
    shot.save(str(ARTIFACTS / f"trainer_thrust_rows_{size}.png"))
