"""Calibrations given with --r1/--r2 read 'from the command line' in the trainer's status line,
as the screenshot's do (it read 'from command line')."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_status_line_says_the_calibration_came_from_the_command_line(qtbot, tmp_path):
    from ui import cmd_trainer
    from ui.cli import build_parser

    args = build_parser("trainer").parse_args(["trainer", "--device", "emulator:grade3", "--r1", "40", "--r2", "120",
                                               "--sessions", str(tmp_path)])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    win.refresh()
    assert "R1 40 N, R2 120 N from the command line" in win.status.toolTip()
