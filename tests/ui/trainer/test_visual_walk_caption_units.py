"""The grade panel's caption keeps each number with its unit: a flagged let-up with an IMU
beside the force sensor wrapped where the words ran out, "… hand moved 4.8" over an "mm" of
its own; its facts now take a line each when they do not fit on one."""

from __future__ import annotations

import re

import pytest

from ui.cli import main

from .conftest import ARTIFACTS, Feeder, letup_thrust_window, schemes, thrust_tab_window, wrapped_lines

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

UNITS = ("mm", "N", "ms", "Hz", "%", "kN/s")


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600), (1920, 1080)])
def test_no_number_is_parted_from_its_unit(qtbot, tmp_path, size):
    win, eng = letup_thrust_window(qtbot, tmp_path, size)
    qtbot.wait(20)
    cap = win.grade_panel.caption
    words = " ".join(cap.text().split())
    assert "let-up" in words and "hand moved" in words
    lines = wrapped_lines(cap)
    for line in lines:
        assert line.split()[0] not in UNITS, lines           # a unit alone at a line's start
        assert not re.search(r"\d$", line), lines            # a number at a line's end, its unit below
    assert cap.height() >= cap.heightForWidth(cap.width())  # (and all of it shown)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_caption_units_{size[0]}.png"))


def test_a_caption_that_fits_stays_on_one_line(qtbot, tmp_path):
    assert main(["simulate", "--grade", "V", "--rate", "1000", "--imu", "200", "--seed", "3",
                 "-o", str(tmp_path / "v.csv")]) == 0
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, tmp_path / "v.csv").until(7.0)
    qtbot.wait(20)
    cap = win.grade_panel.caption
    assert cap.text().startswith("thrust · hand moved ") and "\n" not in cap.text()
