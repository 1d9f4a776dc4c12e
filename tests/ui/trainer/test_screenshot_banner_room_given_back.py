"""``screenshot --device`` of a sensor lost and back before --at (a serial sensor unplugged and
plugged in again) showed an empty strip of about 40 px over the force plot, where the banner
"Sensor disconnected" had been: the banner was hidden once data came back, but the window was
grabbed before Qt gave its room back to the plot. Now the plot stands where it stands in a shot
of the same device without a loss.

Real parts: the screenshot command's rendering (in process) of a session played as a device
(``file:``, whose stored loss of the sensor it tells as a device tells it: "disconnected", then
"reconnected"), played 25 times faster than real time so that the test does not wait its length."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.session import SessionMeta, SessionWriter

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

RATE_HZ = 500.0
LOST_S = (1.5, 4.5)           # the sensor away: no data between these times
AT_S = 5.5


def _session(tmp_path, lost: bool):
    t = np.arange(0.0, 6.0, 1 / RATE_HZ)
    if lost:
        t = t[(t <= LOST_S[0]) | (t >= LOST_S[1])]
    out = tmp_path / ("lost" if lost else "whole")
    w = SessionWriter(out, SessionMeta(trainee="rosa", r1_n=40.0, r2_n=120.0))
    w.append_force(t, 50 + 30 * np.sin(2 * np.pi * 1.5 * t))
    if lost:
        w.mark_gap(*LOST_S, "disconnected")
    w.close(RATE_HZ)
    return out


READ_S = 0.1                  # the data each read of the played session gets


class _Clock:
    """A clock its sleeps move on, by :data:`READ_S` at least: each read of the played session
    gets that much data at once, with no waiting."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.now += max(s, READ_S)


def _render(rec, monkeypatch, seen: list):
    from firmware_bridge.sources import SOURCES, FileSource, Pacer
    from ui.cli import build_parser
    from ui.cmd_screenshot import render
    from ui.trainer.window import TrainerWindow

    clock = _Clock()
    monkeypatch.setitem(SOURCES, "file", lambda rest: FileSource(rest, pacer=Pacer(1.0, clock, clock.sleep)))
    refresh = TrainerWindow.refresh

    def noted(win):                          # (whether the banner was shown on the way)
        refresh(win)
        seen.append(win.banner.isVisible())
    monkeypatch.setattr(TrainerWindow, "refresh", noted)
    args = build_parser().parse_args(["screenshot", "--device", f"file:{rec}", "--at", str(AT_S), "-o", "x.png",
                                      "--size", "1000x700"])
    return render(args, [])


def test_the_plot_gets_the_banners_room_back_once_the_sensor_is_back(qtbot, tmp_path, monkeypatch):
    seen: list[bool] = []
    whole = _render(_session(tmp_path, lost=False), monkeypatch, [])
    qtbot.addWidget(whole)
    back = _render(_session(tmp_path, lost=True), monkeypatch, seen)
    qtbot.addWidget(back)
    assert any(seen) and not back.banner.isVisible(), seen      # (shown while away, hidden at --at)
    top = back.force_plot.mapTo(back, back.force_plot.rect().topLeft()).y()
    assert top == whole.force_plot.mapTo(whole, whole.force_plot.rect().topLeft()).y()   # it was ~40 px lower
    assert back.force_plot.height() == whole.force_plot.height()
