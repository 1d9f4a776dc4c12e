"""The HVLA readout says whether a thrust's let-up counts as one: a let-up under the flag read
"let-up 3 N" beside "on target", with nothing saying that 3 N is none or where flagging starts,
and a trainee took it for a fault. The let-up's heading says where it starts (the least let-up
the analysis flags from that preload), its figure says "none" under it, whole in an 800 × 480
window as in the default one."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from analysis.scheme import ThrustScheme
from ui.cli import build_parser
from ui.cmd_screenshot import render

from .conftest import ARTIFACTS, REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def shot(qtbot, fixture: str, at: float, size: str):
    args = build_parser().parse_args(["screenshot", "--replay", str(REPO / "fixtures" / fixture), "--at", str(at),
                                      "--r1", "40", "--r2", "120", "--target", "V", "--size", size,
                                      "-o", "unused.png"])
    win = render(args)
    qtbot.addWidget(win)
    return win, win.grab()                       # (as the screenshot command draws it: no wait)


def flag_from_n(preload_n: float) -> float:
    s = ThrustScheme()
    return max(s.letup_min_n, s.letup_min_frac * preload_n)


def whole(label) -> bool:
    return label.width() >= label.fontMetrics().horizontalAdvance(label.text())


@pytest.mark.parametrize("size", ["800x480", "1366x768"])
def test_a_let_up_under_the_flag_says_none_and_where_flagging_starts(qtbot, size):
    win, grab = shot(qtbot, "thrust_lumbar.csv", 4.0, size)
    t = win.engine.thrusts[-1]
    assert not t.letup and 0.5 <= t.letup_n < flag_from_n(t.preload_n)     # measured, under the flag
    panel = win.thrust_panel
    name, value = panel.names["let-up"], panel.values["let-up"]
    assert value.text() == f"{t.letup_n:.1f} N: none"
    m = re.fullmatch(r"let-up \(<(\d+(?:\.\d+)?) N: none\)", name.text())
    assert m, name.text()
    assert t.letup_n < float(m[1]) and abs(float(m[1]) - flag_from_n(t.preload_n)) < 1.0
    assert whole(name) and whole(value)
    assert win.width() == int(size.split("x")[0])                   # the window not grown for it
    ARTIFACTS.mkdir(exist_ok=True)
    grab.save(str(ARTIFACTS / f"trainer_letup_none_{size}.png"))


def test_a_flagged_let_up_keeps_its_word_under_the_same_heading(qtbot):
    win, _ = shot(qtbot, "thrust_letup.csv", 4.5, "800x480")
    t = win.engine.thrusts[-1]
    assert t.letup
    panel = win.thrust_panel
    assert panel.values["let-up"].text() == f"{t.letup_n:.1f} N flagged"
    m = re.fullmatch(r"let-up \(<(\d+(?:\.\d+)?) N: none\)", panel.names["let-up"].text())
    assert m and float(m[1]) <= t.letup_n
    assert whole(panel.names["let-up"]) and whole(panel.values["let-up"])


def test_a_let_up_the_hold_s_tremor_hid_is_said_to_be_within_it(qtbot):
    # past the least let-up flagged from its preload, yet unflagged: the hold's tremor raised the bar
    from analysis.events import ThrustEvent
    from ui.trainer.panels import ThrustPanel
    panel = ThrustPanel()
    qtbot.addWidget(panel)
    t = ThrustEvent(t_onset=2.9, t_peak=3.0, preload_n=150.0, peak_n=600.0, time_to_peak_ms=120.0,
                    duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=9.2, letup=False)
    assert t.letup_n >= flag_from_n(t.preload_n)
    panel.show_thrust(t)
    assert (panel.names["let-up"].text(), panel.values["let-up"].text()) == ("let-up (tremor: none)", "9.2 N: none")
    # an IMU's thrust has no forces: its let-up unknown, and no bar said over it
    panel.show_thrust(replace(t, preload_n=float("nan"), peak_n=float("nan"), letup_n=float("nan")))
    assert (panel.names["let-up"].text(), panel.values["let-up"].text()) == ("let-up", "–")


def test_a_figure_is_never_read_on_the_wrong_side_of_its_bar(qtbot):
    # flagged from 7.35 N (5 % of a 147 N preload): "7 N flagged" under "<8 N: none" read as none
    # (the figures now in tenths, as replay's: "7.35" where a tenth would put it on the wrong side)
    from analysis.events import ThrustEvent
    from ui.trainer.panels import ThrustPanel
    panel = ThrustPanel()
    qtbot.addWidget(panel)
    t = ThrustEvent(t_onset=2.9, t_peak=3.0, preload_n=147.0, peak_n=600.0, time_to_peak_ms=120.0,
                    duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=7.4, letup=True)
    assert flag_from_n(t.preload_n) <= t.letup_n
    panel.show_thrust(t)
    assert (panel.names["let-up"].text(), panel.values["let-up"].text()) == ("let-up (<7.4 N: none)", "7.4 N flagged")
    panel.show_thrust(replace(t, letup_n=7.35))                      # ("7.3", a tenth, under "7.4")
    assert (panel.names["let-up"].text(), panel.values["let-up"].text()) == ("let-up (<7.35 N: none)",
                                                                             "7.35 N flagged")
    panel.show_thrust(replace(t, letup_n=7.3, letup=False))
    assert (panel.names["let-up"].text(), panel.values["let-up"].text()) == ("let-up (<7.4 N: none)", "7.3 N: none")
    panel.show_thrust(replace(t, letup_n=7.6, letup=False))          # (under the tremor's bar)
    assert (panel.names["let-up"].text(), panel.values["let-up"].text()) == ("let-up (tremor: none)", "7.6 N: none")
