"""The window gradecoach screenshot draws, for the screenshot tests."""

from __future__ import annotations


def shot(qtbot, tmp_path, *argv):
    """The window ``gradecoach screenshot ARGV`` saves, drawn (not written)."""
    from ui import cmd_screenshot
    from ui.cli import build_parser

    args = build_parser("screenshot").parse_args(["screenshot", *map(str, argv), "-o", str(tmp_path / "x.png")])
    win = cmd_screenshot.render(args)
    qtbot.addWidget(win)
    return win
