"""``gradecoach screenshot`` says the size it wrote and why it is not the size asked for (an
800x400 window came out 800x595 while it printed '800x400'); its --window takes the trainer's
4–60 s (it said 1–120 s); a session replayed shows its trainee and says the calibration is the
session's (it read 'no trainee (press N)' and '(command line)')."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from ui.cli import build_parser, main

from .conftest import REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

THRUSTS = REPO / "fixtures" / "thrust_pops.csv"


def test_the_size_written_is_the_size_said(tmp_path, capsys):
    out = tmp_path / "x.png"
    assert main(["screenshot", "--replay", str(THRUSTS), "--r1", "40", "--r2", "120", "--at", "29",
                 "--size", "800x300", "-o", str(out)]) == 0
    img = QImage(str(out))
    said = capsys.readouterr().out
    assert img.width() == 800 and img.height() > 300
    assert said.startswith(f"{out}: 800x{img.height()} (asked for 800x300: the window needs at least "
                           f"{img.height()} px of height) at t = 29 s")


@pytest.mark.parametrize("seconds,ok", [("4", True), ("60", True), ("2", False), ("90", False)])
def test_the_window_option_takes_what_the_trainer_takes(tmp_path, capsys, seconds, ok):
    from ui.trainer.window import WINDOW_RANGE_S
    with pytest.raises(SystemExit):
        main(["screenshot", "--help"])
    assert "plot window in seconds (4–60, default 10)" in " ".join(capsys.readouterr().out.split())
    code = main(["screenshot", "--replay", str(THRUSTS), "--at", "5", "--window", seconds,
                 "-o", str(tmp_path / "x.png")])
    assert (code == 0) is ok
    if not ok:
        assert f"give {WINDOW_RANGE_S[0]:g}–{WINDOW_RANGE_S[1]:g} s" in capsys.readouterr().err


def test_a_replayed_session_shows_its_trainee_and_its_own_calibration(tmp_path, qtbot):
    from ui.cmd_screenshot import render
    folder = tmp_path / "s1"
    assert main(["record", "--device", "emulator:grade3", "--out", str(folder), "--duration", "2",
                 "--trainee", "Anna Novak", "--technique", "PA glide L4", "--r1", "40", "--r2", "120",
                 "--quiet"]) == 0
    args = build_parser("screenshot").parse_args(["screenshot", "--replay", str(folder), "--at", "1.5",
                                                  "-o", str(tmp_path / "x.png")])
    win = render(args)
    qtbot.addWidget(win)
    line = win.status.toolTip()
    assert line.startswith("Anna Novak (PA glide L4) · replay · R1 40 N, R2 120 N from the session")
    args.r1, args.r2 = 30.0, 100.0
    win2 = render(args)
    qtbot.addWidget(win2)
    assert "R1 30 N, R2 100 N from the command line" in win2.status.toolTip()
