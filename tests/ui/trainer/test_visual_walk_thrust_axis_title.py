"""The HVLA plot's axis title keeps its unit on a short plot: on a 150 % laptop (911 × 512) a
worn IMU's "hand movement (mm)" is longer than the plot is high and ran past both of its ends,
drawn as "and movement" with no unit; it is now "(mm)" there, the name back when there is room."""

from __future__ import annotations

import pytest

from ui.cli import build_parser, main
from ui.cmd_screenshot import render

from .conftest import ARTIFACTS

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _title(plot) -> tuple[str, bool]:
    """The left axis' title as drawn, and whether all of it lies within the plot widget's
    height (its text box has a blank margin of a few pixels on each side)."""
    axis = plot.getPlotItem().getAxis("left")
    drawn = plot.mapFromScene(axis.label.mapRectToScene(axis.label.boundingRect())).boundingRect()
    margin = axis.label.document().documentMargin()
    return axis.label.toPlainText().strip(), drawn.top() >= -margin and drawn.bottom() <= plot.height() + margin


@pytest.mark.parametrize(("size", "full"), [("911x512", False), ("1366x768", True)])
def test_the_movement_axis_title_keeps_its_unit(qtbot, tmp_path, size, full):
    assert main(["simulate", "--grade", "V", "--rate", "1000", "--imu", "200", "-o", str(tmp_path / "v.csv")]) == 0
    (tmp_path / "worn").mkdir()
    imu = (tmp_path / "worn" / "v.imu.csv")
    imu.write_bytes((tmp_path / "v.imu.csv").read_bytes())
    args = build_parser().parse_args(["screenshot", "--replay", str(imu), "--at", "6.5", "--size", size,
                                      "-o", str(tmp_path / "shot.png")])
    win = render(args)
    qtbot.addWidget(win)
    qtbot.wait(20)
    plot = win.thrust_panel.plot
    assert plot.movement
    text, inside = _title(plot)
    assert inside, text
    assert text.endswith("(mm)")
    assert text == ("hand movement (mm)" if full else "(mm)")
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_thrust_axis_title_{size}.png"))
